package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.testing.Waiting;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A target's url read once into host and port: IPv6 in brackets, a port its scheme's when left out. */
class TargetAddressTest {

    @Test
    void aTargetUrlIsSchemeHostAndPortWithoutAPath() {
        assertThat(TargetSpec.url("http://[::1]:8080")).isEqualTo(URI.create("http://[::1]:8080"));
        assertThat(TargetSpec.url("http://127.0.0.1:8080/")).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThatThrownBy(() -> TargetSpec.url("http://127.0.0.1:8080/api"))
                .hasMessage("'http://127.0.0.1:8080/api' must be scheme://host[:port] without a path");
        assertThatThrownBy(() -> TargetSpec.url("http://[::1]")).hasMessage("a target url is http://host:port, got 'http://[::1]'");
        assertThatThrownBy(() -> TargetSpec.url("http://:8080")).hasMessage("'http://:8080' has no host name");
    }

    @Test
    void aCreatedContainerIsPublishedOnTheLoopbackAddressItsUrlNames() {
        for (String url : List.of("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080")) {
            assertThat(TargetSpec.Container.publishedUrl(URI.create(url))).isEqualTo(URI.create(url));
        }
        assertThat(created("http://[::1]:8080").publishedHostIp()).isEqualTo("::1");
        assertThat(created("http://127.0.0.1:8080").publishedHostIp()).isEqualTo("127.0.0.1");
        assertThat(created("http://localhost:8080").publishedHostIp()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> TargetSpec.Container.publishedUrl(URI.create("http://10.0.0.1:8080")))
                .hasMessage("a created container is published on a loopback address only; use http://127.0.0.1:PORT, http://localhost:PORT (published on 127.0.0.1) or http://[::1]:PORT");
    }

    private static TargetSpec.Container created(String url) {
        return new TargetSpec.Container("web", List.of(), null, "image", List.of(), 80, "no", URI.create(url), "/health", "test");
    }

    @Test
    void theDemoChildListensOnTheBareHostAndThePort() {
        List<String> v6 = DemoService.childCommand(URI.create("http://[::1]:5001"));
        assertThat(v6.subList(v6.indexOf("--host"), v6.indexOf("--host") + 4)).containsExactly("--host", "::1", "--port", "5001");
        List<String> noPort = DemoService.childCommand(URI.create("http://127.0.0.1"));
        assertThat(noPort.subList(noPort.indexOf("--host"), noPort.indexOf("--host") + 4))
                .containsExactly("--host", "127.0.0.1", "--port", "80");
    }

    @Test
    void aPortCheckReachesAnIpv6Listener() throws Exception {
        URI url;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            url = URI.create("http://[::1]:" + listener.getLocalPort());
            assertThat(PortCheck.refuses(url)).as("a listener accepts").isFalse();
        }
        URI closed = url;
        Waiting.await("the closed port refusing").until(() -> PortCheck.refuses(closed));
        assertThat(PortCheck.name(url)).isEqualTo("port " + url.getPort());
        assertThat(PortCheck.name(URI.create("http://[::1]"))).isEqualTo("port 80");
        assertThat(PortCheck.name(URI.create("https://localhost"))).isEqualTo("port 443");
    }
}
