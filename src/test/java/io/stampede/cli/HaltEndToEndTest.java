package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.input.Durations;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Halt conditions and the steady state in real runs against the demo service: a budget that
 * crosses its share halts the chaos and rolls the active fault back, a failing probe halts it and
 * stops the users, a service failing from the start gets no fault at all.
 */
class HaltEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private Path plan(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private StampedeProcess.Result run(Path plan) throws Exception {
        return StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
    }

    private Path resultsFolder() throws IOException {
        return resultsFolder(dir);
    }

    private static Path resultsFolder(Path dir) throws IOException {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            return folders.findFirst().orElseThrow();
        }
    }

    private List<JsonNode> events() throws IOException {
        return events(dir);
    }

    private static List<JsonNode> events(Path dir) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(resultsFolder(dir).resolve("events.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static List<JsonNode> ofKind(List<JsonNode> events, String kind) {
        return events.stream().filter(e -> e.get("kind").asText().equals(kind)).toList();
    }

    private static int indexOf(List<JsonNode> events, String kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).get("kind").asText().equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Kills every 3 s and an HTTP error fault that lasts: the budget (90%: 10% of requests may fail)
     * crosses 50% left within a second or two of the first faults, the guard halts the chaos, the
     * error fault is rolled back and nothing is injected after it. Prints the time from the
     * condition becoming true (the end of the first second whose run-so-far budget is below 50%) to
     * the halt, and from the halt to the last rollback. The run goes on 18 s: the halt comes a few
     * seconds in, and at least two kill periods follow it in which nothing may be injected.
     */
    @Test
    void aBudgetBelowItsShareHaltsTheChaosAndRollsBackTheActiveFault() throws Exception {
        int port = freePort();
        Path plan = plan("""
                name: budget-halt
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d", restart: { policy: always, delay: 200ms } }
                load: { users: 20, spawnRate: 100, runTime: 18s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: http-error, target: app, status: 503, rate: 0.3, at: 1s, duration: 2m }
                  - { fault: kill, target: app, every: 3s, startAfter: 1s }
                slos:
                  - { name: availability, objective: 90%% }
                steady: { hold: 2s, within: 40s }
                halt:
                  when:
                    - { slo: availability, budgetLeftBelow: 50%% }
                """.formatted(port));
        StampedeProcess.Result result = run(plan);
        assertThat(result.exitCode()).as(result.stderr()).isIn(0, 1); // the SLO decides; the halt itself fails nothing

        List<JsonNode> events = events();
        List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
        // the steady state first, then the faults, then the halt
        assertThat(kinds).containsSubsequence("STEADY_STATE_REACHED", "FAULT_INJECTED", "CHAOS_HALTED", "FAULT_ROLLED_BACK");
        assertThat(ofKind(events, "CHAOS_HALTED")).hasSize(1);
        JsonNode halt = ofKind(events, "CHAOS_HALTED").get(0);
        assertThat(halt.get("detail").asText()).matches("chaos halted at 0:\\d\\d by budgetLeft of availability < 50% \\(-?\\d+\\.\\d% left\\)");
        long haltedAt = halt.get("epochMillis").asLong();
        int haltIndex = indexOf(events, "CHAOS_HALTED");
        // no injection follows the halt, in timeline order or in time
        assertThat(kinds.subList(haltIndex, kinds.size())).doesNotContain("FAULT_INJECTED");
        assertThat(ofKind(events, "FAULT_INJECTED")).allSatisfy(e -> assertThat(e.get("epochMillis").asLong()).isLessThanOrEqualTo(haltedAt));
        // the lasting fault was active at the halt and rolled back by it
        JsonNode error = ofKind(events, "FAULT_INJECTED").stream().filter(e -> e.get("fault").asText().equals("http-error"))
                .findFirst().orElseThrow();
        JsonNode undone = ofKind(events, "FAULT_ROLLED_BACK").stream()
                .filter(e -> e.get("injection").asText().equals(error.get("injection").asText())).findFirst().orElseThrow();
        assertThat(undone.get("detail").asText()).isEqualTo("chaos halted by budgetLeft of availability < 50%");
        long lastRollback = ofKind(events, "FAULT_ROLLED_BACK").stream().mapToLong(e -> e.get("epochMillis").asLong()).max().orElseThrow();
        assertThat(lastRollback).isGreaterThanOrEqualTo(haltedAt);
        assertThat(lastRollback - haltedAt).as("halt to last rollback").isLessThan(10_000);

        // when the condition became true: the first second whose run-so-far budget is below 50%
        JsonNode summary = JSON.readTree(resultsFolder().resolve("summary.json").toFile());
        long total = 0;
        long bad = 0;
        long trueAt = -1;
        long firstFault = error.get("epochMillis").asLong();
        for (JsonNode p : summary.get("points")) {
            total += p.get("requests").asLong();
            bad += p.get("failures").asLong();
            if (p.get("endEpochMillis").asLong() > firstFault && total >= 10 && 100.0 * (0.1 * total - bad) / (0.1 * total) < 50) {
                trueAt = p.get("endEpochMillis").asLong();
                break;
            }
        }
        assertThat(trueAt).as("the budget crossed 50%").isPositive();
        assertThat(haltedAt).isGreaterThanOrEqualTo(trueAt); // read from that second's statistics, so not before
        assertThat(haltedAt - trueAt).as("condition true to halt").isLessThan(10_000);
        System.out.printf("budget halt: condition true -> halt %d ms, halt -> last rollback %d ms, condition true -> last rollback %d ms%n",
                haltedAt - trueAt, lastRollback - haltedAt, lastRollback - trueAt);

        assertThat(summary.at("/verdict/chaosHalted").asText()).isEqualTo(halt.get("detail").asText());
        assertThat(result.stdout()).contains("Chaos: " + halt.get("detail").asText(), "steady state reached");
        assertThat(Files.readString(resultsFolder().resolve("report.html"))).contains("chaos halted at 0:");
    }

    /** A paused service stops answering its probe: two failures in a row halt the chaos, continue it, and stop the users. */
    @Test
    void aProbeFailingInARowHaltsTheChaosAndStopsTheUsers() throws Exception {
        int port = freePort();
        Path plan = plan("""
                name: probe-halt
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 5, spawnRate: 100, runTime: 90s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: pause, target: app, at: 2s, duration: 5m }
                  - { fault: kill, target: app, at: 80s }
                halt:
                  when:
                    - { probe: /health, failuresInARow: 2, timeout: 500ms }
                  then: stop
                """.formatted(port));
        StampedeProcess.Result result = run(plan);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1); // stopped before its planned end

        List<JsonNode> events = events();
        List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
        assertThat(kinds).containsSubsequence("FAULT_INJECTED", "CHAOS_HALTED", "FAULT_ROLLED_BACK");
        JsonNode halt = ofKind(events, "CHAOS_HALTED").get(0);
        assertThat(halt.get("detail").asText()).matches("chaos halted at 0:\\d\\d by probe http://127.0.0.1:" + port
                + "/health failing 2 in a row \\(2 failures in a row\\)");
        JsonNode pause = ofKind(events, "FAULT_INJECTED").get(0);
        assertThat(pause.get("fault").asText()).isEqualTo("pause");
        assertThat(ofKind(events, "FAULT_INJECTED")).hasSize(1); // the kill at 80 s never came
        JsonNode continued = ofKind(events, "FAULT_ROLLED_BACK").get(0);
        assertThat(continued.get("injection").asText()).isEqualTo(pause.get("injection").asText());
        assertThat(continued.get("detail").asText()).startsWith("chaos halted by probe");
        long haltedAt = halt.get("epochMillis").asLong();
        // two probes at least, a second apart, each failing after its 500 ms
        assertThat(haltedAt - pause.get("epochMillis").asLong()).isGreaterThanOrEqualTo(1_000);
        System.out.printf("probe halt: pause -> halt %d ms, halt -> rollback %d ms%n",
                haltedAt - pause.get("epochMillis").asLong(), continued.get("epochMillis").asLong() - haltedAt);
        assertThat(result.stdout()).contains("run aborted at 0:", halt.get("detail").asText());
    }

    /**
     * Half the requests failing from 2 s: a k6 threshold over 3 s, and then a burn rate over 3 s, each halt the chaos and undo the fault.
     * Both stop the users when they halt: the run ends there instead of at its 12 s (going on after a halt is the budget test's).
     * The two runs share nothing (each its own demo port and folder), so they run at once: one wait instead of two.
     */
    @Test
    void aFailingThresholdAndABurnRateEachHaltTheChaos() throws Exception {
        List<String> conditions = List.of("{ metric: http_req_failed, threshold: \"rate<0.2\", window: 3s }",
                "{ slo: availability, burnRateAbove: 2, window: 3s }");
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            String condition = conditions.get(i);
            Path own = Files.createDirectories(dir.resolve("condition-" + i));
            int port = freePort();
            runs.add(CompletableFuture.runAsync(() -> haltsTheChaos(own, port, condition)));
        }
        for (CompletableFuture<Void> run : runs) {
            run.get(); // an assertion failed in a run fails the test with its message
        }
    }

    private static void haltsTheChaos(Path dir, int port, String condition) {
        try {
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    targets:
                      app: { builtin: demo, url: "http://127.0.0.1:%d" }
                    load: { users: 10, spawnRate: 100, runTime: 40s, wait: { constant: 100ms } }
                    tasks: [ { get: / } ]
                    chaos:
                      - { fault: http-error, target: app, status: 503, rate: 0.5, at: 2s, duration: 2m }
                    slos:
                      - { name: availability, objective: 90%% }
                    halt:
                      when:
                        - %s
                      then: stop
                    """.formatted(port, condition));
            StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                    "--results", dir.resolve("results").toString());
            assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1); // stopped before its planned end
            List<JsonNode> events = events(dir);
            List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
            assertThat(kinds).containsSubsequence("FAULT_INJECTED", "CHAOS_HALTED", "FAULT_ROLLED_BACK");
            String said = ofKind(events, "CHAOS_HALTED").get(0).get("detail").asText();
            assertThat(said).matches(condition.contains("threshold")
                    ? "chaos halted at 0:[0-3]\\d by threshold http_req_failed rate<0.2 over 3s \\(rate=\\d+\\.\\d\\d%\\)"
                    : "chaos halted at 0:[0-3]\\d by burnRate of availability > 2 over 3s \\(burn rate \\d+\\.\\d\\d\\)");
            assertThat(ofKind(events, "FAULT_ROLLED_BACK").get(0).get("detail").asText()).startsWith("chaos halted by ");
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * A service failing every request never holds its 99% SLO: no fault, exit 3. Every request fails, so
     * no second holds by construction (a second holds only when it saw a request and none failed): at
     * 30% errors a loaded machine's seconds of one or two requests each held by chance, three in a row
     * now and then, and the chaos started. Its health is probed on /metrics, the one path the demo's
     * error rate spares.
     */
    @Test
    void aServiceNotSteadyGetsNoFaultAndExitsThree() throws Exception {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path plan = plan("""
                name: not-steady
                targets:
                  app:
                    command: [%s, -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -cp, "%s", io.stampede.cli.Main, target, --port, "%d", --error-rate, "1"]
                    url: "http://127.0.0.1:%d"
                    health: /metrics
                load: { users: 10, spawnRate: 100, runTime: 12s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: kill, target: app, every: 2s, startAfter: 1s }
                slos:
                  - { name: availability, objective: 99%% }
                steady: { hold: 3s, within: 5s }
                """.formatted(java, System.getProperty("java.class.path"), port, port));
        StampedeProcess.Result result = run(plan);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(3);

        List<JsonNode> events = events();
        assertThat(ofKind(events, "FAULT_INJECTED")).isEmpty();
        assertThat(ofKind(events, "STEADY_STATE_REACHED")).isEmpty();
        JsonNode notSteady = ofKind(events, "STEADY_STATE_NOT_REACHED").get(0);
        assertThat(notSteady.get("detail").asText()).startsWith("the service was not steady: the SLOs did not hold for 3s within 5s (availability ")
                .endsWith("; no fault injected");
        JsonNode summary = JSON.readTree(resultsFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/verdict/steadyState/result").asText()).isEqualTo("not steady");
        assertThat(summary.at("/verdict/passed").asBoolean()).isFalse();
        assertThat(result.stdout()).contains("Steady state: not steady (the service was not steady");
        assertThat(Files.readString(resultsFolder().resolve("junit.xml")))
                .contains("<testcase classname=\"stampede.not-steady.chaos\" name=\"steady state\"", "message=\"the service was not steady: ");
    }

    @Test
    void theDryRunListsTheGuardAndBadConditionsExitTwo() throws Exception {
        Path plan = plan("""
                host: http://127.0.0.1:5001
                tasks: [ { get: / } ]
                slos: [ { name: availability, objective: 99% } ]
                steady: { hold: 10s, within: 1m }
                halt:
                  when:
                    - { slo: availability, budgetLeftBelow: 50% }
                    - { probe: /health }
                  then: stop
                """);
        StampedeProcess.Result dry = StampedeProcess.run(dir, LIMIT, "run", "--dry-run", plan.toString());
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        assertThat(dry.stdout()).contains("Chaos guard (evaluated every 1s):\n"
                + "  steady state first: every SLO held for 10s in a row, within 1m of the start (else no fault, exit 3);"
                + " the schedule's times count from then\n"
                + "  halt when budgetLeft of availability < 50% (then stop the users)\n"
                + "  halt when probe /health failing 3 in a row (then stop the users)\n");

        Files.writeString(plan, Files.readString(plan).replace("slo: availability", "slo: availabilty").replace("1m }", "1x }"));
        StampedeProcess.Result bad = StampedeProcess.inProcess("run", "--dry-run", plan.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).isEqualTo("stampede: " + plan + ":4:30: steady.within: " + badDuration("1x") + "\n"
                + "stampede: " + plan + ":7:14: halt.when[0].slo: no SLO is named 'availabilty'; the plan's SLOs are [availability]\n");
    }

    private static String badDuration(String text) {
        try {
            Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError(text + " parsed");
    }
}
