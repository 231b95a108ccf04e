package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.prometheus.LatencyBuckets;
import io.stampede.prometheus.PrometheusClient;
import io.stampede.prometheus.PrometheusException;
import io.stampede.prometheus.QueryResult;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import io.stampede.testing.GrafanaDashboard;
import io.stampede.testing.PrometheusServer;
import io.stampede.testing.Waiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a real {@code stampede run} (its web UI's /metrics) and the demo service
 * it loads, each second. After the run, PromQL over the scraped series agrees with the run's own
 * figures: the p95 from {@code histogram_quantile} within the width of the bucket the run's p95 falls
 * in, the service's good/total ratio exactly; the Grafana dashboard's queries all run.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Long enough for several scrapes at 1 s; the users are few so a loaded machine keeps up. */
    private static final String RUN_TIME = "10s";
    private static final int USERS = 4;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private DemoService demo;
    private PrometheusServer prometheus;
    private StampedeProcess stampede;

    @AfterEach
    void stop() {
        if (stampede != null) {
            stampede.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.close();
        }
        http.shutdownNow();
    }

    private static int freePort() throws Exception {
        return FreePorts.next();
    }

    private JsonNode stats(String ui) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(ui + "api/stats")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The sum of the samples whose line starts with {@code prefix}. */
    private static long sum(String exposition, String prefix) {
        return exposition.lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The one value of an instant vector, or NaN while it has none. */
    private static double single(PrometheusClient client, String promql) throws PrometheusException {
        QueryResult.Vector v = (QueryResult.Vector) client.query(promql);
        return v.samples().size() == 1 ? v.samples().get(0).value() : Double.NaN;
    }

    @Test
    void promqlOverTheScrapedSeriesAgreesWithTheRun() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        // 2 to 18 ms: requests spread over four buckets; one in ten a 503
        demo = new DemoService(DemoOptions.defaults().withHost("127.0.0.1").withPort(0).withLatency(Duration.ofMillis(10))
                .withJitter(Duration.ofMillis(8)).withErrorRate(0.1).withErrorStatus(503));
        demo.start();
        int webPort = freePort();
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("stampede", "127.0.0.1:" + webPort),
                new PrometheusServer.Job("demo", "127.0.0.1:" + demo.port())));
        PrometheusClient client = new PrometheusClient(prometheus.url(), TIMEOUT);

        Path plan = dir.resolve("scraped.yaml");
        Files.writeString(plan, """
                name: scraped
                host: %s
                load: { users: %d, spawnRate: 100, runTime: %s, wait: { constant: 20ms } }
                tasks:
                  - { weight: 3, get: / }
                  - { weight: 1, name: "/item/{id}", get: /item/42 }
                """.formatted(demo.baseUrl(), USERS, RUN_TIME));
        // Without --autostart the UI stays up after the run, so its last figures are scraped.
        stampede = StampedeProcess.start(dir, "run", plan.toString(), "--results", dir.resolve("results").toString(),
                "--web-port", Integer.toString(webPort));
        String ui = "http://127.0.0.1:" + webPort + "/";
        Waiting.await("the start prompt").until(() -> {
            if (!stampede.process().isAlive()) {
                throw new AssertionError("stampede ended: " + stampede.stdout() + stampede.stderr());
            }
            return stampede.stdout().contains("Press Start on " + ui);
        });
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(ui + "api/start")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);

        // during the run: a p95 over the last seconds, which a summary over the whole run cannot give
        double windowed = Waiting.await("a p95 over a 5 s window").until(() -> single(client,
                "histogram_quantile(0.95, sum by (le) (rate(stampede_request_duration_seconds_bucket[5s])))"),
                v -> !Double.isNaN(v));
        assertThat(windowed).isBetween(0.001, 1.0);

        JsonNode totals = Waiting.await("the run's end").until(() -> stats(ui), s -> s.path("status").asText().equals("finished"))
                .path("totals");
        long requests = totals.path("requests").asLong();
        long failures = totals.path("failures").asLong();
        double runP95 = totals.path("p95Millis").asDouble() / 1000;
        assertThat(requests).as("requests in the run").isGreaterThan(100);
        assertThat(failures).as("one in ten failed").isPositive();

        Waiting.await("a scrape after the run's end").until(() -> single(client, "sum(stampede_request_duration_seconds_count)"),
                v -> v == requests);
        double promP95 = single(client, "histogram_quantile(0.95, sum by (le) (stampede_request_duration_seconds_bucket))");
        int bucket = LatencyBuckets.index(Math.round(runP95 * 1_000_000));
        double width = LatencyBuckets.SECONDS[bucket] - (bucket == 0 ? 0 : LatencyBuckets.SECONDS[bucket - 1]);
        System.out.printf("p95: run %.4f s, PromQL %.4f s, bucket width %.4f s; %d requests%n", runP95, promP95, width, requests);
        assertThat(promP95).as("PromQL's p95 against the run's %s s (bucket width %s s)", runP95, width)
                .isCloseTo(runP95, Offset.offset(width));
        assertThat(single(client, "sum(stampede_failures_total)")).isEqualTo(failures);

        // the service's own count, read from it once the run is over (no traffic comes after)
        String own = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/metrics")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long served = sum(own, "http_requests_total{");
        long served5xx = sum(own, "http_requests_total{code=\"5");
        // the users' last requests may be answered after the run stopped counting: at most one per user
        assertThat(served - requests).as("served %s, the run counted %s", served, requests).isBetween(0L, (long) USERS);
        assertThat(served5xx - failures).isBetween(0L, (long) USERS);
        Waiting.await("the service's last count scraped").until(() -> single(client, "sum(http_requests_total)"), v -> v == served);
        assertThat(single(client, "sum(http_requests_total{code=~\"5..\"})")).isEqualTo(served5xx);
        assertThat(single(client, "sum(http_requests_total{code!~\"5..\"}) / sum(http_requests_total)"))
                .as("good / total").isCloseTo((double) (served - served5xx) / served, Offset.offset(1e-12));
        assertThat(single(client, "sum(http_request_duration_seconds_count{route=\"/item/{id}\"})")).isPositive();

        // every query of the Grafana dashboard runs on these series
        for (GrafanaDashboard.Query query : GrafanaDashboard.queries(GrafanaDashboard.read())) {
            QueryResult result = client.query(query.expanded("1m"));
            assertThat(result).as(query.where()).isInstanceOf(QueryResult.Vector.class);
            if (query.where().startsWith("panel 'Requests") || query.where().startsWith("panel 'Response time")) {
                assertThat(((QueryResult.Vector) result).samples()).as(query.where() + ": " + query.expanded("1m")).isNotEmpty();
            }
        }
    }
}
