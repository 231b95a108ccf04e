package io.stampede.chaos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting, closing, and what the proxy answers when the upstream is gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class ProxyLifecycleTest {

    /**
     * close() is promised prompt: no graceful drain of kept-alive connections, which would wait for the open one
     * until its idle timeout (HttpFaultProxy.UPSTREAM_IDLE_TIMEOUT, 120 s). Jetty's stop itself, on a loaded
     * machine, can take a second or more.
     */
    private static final Duration PROMPT_CLOSE = Duration.ofSeconds(5);

    @Test
    void closeFreesThePortPromptlyAndIsIdempotent() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            assertThat(lab.get("/").statusCode()).isEqualTo(200);   // leaves a kept-alive connection open
            int port = lab.proxy.url().getPort();
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503));

            long start = System.nanoTime();
            lab.proxy.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            lab.proxy.close();

            assertThat(took).isLessThan(PROMPT_CLOSE);
            assertThat(fault.isActive()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(rebound.getLocalPort()).isEqualTo(port);
            }
            assertThatThrownBy(() -> lab.proxy.add(HttpFaultSpec.error(503)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void aTakenPortIsABindExceptionNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> HttpFaultProxy.start("busy", "127.0.0.1", port, URI.create("http://127.0.0.1:1")))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(String.valueOf(port))
                    .hasMessageContaining("busy");
        }
    }

    @Test
    void anUpstreamThatIsDownGives502() throws Exception {
        int deadPort = freePort();
        try (HttpFaultProxy proxy = HttpFaultProxy.start("down", "127.0.0.1", 0, URI.create("http://127.0.0.1:" + deadPort));
             HttpClient client = ProxyLab.newClient()) {
            HttpResponse<String> answer = client.send(ProxyLab.request(proxy.url(), "/").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(502);
            assertThat(answer.headers().firstValue(FaultingProxyHandler.FAULT_HEADER)).isEmpty();
        }
    }

    @Test
    void anUpstreamThatDiesGives502ThenRecoversOnTheSamePort() throws Exception {
        DemoService app = new DemoService(DemoOptions.defaults().withPort(0));
        app.start();
        int port = app.port();
        try (HttpFaultProxy proxy = HttpFaultProxy.start("dies", "127.0.0.1", 0, URI.create(app.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            assertThat(get(client, proxy).statusCode()).isEqualTo(200);

            app.close();
            assertThat(get(client, proxy).statusCode()).isEqualTo(502);

            app = new DemoService(DemoOptions.defaults().withPort(port));
            app.start();
            assertThat(get(client, proxy).statusCode()).isEqualTo(200);
        } finally {
            app.close();
        }
    }

    @Test
    void theUpstreamMustBeAnHttpBaseUrl() {
        assertThatThrownBy(() -> HttpFaultProxy.start("bad", "127.0.0.1", 0, URI.create("ftp://127.0.0.1:21")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upstream");
        assertThatThrownBy(() -> HttpFaultProxy.start("bad", "127.0.0.1", 0, URI.create("http://127.0.0.1:5001/?a=1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upstream");
        assertThatThrownBy(() -> HttpFaultProxy.start("bad", "127.0.0.1", 0, URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upstream");
    }

    @Test
    void aBasePathOfTheUpstreamIsKept() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("base", "127.0.0.1", 0, URI.create(echo.baseUrl() + "/api/"));
             HttpClient client = ProxyLab.newClient()) {
            HttpResponse<String> answer = client.send(ProxyLab.request(proxy.url(), "/users?id=3").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(EchoUpstream.line(answer.body(), "path")).isEqualTo("/api/users");
            assertThat(EchoUpstream.line(answer.body(), "query")).isEqualTo("id=3");
        }
    }

    private static HttpResponse<String> get(HttpClient client, HttpFaultProxy proxy) throws IOException, InterruptedException {
        return client.send(ProxyLab.request(proxy.url(), "/").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }
}
