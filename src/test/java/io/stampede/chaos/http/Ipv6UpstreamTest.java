package io.stampede.chaos.http;

import static io.stampede.chaos.http.EchoUpstream.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An upstream at {@code http://[::1]:PORT}, listening on the IPv6 loopback only: requests reach it
 * through the proxy, it sees its own name in Host, and its redirects come back through the proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class Ipv6UpstreamTest {

    @Test
    void anIpv6UpstreamIsReachedThroughTheProxy() throws Exception {
        try (EchoUpstream echo = new EchoUpstream("::1");
             HttpFaultProxy proxy = HttpFaultProxy.start("v6", "127.0.0.1", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            assertThat(echo.baseUrl()).isEqualTo("http://[::1]:" + echo.port());

            HttpResponse<String> answer = client.send(ProxyLab.request(proxy.url(), "/item/7?q=1").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-upstream")).hasValue("echo");
            assertThat(line(answer.body(), "path")).isEqualTo("/item/7");
            assertThat(line(answer.body(), "query")).isEqualTo("q=1");
            assertThat(line(answer.body(), "host")).isEqualTo("[::1]:" + echo.port());
        }
    }

    @Test
    void aProxyOnIpv6LoopbackReachesAnIpv6Upstream() throws Exception {
        try (EchoUpstream echo = new EchoUpstream("::1");
             HttpFaultProxy proxy = HttpFaultProxy.start("v6", "::1", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            assertThat(proxy.url().toString()).startsWith("http://[::1]:");

            HttpResponse<String> redirect = client.send(ProxyLab.request(proxy.url(), "/redirect").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("location")).hasValue(proxy.url() + "/landed?x=1");
        }
    }

    /** What Jetty's client is given: the host in brackets (it writes the host into the URL as is), the port written out. */
    @Test
    void theRewrittenUrlKeepsTheBracketsAndFillsInThePort() {
        assertThat(rewritten("http://[::1]:8080/base")).isEqualTo(URI.create("http://[::1]:8080/base/p?q=1"));
        assertThat(rewritten("http://[::1]")).isEqualTo(URI.create("http://[::1]/p?q=1"));
        assertThat(rewritten("https://localhost")).isEqualTo(URI.create("https://localhost/p?q=1"));
        // the port Jetty's client connects to: the scheme's, not -1
        assertThat(rewrittenUri("http://[::1]").getPort()).isEqualTo(80);
        assertThat(rewrittenUri("http://[::1]").getHost()).isEqualTo("[::1]");
        assertThat(rewrittenUri("https://localhost").getPort()).isEqualTo(443);
    }

    private static URI rewritten(String upstream) {
        return rewrittenUri(upstream).toURI();
    }

    private static HttpURI rewrittenUri(String upstream) {
        return FaultingProxyHandler.rewriter(URI.create(upstream)).apply(HttpURI.from("/p?q=1"));
    }
}
