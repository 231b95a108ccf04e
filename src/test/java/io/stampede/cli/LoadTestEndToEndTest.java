package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs as a user starts them: a real stampede process, a real demo service, real sockets. */
class LoadTestEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private DemoService service;

    @BeforeEach
    void startService() throws IOException {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    private Path quickScenario() throws IOException {
        Path file = dir.resolve("QuickUser.java");
        Files.writeString(file, """
                import io.stampede.api.*;
                import java.time.Duration;
                public class QuickUser extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(20)); }
                    @Task(weight = 3) public void index() { http().get("/"); }
                    @Task(weight = 1) public void health() { http().get("/health", Check.status(200), Check.bodyContains("OK")); }
                }
                """);
        return file;
    }

    /**
     * Waits until the running Stampede has recorded {@code requests} requests (its summary.json is
     * rewritten every second), so tests act on a run that is really going, however slowly the JVM
     * and the scenario compiler started on a busy machine.
     */
    private void awaitRequests(long requests) {
        StampedeProcess.awaitRequests(dir.resolve("results"), requests);
    }

    private Path onlyResultsFolder() throws IOException {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    @Test
    void javaScenarioRunWritesLocustCompatibleResults() throws Exception {
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", quickScenario().toString(),
                "-H", service.baseUrl(), "-u", "10", "-r", "20", "-t", "4s", "--headless",
                "--results", dir.resolve("results").toString(), "--csv", dir.resolve("lab").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Aggregated").contains("Response time percentiles");

        Path folder = onlyResultsFolder();
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        long requests = summary.at("/totals/requests").asLong();
        // 10 users at a 20 ms wait for 4 s make ~2,000 on a quiet machine; a busy one makes fewer, and the
        // ratio below needs a few hundred to be more than noise
        assertThat(requests).isGreaterThan(200);
        assertThat(summary.at("/totals/failures").asLong()).isZero();

        List<String> stats = Files.readAllLines(folder.resolve("stats.csv"));
        assertThat(stats.get(0)).startsWith("Type,Name,Request Count,Failure Count,Median Response Time");
        assertThat(stats).anyMatch(l -> l.startsWith("GET,/,")).anyMatch(l -> l.startsWith("GET,/health,"))
                .anyMatch(l -> l.startsWith(",Aggregated," + requests + ",0,"));
        assertThat(Files.readAllLines(folder.resolve("stats_history.csv")).size()).isGreaterThan(4);
        assertThat(dir.resolve("lab_stats.csv")).exists();
        assertThat(dir.resolve("lab_stats_history.csv")).exists();
        assertThat(dir.resolve("lab_failures.csv")).exists();

        long index = summary.at("/requests/0/requests").asLong();
        long health = summary.at("/requests/1/requests").asLong();
        assertThat(summary.at("/requests/0/name").asText()).isEqualTo("/");
        assertThat((double) index / health).isBetween(2.0, 4.5); // weights 3:1, drawn at random
    }

    @Test
    void failedRequestsWithNothingToJudgeExitAsLocustDoes() throws Exception {
        Path plan = dir.resolve("failing.yaml");
        Files.writeString(plan, "host: " + service.baseUrl() + "\nload: { users: 2, spawnRate: 10, runTime: 2s, wait: { constant: 100ms } }\n"
                + "tasks: [ { get: /, expect: { status: 418 } } ]\n");
        // three independent 2 s runs side by side, each its own process and exit code; the refused flag in this JVM
        List<StampedeProcess.Result> runs = StampedeProcess.runTogether(dir, LIMIT,
                new String[] {"run", plan.toString(), "--headless", "--no-results"},
                new String[] {"run", plan.toString(), "--headless", "--no-results", "--exit-code-on-error", "7"},
                new String[] {"run", plan.toString(), "--headless", "--no-results", "--exit-code-on-error", "0"});
        StampedeProcess.Result failed = runs.get(0);
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
        StampedeProcess.Result chosen = runs.get(1);
        assertThat(chosen.exitCode()).as(chosen.stderr()).isEqualTo(7);
        StampedeProcess.Result ignored = runs.get(2);
        assertThat(ignored.exitCode()).as(ignored.stderr()).isZero();
        StampedeProcess.Result bad = StampedeProcess.inProcess("run", plan.toString(), "--headless", "--no-results",
                "--exit-code-on-error", "256");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).isEqualTo("stampede: --exit-code-on-error: an exit code is 0 to 255, got 256\n");
    }

    @Test
    void planFileRunWithFlagOverrides() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: yaml-lab
                host: http://127.0.0.1:1
                load: { users: 50, spawnRate: 50, runTime: 1h, wait: { constant: 50ms } }
                tasks:
                  - { weight: 3, get: / }
                  - { weight: 1, get: /health, expect: { status: 200, body: OK } }
                  - { weight: 1, name: item, get: /item/1, tags: [items], expect: { json: { /id: "1" } } }
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                "-H", service.baseUrl(), "-u", "5", "-t", "3s", "--exclude-tags", "items",
                "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Path folder = onlyResultsFolder();
        assertThat(folder.getFileName().toString()).startsWith("yaml-lab-");
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertThat(summary.at("/users").asInt()).isLessThanOrEqualTo(5);
        assertThat(summary.at("/totals/requests").asLong()).isPositive(); // how many depends on the machine
        assertThat(Files.readString(folder.resolve("stats.csv"))).doesNotContain("/item/1");
    }

    @Test
    void serviceKilledMidRunCountsFailuresAndUsersRecoverAfterRestart() throws Exception {
        int port = service.port();
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "-f", quickScenario().toString(),
                "-H", service.baseUrl(), "-u", "10", "-r", "100", "-t", "12s", "--headless",
                "--results", dir.resolve("results").toString())) {
            awaitRequests(100);
            service.close();                   // the service dies: connections refused
            StampedeProcess.awaitSummary(dir.resolve("results"), "failures", s -> s.at("/totals/failures").asLong() > 0);
            service = new DemoService(DemoOptions.defaults().withPort(port));
            service.start();                   // and comes back on the same port
            // requests failed and nothing else judges the run: Locust's --exit-code-on-error, 1
            assertThat(run.waitFor(LIMIT)).as(run.stderr()).isEqualTo(1);
        }
        JsonNode summary = JSON.readTree(onlyResultsFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/totals/failures").asLong()).isGreaterThan(0);
        JsonNode failures = summary.get("failures");
        assertThat(failures.toString()).contains("connection refused");
        JsonNode points = summary.get("points");
        JsonNode last = points.get(points.size() - 2); // the last whole second
        assertThat(last.get("requests").asLong()).isPositive(); // how many depends on the machine
        assertThat(last.get("failures").asLong()).isZero();
    }

    @Test
    void sigtermStopsCleanlyWithCompleteResults() throws Exception {
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "-f", quickScenario().toString(),
                "-H", service.baseUrl(), "-u", "5", "-r", "50", "-t", "5m", "--headless",
                "--results", dir.resolve("results").toString())) {
            awaitRequests(150);
            run.process().destroy(); // SIGTERM
            run.waitFor(Duration.ofSeconds(30));
            assertThat(run.stdout()).contains("Aggregated");
        }
        Path folder = onlyResultsFolder();
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("interrupted"); // RunEndEndToEndTest has the rest
        long requests = summary.at("/totals/requests").asLong();
        assertThat(requests).isGreaterThan(100);
        assertThat(Files.readAllLines(folder.resolve("stats.csv"))).anyMatch(l -> l.startsWith(",Aggregated," + requests + ","));
    }

    @Test
    void killDashNineStillLeavesResultsUpToTheLastSecond() throws Exception {
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "-f", quickScenario().toString(),
                "-H", service.baseUrl(), "-u", "5", "-r", "50", "-t", "5m", "--headless",
                "--results", dir.resolve("results").toString())) {
            // two whole seconds written, the last of them with requests too
            StampedeProcess.awaitSummary(dir.resolve("results"), "two seconds with requests", s -> s.get("points").size() >= 2
                    && s.at("/totals/requests").asLong() >= 100 && s.get("points").get(s.get("points").size() - 1).get("requests").asLong() > 0);
            run.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            run.waitFor(Duration.ofSeconds(30));
        }
        Path folder = onlyResultsFolder();
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("running");
        assertThat(summary.at("/totals/requests").asLong()).isPositive(); // how many depends on the machine
        assertThat(summary.get("points").size()).isGreaterThanOrEqualTo(2);
        List<String> stats = Files.readAllLines(folder.resolve("stats.csv"));
        assertThat(stats.get(stats.size() - 1)).startsWith(",Aggregated,");
    }

    @Test
    void demoRunsTheLabAndLeavesNoChildBehind() throws Exception {
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "demo", "-u", "20", "-r", "20", "-t", "4s",
                "--service-port", "0", "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("GET", "/health", "Aggregated");
        String pidText = result.stdout().replaceAll("(?s).*target app started: pid (\\d+).*", "$1");
        long pid = Long.parseLong(pidText);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
