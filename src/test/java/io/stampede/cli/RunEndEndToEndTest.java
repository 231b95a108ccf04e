package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.engine.RunEnd;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that does not reach its planned end never reads as a pass: SIGTERM, kill -9, abortOnFail,
 * a task that ignores the stop, a reset of the statistics. Real processes, a real demo service.
 */
class RunEndEndToEndTest {

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

    /** 5 users, one SLO, 45 s planned: long enough that every stop below comes before its end. */
    private Path plan(String extra) throws IOException {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: stopped
                host: %s
                load: { users: 5, spawnRate: 50, runTime: 45s, wait: { constant: 50ms } }
                tasks:
                  - { get: / }
                slos:
                  - { name: availability, objective: 99%% }
                %s
                """.formatted(service.baseUrl(), extra));
        return plan;
    }

    private Path results() {
        return dir.resolve("results");
    }

    private Path onlyResultsFolder() throws IOException {
        try (Stream<Path> folders = Files.list(results())) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private JsonNode summary() throws IOException {
        return JSON.readTree(onlyResultsFolder().resolve("summary.json").toFile());
    }

    /** Waits until the run's summary.json counts {@code requests}: the run is really going, however slow the start. */
    private void awaitRequests(long requests) {
        StampedeProcess.awaitRequests(results(), requests);
    }

    @Test
    void sigtermMidRunIsInterruptedFailsAndSaysSoEverywhere() throws Exception {
        int code;
        String stdout;
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "--headless", plan("").toString(),
                "--results", results().toString())) {
            awaitRequests(50);
            run.process().destroy(); // SIGTERM
            code = run.waitFor(LIMIT);
            stdout = run.stdout();
        }
        assertThat(code).as("exit code of an interrupted run").isEqualTo(1);
        JsonNode summary = summary();
        assertThat(summary.path("status").asText()).isEqualTo("interrupted");
        assertThat(summary.path("plannedSeconds").asDouble()).isEqualTo(45.0);
        double at = summary.path("stoppedAtSeconds").asDouble();
        assertThat(at).isPositive().isLessThan(45);
        assertThat(summary.path("stopReason").asText()).isEqualTo("signal (SIGTERM, SIGINT or SIGHUP)");
        assertThat(summary.at("/verdict/passed").asBoolean()).isFalse();
        assertThat(summary.at("/verdict/slos/0/status").asText()).as("the SLO itself held").isEqualTo("pass");
        String expected = "run interrupted at " + RunEnd.clock(at) + " of 0:45: signal (SIGTERM, SIGINT or SIGHUP)";
        assertThat(summary.at("/verdict/stoppedEarly").asText()).isEqualTo(expected);
        assertThat(stdout).contains("Verdict: FAIL (" + expected + ")");

        Path folder = onlyResultsFolder();
        String junit = Files.readString(folder.resolve("junit.xml"));
        assertThat(junit).contains("tests=\"2\"").contains("failures=\"1\"")
                .contains("<testcase classname=\"stampede.stopped.run\" name=\"run reached its planned end\" time=\"0\">")
                .contains("<failure message=\"" + expected + "\" type=\"run\">");
        String html = Files.readString(folder.resolve("report.html"));
        assertThat(html).contains("<div class=\"banner fail\" id=\"run-end\"><strong>INTERRUPTED</strong> " + expected);
    }

    @Test
    void anOpenEndedRunStoppedBySigtermIsInterruptedButJudgedOnWhatRan() throws Exception {
        Path plan = dir.resolve("open.yaml");
        Files.writeString(plan, """
                name: open-ended
                host: %s
                load: { users: 2, spawnRate: 50, wait: { constant: 50ms } }
                tasks:
                  - { get: / }
                slos:
                  - { name: availability, objective: 99%% }
                """.formatted(service.baseUrl()));
        int code;
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "--headless", plan.toString(),
                "--results", results().toString())) {
            awaitRequests(50);
            run.process().destroy(); // SIGTERM: the only end a run without a run time has
            code = run.waitFor(LIMIT);
            assertThat(run.stdout()).contains("(no run time planned): signal (SIGTERM, SIGINT or SIGHUP)"
                    + " - an open-ended run ends so; judged on what ran.");
        }
        assertThat(code).as("as Locust: the SLOs decide").isZero();
        JsonNode summary = summary();
        assertThat(summary.path("status").asText()).isEqualTo("interrupted");
        assertThat(summary.path("plannedSeconds").isNull()).isTrue();
        assertThat(summary.at("/verdict/passed").asBoolean()).isTrue();
        assertThat(Files.readString(onlyResultsFolder().resolve("junit.xml"))).contains("failures=\"0\"")
                .doesNotContain("run reached its planned end");
        assertThat(Files.readString(onlyResultsFolder().resolve("report.html"))).contains("<div class=\"banner info\" id=\"run-end\">");
    }

    @Test
    void killDashNineThenReportSaysKilledAndFails() throws Exception {
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "--headless", plan("").toString(),
                "--results", results().toString())) {
            awaitRequests(50);
            run.process().destroyForcibly(); // SIGKILL: no hook, no final word
            run.waitFor(LIMIT);
        }
        Path folder = onlyResultsFolder();
        assertThat(summary().path("status").asText()).isEqualTo("running");
        assertThat(folder.resolve("junit.xml")).doesNotExist();

        StampedeProcess.Result report = StampedeProcess.run(dir, LIMIT, "report", folder.toString());
        assertThat(report.exitCode()).as(report.stderr()).isEqualTo(1);
        JsonNode summary = summary();
        assertThat(summary.path("status").asText()).isEqualTo("killed");
        String expected = "run killed at " + RunEnd.clock(summary.path("durationSeconds").asDouble())
                + " of 0:45: its process ended without finishing the run (killed, crashed, or the machine stopped);"
                + " the results hold its last written second";
        assertThat(report.stdout()).contains("Verdict: FAIL (" + expected + ")");
        assertThat(Files.readString(folder.resolve("junit.xml"))).contains("failures=\"1\"")
                .contains("<failure message=\"" + expected + "\" type=\"run\">");
        assertThat(Files.readString(folder.resolve("report.html"))).contains("<strong>KILLED</strong> " + expected);
    }

    @Test
    void abortOnFailIsAborted() throws Exception {
        Path plan = dir.resolve("abort.yaml");
        Files.writeString(plan, """
                name: aborting
                host: %s
                load: { users: 2, spawnRate: 50, runTime: 45s, wait: { constant: 50ms } }
                tasks:
                  - { get: /missing }
                thresholds:
                  http_req_failed: [{ threshold: "rate<0.01", abortOnFail: true }]
                """.formatted(service.baseUrl()));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                "--results", results().toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        JsonNode summary = summary();
        assertThat(summary.path("status").asText()).isEqualTo("aborted");
        assertThat(summary.path("stopReason").asText()).isEqualTo("abortOnFail: http_req_failed rate<0.01");
        assertThat(summary.path("stoppedAtSeconds").asDouble()).isLessThan(45);
        assertThat(Files.readString(onlyResultsFolder().resolve("junit.xml")))
                .contains("<failure message=\"run aborted at ").contains(" of 0:45: abortOnFail: http_req_failed rate&lt;0.01\"");
    }

    @Test
    void aTaskThatIgnoresTheStopIsAbandonedOnTimeAndNamed() throws Exception {
        assertStopIsBounded("-u", "1", "-r", "10");
    }

    @Test
    void anIterationOfTheOpenModelThatIgnoresTheStopIsAbandonedOnTime() throws Exception {
        assertStopIsBounded("--arrival-rate", "0.5"); // one iteration, at the start
    }

    private void assertStopIsBounded(String... load) throws Exception {
        Path scenario = dir.resolve("Spinner.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                public class Spinner extends User {
                    @Task public void spin() {
                        http().get("/");
                        long end = System.nanoTime() + 30_000_000_000L; // bounded: 30 s at most
                        while (System.nanoTime() < end) {
                            Thread.interrupted(); // ignores every interrupt
                        }
                    }
                }
                """);
        List<String> args = new ArrayList<>(List.of("run", "-f", scenario.toString(), "-H", service.baseUrl()));
        args.addAll(List.of(load));
        args.addAll(List.of("-t", "2s", "--stop-timeout", "1s", "--headless", "--results", results().toString()));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = summary();
        assertThat(summary.path("status").asText()).isEqualTo("finished");
        // Measured by the run's own clock: 2 s + 1 s stop timeout + 0.9 s before the user is abandoned, where
        // waiting for the task would take its 30 s. The rest is the machine's: those are timers, and the spinner
        // takes a core of its own, so on a loaded machine they fire late, by seconds at worst.
        double seconds = Duration.between(Instant.parse(summary.path("startTime").asText()),
                Instant.parse(summary.path("endTime").asText())).toMillis() / 1000.0;
        assertThat(seconds).isBetween(2.0, 8.0);
        assertThat(summary.path("abandonedUsers").toString())
                .isEqualTo("[{\"userClass\":\"Spinner\",\"task\":\"spin\",\"users\":1}]");
        assertThat(result.stderr()).contains("stampede: warning: 1 user did not end within the stop timeout (1s) and"
                + " 900ms after being interrupted; abandoned, still running: 1 Spinner in spin");
    }

    @Test
    void exitFromScenarioCodeIsRefusedAtCompileTime() throws Exception {
        Path scenario = dir.resolve("Exiter.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                import static java.lang.System.exit;
                public class Exiter extends User {
                    @Task public void a() { System.exit(0); }
                    @Task public void b() { exit(0); }
                    @Task public void c() { Runtime.getRuntime().halt(0); }
                    @Task public void d() { java.util.function.IntConsumer e = System::exit; e.accept(0); }
                }
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", scenario.toString(),
                "-H", service.baseUrl(), "-u", "1", "-t", "2s", "--headless", "--no-results");
        assertThat(result.exitCode()).isEqualTo(2);
        String why = " is not allowed in a scenario: Stampede's verdict decides the exit code (a task that throws"
                + " counts as failed; an abortOnFail threshold stops the run)";
        assertThat(result.stderr()).isEqualTo(("stampede: " + scenario + ":4:35: error: System.exit" + why + "\n"
                + "stampede: " + scenario + ":5:29: error: System.exit" + why + "\n"
                + "stampede: " + scenario + ":6:49: error: Runtime.halt" + why + "\n"
                + "stampede: " + scenario + ":7:64: error: System.exit" + why + "\n"));
    }

    @Test
    void aStaticInitializerThatThrowsIsBadInputWithItsFile() throws Exception {
        Path scenario = dir.resolve("Broken.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                public class Broken extends User {
                    static final int N = Integer.parseInt("many");
                    @Task public void a() { http().get("/"); }
                }
                """);
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "-f", scenario.toString(),
                "-H", service.baseUrl(), "-u", "1", "-t", "2s", "--headless", "--no-results");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + scenario + ": the static initializer of Broken threw"
                + " java.lang.NumberFormatException: For input string: \"many\"\n");
    }

    @Test
    void resetStatsIsAnEventAndTheReportSaysWhatItsTotalsCover() throws Exception {
        int port = FreePorts.next();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (StampedeProcess run = StampedeProcess.start(dir, "run", plan("").toString(), "-t", "10s", "--autostart",
                "--web-port", String.valueOf(port), "--results", results().toString())) {
            awaitRequests(50);
            HttpResponse<String> reset = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reset"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(run.waitFor(LIMIT)).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("statistics reset: totals reset from the web UI (POST /api/reset)")
                    .containsPattern("Totals since the reset at 0:\\d\\d; the SLOs and thresholds cover the whole run.");
        } finally {
            http.shutdownNow();
        }
        Path folder = onlyResultsFolder();
        assertThat(Files.readString(folder.resolve("events.jsonl"))).contains("\"kind\":\"STATS_RESET\"")
                .contains("totals reset from the web UI (POST /api/reset); charts and SLOs keep the whole run");
        JsonNode summary = summary();
        assertThat(summary.path("events").toString()).contains("STATS_RESET");
        assertThat(summary.path("totalsSince").asText()).isNotEmpty();
        long sloTotal = summary.at("/verdict/slos/0/total").asLong();
        assertThat(summary.at("/totals/requests").asLong()).as("totals since the reset, SLO over the whole run")
                .isLessThan(sloTotal);
        assertThat(Files.readString(folder.resolve("report.html"))).contains("id=\"totals-since\">Statistics were reset at 0:0")
                .contains("the totals and the request and failure tables cover the run since the reset;"
                        + " the charts, the SLOs and the thresholds cover the whole run.");
    }
}
