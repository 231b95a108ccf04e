package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import io.stampede.testing.PrometheusServer;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prometheus halt condition in real runs: a real Prometheus scrapes a demo service's /metrics each
 * second; once that service serves a 5xx, the query returns a series and the guard halts the chaos,
 * rolling back the latency fault active on the users' target. A query Prometheus refuses is bad
 * input before the run; a Prometheus that is not there cannot run it.
 */
class PrometheusHaltEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The 5xx the test asks of the backend: a handful, to be sure at least one scrape sees them. */
    private static final int FAILING_REQUESTS = 5;
    /**
     * Generous bound on "5xx served" to "last fault rolled back": by construction it is at most a scrape
     * interval, the guard's period and a query; the bound leaves room for a loaded machine.
     */
    private static final long ROLLBACK_BOUND_MILLIS = 15_000;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private DemoService backend;
    private PrometheusServer prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (backend != null) {
            backend.close();
        }
        http.shutdownNow();
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private Path plan(String halt, int appPort) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                name: prometheus-halt
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 5, spawnRate: 100, runTime: 90s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: http-delay, target: app, delay: 200ms, at: 1s, duration: 5m }
                  - { fault: kill, target: app, at: 85s }
                halt:
                  when:
                    - %s
                  then: stop
                """.formatted(appPort, halt));
        return file;
    }

    private List<JsonNode> events() throws IOException {
        Path folder;
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            folder = folders.findFirst().orElseThrow();
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("events.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static List<JsonNode> ofKind(List<JsonNode> events, String kind) {
        return events.stream().filter(e -> e.get("kind").asText().equals(kind)).toList();
    }

    @Test
    void aQueryThatReturnsASeriesHaltsTheChaosAndRollsBackTheLatencyFault() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        backend = new DemoService(DemoOptions.defaults().withHost("127.0.0.1").withPort(0).withErrorRate(1.0).withErrorStatus(503));
        backend.start();
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("backend", "127.0.0.1:" + backend.port())));
        String query = "sum by (code) (http_requests_total{job=\"backend\",code=~\"5..\"}) > 0";
        Path plan = plan("{ prometheus: '" + query + "', url: \"" + prometheus.url() + "\", timeout: 1s }", freePort());

        try (StampedeProcess stampede = StampedeProcess.start(dir, "run", "--headless", plan.toString(),
                "--results", dir.resolve("results").toString())) {
            // the latency fault is on, the backend has served no 5xx: the query returns nothing
            stampede.awaitWhileAlive("the latency fault injected", () -> stampede.stdout().contains("injected on app"));
            assertThat(stampede.stdout()).doesNotContain("chaos halted");
            long failedAt = System.currentTimeMillis();
            for (int i = 0; i < FAILING_REQUESTS; i++) {
                int status = http.send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/")).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(status).isEqualTo(503);
            }
            int code = stampede.waitFor(LIMIT);
            assertThat(code).as(stampede.stdout() + stampede.stderr()).isEqualTo(1); // stopped before its planned end

            List<JsonNode> events = events();
            List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
            assertThat(kinds).containsSubsequence("FAULT_INJECTED", "CHAOS_HALTED", "FAULT_ROLLED_BACK");
            assertThat(ofKind(events, "FAULT_INJECTED")).hasSize(1); // the kill at 85 s never came
            JsonNode halt = ofKind(events, "CHAOS_HALTED").get(0);
            assertThat(halt.get("detail").asText()).matches("chaos halted at 0:\\d\\d by prometheus '"
                    + Pattern.quote(query) + "' non-empty \\(1 series: \\{code=\"503\"\\} \\d+\\)");
            JsonNode delay = ofKind(events, "FAULT_INJECTED").get(0);
            JsonNode undone = ofKind(events, "FAULT_ROLLED_BACK").get(0);
            assertThat(undone.get("injection").asText()).isEqualTo(delay.get("injection").asText());
            assertThat(undone.get("detail").asText()).startsWith("chaos halted by prometheus");
            long haltedAt = halt.get("epochMillis").asLong();
            long rolledBackAt = undone.get("epochMillis").asLong();
            // the condition became true after the 5xx were served (the timeline's clock is this machine's)
            assertThat(haltedAt).isGreaterThanOrEqualTo(failedAt);
            assertThat(rolledBackAt - failedAt).as("5xx served to last rollback").isLessThan(ROLLBACK_BOUND_MILLIS);
            System.out.printf("prometheus halt: 5xx served -> halt %d ms, halt -> rollback %d ms, 5xx served -> rollback %d ms"
                            + " (scrape interval %d ms)%n", haltedAt - failedAt, rolledBackAt - haltedAt, rolledBackAt - failedAt,
                    PrometheusServer.SCRAPE_INTERVAL.toMillis());
            assertThat(stampede.stdout()).contains(halt.get("detail").asText());
        }
    }

    private JsonNode stats(String ui) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(ui + "api/stats")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private String metrics(String ui) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ui + "metrics")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The live page's JSON: the condition with Prometheus's current answer, then the guard's decision; /metrics's halt state. */
    @Test
    void theLivePageShowsTheConditionItsValueAndTheHalt() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        backend = new DemoService(DemoOptions.defaults().withHost("127.0.0.1").withPort(0).withErrorRate(1.0).withErrorStatus(503));
        backend.start();
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("backend", "127.0.0.1:" + backend.port())));
        String query = "sum by (code) (http_requests_total{job=\"backend\",code=~\"5..\"}) > 0";
        Path plan = plan("{ prometheus: '" + query + "', url: \"" + prometheus.url() + "\", timeout: 1s }", freePort());
        int webPort = freePort();
        String ui = "http://127.0.0.1:" + webPort + "/";
        // without --autostart the page stays up after the run, with its last snapshot
        try (StampedeProcess stampede = StampedeProcess.start(dir, "run", plan.toString(),
                "--results", dir.resolve("results").toString(), "--web-port", Integer.toString(webPort))) {
            stampede.awaitWhileAlive("the start prompt", () -> stampede.stdout().contains("Press Start on " + ui));
            JsonNode planned = stats(ui).at("/chaos/guard");
            assertThat(planned.at("/halt/0/condition").asText()).isEqualTo("prometheus '" + query + "' non-empty");
            assertThat(planned.at("/halt/0/value").isNull()).as(planned.toString()).isTrue();
            assertThat(planned.get("then").asText()).isEqualTo("stop");
            HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(ui + "api/start")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(202);

            stampede.awaitWhileAlive("the latency fault injected", () -> stampede.stdout().contains("injected on app"));
            JsonNode guard = Waiting.await("Prometheus's first answer on the page").until(() -> stats(ui).at("/chaos/guard"),
                    g -> g.at("/halt/0/value").asText().equals("empty"));
            assertThat(guard.at("/halt/0/firing").asBoolean()).isFalse();
            assertThat(guard.get("haltedBy").isNull()).isTrue();
            assertThat(metrics(ui)).contains("stampede_chaos_halted 0.0\n");
            for (int i = 0; i < FAILING_REQUESTS; i++) {
                http.send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/")).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            JsonNode halted = Waiting.await("the guard's decision on the page").until(() -> stats(ui).at("/chaos/guard"),
                    g -> !g.path("haltedBy").isNull() && !g.path("haltedBy").isMissingNode());
            assertThat(halted.get("haltedBy").asText()).startsWith("chaos halted at 0:").contains("by prometheus '" + query + "'");
            assertThat(halted.at("/halt/0/firing").asBoolean()).as(halted.toString()).isTrue();
            assertThat(halted.at("/halt/0/value").asText()).startsWith("1 series: {code=\"503\"} ");
            assertThat(metrics(ui)).contains("stampede_chaos_halted 1.0\n");
        }
    }

    @Test
    void aQueryPrometheusRefusesIsBadInputWithItsOwnWords() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        prometheus = PrometheusServer.start(List.of());
        Path plan = plan("{ prometheus: 'sum(rate(http_requests_total[1m])', url: \"" + prometheus.url() + "\" }", freePort());
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains("stampede: " + plan + ":11:7: halt.when[0].prometheus: Prometheus at "
                + prometheus.url() + " refused 'sum(rate(http_requests_total[1m])': bad_data: ", "parse error");
        assertThat(result.stderr()).doesNotContain("\tat ");
        assertThat(result.stdout()).doesNotContain("injected on");
    }

    @Test
    void aPrometheusThatIsNotThereCannotRunThePlan() throws Exception {
        String nobody = "http://127.0.0.1:" + freePort();
        Path plan = plan("{ prometheus: 'up == 0', url: \"" + nobody + "\" }", freePort());
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(3);
        assertThat(result.stderr()).contains("stampede: " + plan + ":11:7: halt.when[0].prometheus: cannot reach Prometheus at "
                + nobody + ": ");
        assertThat(result.stderr()).doesNotContain("\tat ");
        assertThat(result.stdout()).doesNotContain("injected on");
    }
}
