package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict and its exit code, from real runs against the demo service. */
class VerdictEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private DemoService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private String start(double errorRate) throws IOException {
        service = new DemoService(DemoOptions.defaults().withPort(0).withErrorRate(errorRate));
        service.start();
        return service.baseUrl();
    }

    private Path plan(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private JsonNode summary() throws IOException {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            return JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile());
        }
    }

    private static final String LOAD = """
            load: { users: 5, spawnRate: 50, runTime: 4s, wait: { constant: 50ms } }
            tasks:
              - { weight: 3, get: / }
              - { weight: 1, get: /health }
            """;

    @Test
    void slosAndThresholdsThatHoldPassWithExitCode0() throws Exception {
        Path plan = plan("host: " + start(0) + "\n" + LOAD + """
                slos:
                  - { name: availability, objective: 99.9% }
                  - { name: health fast, objective: 99%, latencyBelow: 500ms, filter: { name: /health } }
                thresholds:
                  http_req_duration: ["p(95)<500", "avg<250"]
                  "http_req_duration{name:/health}": ["max<1000"]
                  http_req_failed: ["rate<0.01"]
                  http_reqs: ["count>50"]
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("Verdict: PASS", "availability", "http_req_duration p(95)<500");
        JsonNode verdict = summary().get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isTrue();
        assertThat(verdict.get("slos")).hasSize(2);
        assertThat(verdict.at("/slos/1/filter").asText()).isEqualTo("/health");
        assertThat(verdict.get("thresholds")).hasSize(5).allSatisfy(t -> assertThat(t.get("status").asText()).isEqualTo("pass"));
        assertThat(verdict.at("/thresholds/0/value").asDouble()).isGreaterThan(0);
    }

    @Test
    void aLatencySloLeavesFailedRequestsOutOrCountsThemBad() throws Exception {
        // half the requests fail at once: none of them may count as a fast, good request
        Path plan = plan("host: " + start(0.5) + "\n" + LOAD + """
                slos:
                  - { name: fast, objective: 50%, latencyBelow: 30s }
                  - { name: fast or bad, objective: 50%, latencyBelow: 30s, failures: bad }
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isIn(0, 1);
        JsonNode summary = summary();
        long requests = summary.at("/totals/requests").asLong();
        long failures = summary.at("/totals/failures").asLong();
        assertThat(failures).as("the service fails about half").isPositive().isLessThan(requests);
        JsonNode fast = summary.at("/verdict/slos/0");
        assertThat(fast.get("total").asLong()).isEqualTo(requests - failures);
        assertThat(fast.get("good").asLong()).isEqualTo(requests - failures); // every success is under 30 s
        JsonNode fastOrBad = summary.at("/verdict/slos/1");
        assertThat(fastOrBad.get("total").asLong()).isEqualTo(requests);
        assertThat(fastOrBad.get("good").asLong()).isEqualTo(requests - failures);
        assertThat(fast.get("failures").asText()).isEqualTo("excluded");
        assertThat(fastOrBad.get("failures").asText()).isEqualTo("bad");
        assertThat(result.stdout()).contains("fast or bad (<30000 ms, failures bad)");
    }

    @Test
    void aFailingSloOrThresholdExitsWith1() throws Exception {
        Path plan = plan("host: " + start(0.2) + "\n" + LOAD + """
                slos:
                  - { name: availability, objective: 99% }
                thresholds:
                  http_req_failed: ["rate<0.05"]
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stdout()).contains("Verdict: FAIL");
        JsonNode verdict = summary().get("verdict");
        assertThat(verdict.at("/slos/0/status").asText()).isEqualTo("fail");
        assertThat(verdict.at("/slos/0/sliPercent").asDouble()).isBetween(70.0, 90.0);
        assertThat(verdict.at("/thresholds/0/status").asText()).isEqualTo("fail");
    }

    @Test
    void abortOnFailStopsTheRunEarly() throws Exception {
        Path plan = plan("host: " + start(1.0) + "\n" + """
                load: { users: 5, spawnRate: 50, runTime: 1m, wait: { constant: 50ms } }
                tasks: [ { get: / } ]
                thresholds:
                  http_req_failed: [ { threshold: "rate<0.01", abortOnFail: true, delayAbortEval: 2s } ]
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("threshold crossed, stopping the run: http_req_failed rate<0.01 (abortOnFail)");
        // Early on the run's own clock, from its start to its end: the planned minute would be 60 s. Timed from
        // outside, the JVM's start and the scenario's compile (10-30 s on a loaded machine) would count too.
        assertThat(summary().get("durationSeconds").asDouble()).isBetween(2.0, 10.0);
    }

    @Test
    void thresholdMistakesPointAtThePlanLine() throws Exception {
        Path plan = plan("host: http://127.0.0.1:1\ntasks: [ { get: / } ]\nthresholds:\n  http_req_duration: [\"p(95)<<500\"]\n");
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(plan + ":4:23: thresholds.http_req_duration[0]: 'p(95)<<500': unexpected '<' at position 7");
        Files.writeString(plan, "host: http://127.0.0.1:1\ntasks: [ { get: / } ]\nthresholds:\n  http_req_duraton: [\"p(95)<500\"]\n");
        StampedeProcess.Result metric = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(metric.exitCode()).isEqualTo(2);
        assertThat(metric.stderr()).contains("unknown metric 'http_req_duraton'; valid metrics: http_req_duration, http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving");
        Files.writeString(plan, "host: http://127.0.0.1:1\ntasks: [ { get: / } ]\nslos:\n  - { objective: 100% }\n");
        StampedeProcess.Result objective = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(objective.exitCode()).isEqualTo(2);
        assertThat(objective.stderr()).contains(plan + ":4:18: slos[0].objective: an objective is between 0% and 100% (both excluded), got 100%");
        Files.writeString(plan, "host: http://127.0.0.1:1\ntasks: [ { get: / } ]\nslos:\n  - { objective: 99%, filter: { name: /nope } }\n");
        StampedeProcess.Result filter = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(filter.exitCode()).isEqualTo(2);
        assertThat(filter.stderr()).contains("slos[0]: the filter names no request; the plan's requests are [/]");
    }

    @Test
    void aWindowedThresholdCatchesWhatTheWholeRunHides() throws Exception {
        int port = FreePorts.next();
        Path plan = plan("""
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 5, spawnRate: 50, runTime: 8s, wait: { constant: 50ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: http-error, target: app, status: 500, at: 3s, duration: 2s }
                thresholds:
                  http_req_failed: ["rate<0.5"]
                  "http_req_failed{window:2s}": ["rate<0.5"]
                """.formatted(port));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        JsonNode thresholds = summary().at("/verdict/thresholds");
        assertThat(thresholds.get(0).get("status").asText()).isEqualTo("pass");
        assertThat(thresholds.get(1).get("metric").asText()).isEqualTo("http_req_failed{window:2s}");
        assertThat(thresholds.get(1).get("status").asText()).isEqualTo("fail");
        assertThat(thresholds.get(1).get("detail").asText()).matches("failed in \\d+ of \\d+ windows; worst window [0-9.]+–[0-9.]+ s: .*");
        assertThat(thresholds.get(1).get("value").asDouble()).isGreaterThanOrEqualTo(0.5); // a failing window's rate

        Files.writeString(plan, "host: http://127.0.0.1:1\ntasks: [ { get: / } ]\nthresholds:\n  \"http_reqs{window:soon}\": [\"count>1\"]\n");
        StampedeProcess.Result bad = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("window: 'soon' is not a duration");
    }
}
