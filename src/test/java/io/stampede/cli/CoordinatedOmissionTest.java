package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wrt2's test of latency truth: the demo service is paused (SIGSTOP) for 1 s in the middle of a
 * 10 s run at 200 requests/s. Requests scheduled during the stall wait from ~1 s down to ~0, so
 * 10% of all requests are spread evenly over (0, 1 s]: p95 ≈ 0.5 s and p99 ≈ 0.9 s. Measured from
 * the actual start in a closed loop, the same stall all but disappears.
 *
 * <p>The open run pre-allocates its users, as k6 users do, so the requests held by the stall wait on
 * warm connections: users made during the stall would open 200 connections at once, and the
 * service's accepting them after it resumes would add its own delay to the stall's.
 */
@EndToEnd
class CoordinatedOmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** Well under the theory's 500 ms and 900 ms: a quiet machine's numbers are printed, not asserted. */
    private static final double STALL_P95_FLOOR_MILLIS = 350;
    private static final double STALL_P99_FLOOR_MILLIS = 700;
    /** Of the ~500 ms the stall adds to the p95 from the intended start, what the actual start must miss. */
    private static final double HIDDEN_BY_NAIVE_MILLIS = 200;

    @TempDir
    Path dir;

    /** The command of a run of {@code name} with {@code load}, its results in a folder of that name. */
    private String[] command(String name, String load) throws Exception {
        int port = FreePorts.next();
        Path plan = dir.resolve(name + ".yaml");
        Files.writeString(plan, """
                name: %s
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: %s
                tasks: [ { get: / } ]
                chaos:
                  - { fault: pause, target: app, at: 5s, duration: 1s }
                """.formatted(name, port, load));
        return new String[] {"run", "--headless", plan.toString(), "--results", dir.resolve(name).toString()};
    }

    /** The run's totals, once it passed. */
    private JsonNode totals(String name, StampedeProcess.Result result) throws Exception {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        try (Stream<Path> folders = Files.list(dir.resolve(name))) {
            return JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile()).get("totals");
        }
    }

    private static String line(String what, JsonNode totals) {
        return String.format("%-52s requests %5d  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms", what,
                totals.get("requests").asLong(), totals.get("medianMillis").asDouble(), totals.get("p95Millis").asDouble(),
                totals.get("p99Millis").asDouble(), totals.get("maxMillis").asDouble());
    }

    @Test
    void aOneSecondStallShowsInTheOpenModelAndHidesFromNaiveMeasurement() throws Exception {
        JsonNode open = totals("open", StampedeProcess.run(dir, LIMIT,
                command("open", "{ arrivalRate: 200, maxConcurrency: 1000, preAllocated: 300, runTime: 10s }")));
        // The two closed runs differ only in where latency is measured from, and are compared with each
        // other: side by side, each with its own demo service, they share the machine's load as well.
        List<StampedeProcess.Result> paced = StampedeProcess.runTogether(dir, LIMIT,
                command("paced-intended", "{ users: 20, spawnRate: 1000, runTime: 10s, wait: { pacing: 100ms } }"),
                command("paced-actual", "{ users: 20, spawnRate: 1000, runTime: 10s, wait: { pacing: 100ms }, latencyFrom: actual }"));
        JsonNode pacedIntended = totals("paced-intended", paced.get(0));
        JsonNode pacedActual = totals("paced-actual", paced.get(1));
        System.out.println("1 s stall in a 10 s run at 200 requests/s (theory: p95 500 ms, p99 900 ms)");
        System.out.println(line("open model, from the intended start", open));
        System.out.println(line("closed model, constant pacing, from the intended start", pacedIntended));
        System.out.println(line("closed model, constant pacing, from the actual start", pacedActual));

        // Only what the stall makes true on any machine: a busy one adds latency to every request, so
        // upper bounds on latency (p95 within 450..550 ms) belong to a benchmark, not here. The stall
        // adds ~1 s down to 0 to the 10% of requests scheduled in it, measured from the intended start.
        assertThat(open.get("requests").asLong()).isBetween(1000L, 2100L); // 200/s for 10 s, none beyond the schedule
        assertThat(open.get("p95Millis").asDouble()).isGreaterThan(STALL_P95_FLOOR_MILLIS);
        assertThat(open.get("p99Millis").asDouble()).isGreaterThan(STALL_P99_FLOOR_MILLIS);
        assertThat(pacedIntended.get("p95Millis").asDouble()).isGreaterThan(STALL_P95_FLOOR_MILLIS);
        assertThat(pacedIntended.get("p99Millis").asDouble()).isGreaterThan(STALL_P99_FLOOR_MILLIS);
        // The naive measurement hides the stall: only the 20 requests in flight saw it (its max tells);
        // its p95 misses the ~0.5 s the stall adds to the same run measured from the intended start.
        assertThat(pacedActual.get("maxMillis").asDouble()).isGreaterThan(STALL_P99_FLOOR_MILLIS);
        assertThat(pacedIntended.get("p95Millis").asDouble() - pacedActual.get("p95Millis").asDouble())
                .isGreaterThan(HIDDEN_BY_NAIVE_MILLIS);
    }
}
