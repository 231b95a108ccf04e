package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.JdkHttpClients;
import io.stampede.testing.Promtool;
import io.stampede.testing.Waiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The demo service's own /metrics on a real socket: requests by status and route, latency in the shared buckets. */
class DemoMetricsTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();
    private DemoService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        JdkHttpClients.stop(client);
    }

    private void start(DemoOptions options) throws Exception {
        service = new DemoService(options.withHost("127.0.0.1").withPort(0));
        service.start();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(REQUEST_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A sample's value, or 0 when the series is not there (yet). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The count is taken once the answer is written, which may be just after the client has read it. */
    private String metricsOnce(String series, double expected) {
        return Waiting.await(series + " = " + expected).until(() -> send("GET", "/metrics").body(), t -> value(t, series) == expected);
    }

    @Test
    void requestsAreCountedByStatusMethodAndRouteAndTheScrapeIsNot() throws Exception {
        start(DemoOptions.defaults());
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/").statusCode()).isEqualTo(200);
        }
        assertThat(send("GET", "/item/a").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/item/b").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/nope/either").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/").statusCode()).isEqualTo(405);
        assertThat(send("BREW", "/").statusCode()).isEqualTo(405);

        HttpResponse<String> first = send("GET", "/metrics");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = metricsOnce("http_requests_total{code=\"405\",method=\"other\",route=\"other\"}", 1);
        assertThat(text).contains("# TYPE http_requests_total counter\n", "# TYPE http_request_duration_seconds histogram\n");
        assertThat(value(text, "http_requests_total{code=\"200\",method=\"GET\",route=\"/\"}")).isEqualTo(5);
        assertThat(value(text, "http_requests_total{code=\"200\",method=\"GET\",route=\"/item/{id}\"}")).as("one series per route").isEqualTo(2);
        assertThat(value(text, "http_requests_total{code=\"404\",method=\"GET\",route=\"other\"}")).isEqualTo(2);
        assertThat(value(text, "http_requests_total{code=\"405\",method=\"POST\",route=\"other\"}")).isEqualTo(1);
        assertThat(value(text, "http_request_duration_seconds_count{code=\"200\",method=\"GET\",route=\"/\"}")).isEqualTo(5);
        assertThat(value(text, "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",route=\"/\",le=\"60.0\"}")).isEqualTo(5);
        assertThat(text).as("scrapes are not the service's traffic").doesNotContain("route=\"/metrics\"");
    }

    @Test
    void latencyLandsInItsBucket() throws Exception {
        start(DemoOptions.defaults());
        assertThat(send("GET", "/slow?ms=300").statusCode()).isEqualTo(200);

        String text = metricsOnce("http_request_duration_seconds_count{code=\"200\",method=\"GET\",route=\"/slow\"}", 1);
        String bucket = "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",route=\"/slow\",le=\"%s\"}";
        assertThat(value(text, bucket.formatted("0.25"))).as("300 ms is not under 250 ms").isZero();
        assertThat(value(text, bucket.formatted("+Inf"))).isEqualTo(1);
        assertThat(value(text, "http_request_duration_seconds_sum{code=\"200\",method=\"GET\",route=\"/slow\"}")).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void injectedErrorsAreCountedAndTheScrapeIsSpared() throws Exception {
        start(DemoOptions.defaults().withErrorRate(1.0).withErrorStatus(503).withLatency(Duration.ofSeconds(2)));
        assertThat(send("GET", "/").statusCode()).isEqualTo(503);

        String text = metricsOnce("http_requests_total{code=\"503\",method=\"GET\",route=\"/\"}", 1);
        assertThat(text).contains("# TYPE http_requests_total counter\n");
        // The 2 s latency would hold every scrape; a loaded machine holds some of them, not all three.
        Duration fastest = null;
        for (int i = 0; i < 3; i++) {
            long before = System.nanoTime();
            assertThat(send("GET", "/metrics").statusCode()).as("the scrape is spared the errors").isEqualTo(200);
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            fastest = fastest == null || took.compareTo(fastest) < 0 ? took : fastest;
        }
        assertThat(fastest).as("no added latency on /metrics").isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void metricsPassPromtoolCheck() throws Exception {
        Assumptions.assumeTrue(Promtool.installed(), "promtool (Debian's prometheus) not installed");
        start(DemoOptions.defaults());
        send("GET", "/");
        send("GET", "/nope");
        String text = metricsOnce("http_requests_total{code=\"404\",method=\"GET\",route=\"other\"}", 1);
        assertThat(Promtool.check(text)).isEmpty();
    }
}
