package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import io.stampede.testing.JdkHttpClients;
import io.stampede.testing.PrometheusServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server-side SLO judged from the demo service's own /metrics, scraped by a real Prometheus each
 * second and polled by the run: beside the users' SLO in the verdict and summary.json, marked
 * {@code source: prometheus}, counting what the service served during the run. Bad queries and an
 * unreachable Prometheus stop the run before it starts.
 */
class ServerSloEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final double ERROR_RATE = 0.2;

    @TempDir
    Path dir;

    private DemoService demo;
    private PrometheusServer prometheus;

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    private void startBoth() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        demo = new DemoService(DemoOptions.defaults().withHost("127.0.0.1").withPort(0).withErrorRate(ERROR_RATE).withErrorStatus(503));
        demo.start();
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("demo", "127.0.0.1:" + demo.port())));
    }

    private Path plan(String slo) throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                host: %s
                load: { users: 4, spawnRate: 100, runTime: 8s, wait: { constant: 20ms } }
                tasks: [ { get: / } ]
                slos:
                  - { name: users-availability, objective: 99%% }
                  - %s
                """.formatted(demo == null ? "http://127.0.0.1:1" : demo.baseUrl(), slo));
        return plan;
    }

    private static String serverSlo(URI url, String good) {
        return "{ name: server-availability, objective: 99%, prometheus: { url: " + url + ", good: '" + good
                + "', total: 'sum(http_requests_total{route!~\"/metrics|/health\"})' } }";
    }

    private JsonNode summary() throws Exception {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            return JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile());
        }
    }

    /** The sum of the samples whose line starts with {@code prefix}. */
    private static long sum(String exposition, String prefix) {
        return exposition.lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The service's own count of {@code GET /} answers, all codes, and of its 503s, read from its /metrics. */
    private record Served(long all, long unavailable) {
        Served minus(Served before) {
            return new Served(all - before.all, unavailable - before.unavailable);
        }
    }

    private Served served() throws Exception {
        String own;
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            own = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            JdkHttpClients.stop(http);
        }
        long ok = sum(own, "http_requests_total{code=\"200\",method=\"GET\",route=\"/\"");
        long unavailable = sum(own, "http_requests_total{code=\"503\",method=\"GET\",route=\"/\"");
        return new Served(ok + unavailable, unavailable);
    }

    private List<JsonNode> events() throws Exception {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            Path folder = folders.findFirst().orElseThrow();
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(folder.resolve("events.jsonl"))) {
                events.add(JSON.readTree(line));
            }
            return events;
        }
    }

    /**
     * One run, three things shown: the server-side SLO is judged from the service's own counters beside
     * the users' SLO; it counts exactly what the service served during the run (a baseline read once
     * Prometheus has scraped before the users start, a last reading once it has scraped after they
     * stop); and the guard reads it: the steady state holds on it, then its budget halts the chaos.
     */
    @Test
    void aServerSideSloCountsWhatTheServiceServedAndGuardsTheChaos() throws Exception {
        startBoth();
        Served before = served();
        Path plan = dir.resolve("plan.yaml");
        // one in five answers is a 503: 80% good holds a 70% objective each second, and leaves a third of
        // its budget (under the halt's half) as soon as enough events tell
        Files.writeString(plan, """
                host: %s
                targets:
                  app: { address: "127.0.0.1:%d" }
                load: { users: 4, spawnRate: 100, runTime: 12s, wait: { constant: 20ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: http-delay, target: app, delay: 5ms, at: 0s, duration: 1m }
                slos:
                  - { name: users-availability, objective: 70%% }
                  - %s
                steady: { hold: 2s, within: 10s }
                halt:
                  when:
                    - { slo: server-availability, budgetLeftBelow: 50%% }
                """.formatted(demo.baseUrl(), demo.port(), serverSlo(prometheus.url(), "sum(http_requests_total{code!~\"5..\",route!~\"/metrics|/health\"})")
                .replace("objective: 99%", "objective: 70%")));
        StampedeProcess.Result run = StampedeProcess.run(dir, LIMIT, "run", plan.toString(), "--autostart",
                "--results", dir.resolve("results").toString());
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero(); // both hold 70%; a halt fails nothing
        Served during = served().minus(before);

        JsonNode slos = summary().at("/verdict/slos");
        JsonNode users = slos.get(0);
        JsonNode server = slos.get(1);
        assertThat(users.path("source").asText()).isEqualTo("users");
        assertThat(server.path("source").asText()).isEqualTo("prometheus");
        long total = server.path("total").asLong();
        long bad = total - server.path("good").asLong();
        System.out.printf("server-side SLO: %d of %d bad; the service served %d during the run, %d of them 503;"
                + " the users counted %d%n", bad, total, during.all(), during.unavailable(), users.path("total").asLong());
        assertThat(total).as("the server-side total is what the service served during the run").isEqualTo(during.all());
        assertThat(bad).as("and its bad events the 503s it served").isEqualTo(during.unavailable());
        assertThat(server.path("notes").toString()).as("no note of an inexact baseline or end")
                .doesNotContain("counting started", "may miss");
        assertThat(server.path("budgetSeries").size()).as("a point per second of the run, as the users' SLO")
                .isEqualTo(users.path("budgetSeries").size());
        assertThat(server.path("notes").toString()).containsPattern("read from Prometheus at .*: \\d+ queries, [0-9.]+ ms each");
        System.out.println("polling: " + server.path("notes"));

        // the guard read the server-side SLO: steady on it, then halted by its budget
        List<JsonNode> events = events();
        List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
        assertThat(kinds).as(run.stdout()).containsSubsequence("STEADY_STATE_REACHED", "CHAOS_HALTED");
        JsonNode halt = events.stream().filter(e -> e.get("kind").asText().equals("CHAOS_HALTED")).findFirst().orElseThrow();
        assertThat(halt.get("detail").asText()).matches("chaos halted at 0:\\d\\d by budgetLeft of server-availability < 50% \\(-?[0-9.]+% left\\)");
        // an injection the schedule had begun as the halt came is undone at once, as the halt's are
        for (JsonNode injected : events.subList(kinds.indexOf("CHAOS_HALTED"), events.size())) {
            if (injected.get("kind").asText().equals("FAULT_INJECTED")) {
                assertThat(events).as("rolled back because the chaos was halted").anySatisfy(e -> {
                    assertThat(e.get("kind").asText()).isEqualTo("FAULT_ROLLED_BACK");
                    assertThat(e.get("injection").asText()).isEqualTo(injected.get("injection").asText());
                    assertThat(e.get("detail").asText()).startsWith("chaos halted");
                });
            }
        }
        assertThat(kinds.stream().filter("FAULT_INJECTED"::equals).count()).as("every fault injected was rolled back")
                .isEqualTo(kinds.stream().filter("FAULT_ROLLED_BACK"::equals).count());
        assertThat(run.stdout()).contains(halt.get("detail").asText());
        long haltedAt = halt.get("epochMillis").asLong();
        events.stream().filter(e -> e.get("kind").asText().equals("FAULT_ROLLED_BACK")).findFirst().ifPresent(undone ->
                System.out.printf("server-side budget halt: %s; halt -> rollback %d ms%n", halt.get("detail").asText(),
                        undone.get("epochMillis").asLong() - haltedAt));

        // beside the users' SLO: in the console's verdict and in the report, marked
        assertThat(run.stdout()).contains("server-availability [source: prometheus]");
        Path folder;
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            folder = folders.findFirst().orElseThrow();
        }
        String html = Files.readString(folder.resolve("report.html"));
        assertThat(html).contains("source: prometheus", "users-availability");
    }

    @Test
    void aQueryPrometheusRefusesIsBadInputInItsOwnWords() throws Exception {
        startBoth();
        Path plan = plan(serverSlo(prometheus.url(), "sum(http_requests_total{code!~\"5..\"}"));
        StampedeProcess.Result run = StampedeProcess.inProcess("run", plan.toString(), "--autostart");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("stampede: ").contains("SLO server-availability", "bad_data", "parse error")
                .doesNotContain("Exception");
        assertThat(run.stdout()).doesNotContain("requests");
    }

    @Test
    void anUnreachablePrometheusMeansTheRunCannotBeCarriedOut() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Path plan = plan(serverSlo(URI.create("http://127.0.0.1:" + closed), "sum(up)"));
        StampedeProcess.Result run = StampedeProcess.run(dir, LIMIT, "run", plan.toString(), "--autostart");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("stampede: ").contains("cannot reach Prometheus at http://127.0.0.1:" + closed)
                .doesNotContain("Exception");
    }

    @Test
    void killsCostTheUsersRefusedRequestsWhichTheServerNeverSees() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        int port = FreePorts.next();
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("demo", "127.0.0.1:" + port)));
        Path plan = dir.resolve("kills.yaml");
        Files.writeString(plan, """
                targets:
                  app: { builtin: demo, url: http://127.0.0.1:%d, health: /health, restart: { policy: always, delay: 1s } }
                load: { users: 4, spawnRate: 100, runTime: 12s, wait: { constant: 20ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: kill, target: app, every: 4s, startAfter: 3s }
                slos:
                  - { name: users-availability, objective: 99%% }
                  - %s
                """.formatted(port, serverSlo(prometheus.url(), "sum(http_requests_total{code!~\"5..\",route!~\"/metrics|/health\"})")));
        StampedeProcess.Result run = StampedeProcess.run(dir, LIMIT, "run", plan.toString(), "--autostart",
                "--results", dir.resolve("results").toString());
        JsonNode summary = summary();
        JsonNode users = summary.at("/verdict/slos/0");
        JsonNode server = summary.at("/verdict/slos/1");
        long usersBad = users.path("total").asLong() - users.path("good").asLong();
        long total = server.path("total").asLong();
        System.out.printf("kills: the users saw %d of %d bad; the server-side SLO %d of %d; faults %s%n", usersBad,
                users.path("total").asLong(), total - server.path("good").asLong(), total, summary.at("/verdict/faults").size());
        assertThat(summary.at("/verdict/faults").size()).as(run.stdout() + run.stderr()).isGreaterThanOrEqualTo(1);
        assertThat(usersBad).as("a killed service refuses the users' requests").isPositive();
        // the demo answers no 5xx of its own: a kill is a refusal the server never counts
        assertThat(server.path("good").asLong()).isEqualTo(total);
        // each restart begins the counters at zero: counted from there, not lost, and never more than the users sent
        assertThat(total).as("server-side total against the users' %s", users.path("total")).isPositive()
                .isLessThanOrEqualTo(users.path("total").asLong() + 4);
        JsonNode costs = summary.at("/verdict/faults/0/costs");
        assertThat(costs.get(1).path("slo").asText()).isEqualTo("server-availability");
        assertThat(costs.get(1).path("badRequests").asLong()).isZero();
    }

    @Test
    void anOpenSloSloLosingPrometheusDuringTheRunHasAnEventAndSecondsWithoutData() throws Exception {
        startBoth();
        // the SLO as an OpenSLO document, the example's
        Files.copy(Path.of("examples/openslo/server-availability.yaml"), dir.resolve("server.yaml"));
        Path plan = plan("{ openslo: server.yaml, prometheus: { url: " + prometheus.url() + " } }");
        Path results = dir.resolve("results");
        try (StampedeProcess stampede = StampedeProcess.start(dir, "run", plan.toString(), "--autostart",
                "--results", results.toString())) {
            StampedeProcess.awaitRequests(results, 50);
            ProcessHandle.of(prometheus.pid()).ifPresent(ProcessHandle::destroyForcibly); // gone at once; close() cleans up
            stampede.waitFor(LIMIT);
        }
        String events;
        try (Stream<Path> folders = Files.list(results)) {
            events = Files.readString(folders.findFirst().orElseThrow().resolve("events.jsonl"));
        }
        assertThat(events).contains("SLI_SOURCE_LOST", "SLO server-availability: no data until Prometheus answers: cannot reach Prometheus");
        assertThat(summary().at("/verdict/slos/1/source").asText()).isEqualTo("prometheus");
        JsonNode budget = summary().at("/verdict/slos/1/budgetSeries");
        JsonNode last = budget.get(budget.size() - 1);
        JsonNode before = budget.get(budget.size() - 2);
        assertThat(last.path("budgetLeftPercent").asDouble()).as("no data: the budget stays where it was")
                .isEqualTo(before.path("budgetLeftPercent").asDouble());
    }
}
