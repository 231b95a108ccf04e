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

/** A scenario file that declares its load in Java, run as a user runs it: a real process against a real service. */
class ScenarioLoadEndToEndTest {

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

    private Path scenario(String name, String load) throws Exception {
        return Files.writeString(dir.resolve(name + ".java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class %s extends User {
                    public static Load load() {
                        return %s;
                    }
                    @Task public void index() { http().get("/"); }
                }
                """.formatted(name, load));
    }

    private JsonNode summary() throws Exception {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return JSON.readTree(all.get(0).resolve("summary.json").toFile());
        }
    }

    private static int peakUsers(JsonNode summary) {
        int peak = 0;
        for (JsonNode point : summary.get("points")) {
            peak = Math.max(peak, point.get("users").asInt());
        }
        return peak;
    }

    @Test
    void theDeclaredOpenModelRunsWithoutLoadFlags() throws Exception {
        Path file = scenario("Arrivals", "Load.arrivalRate(40).preAllocated(5).maxConcurrency(50).runTime(Duration.ofSeconds(3))");
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", file.toString(),
                "-H", service.baseUrl(), "--headless", "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = summary();
        // 40 arrivals a second for 3 s, each one request: the clock, not the users, sets the count, and none
        // beyond the schedule. Arrivals still due when the run ends are not started, and on a loaded machine the
        // clock's thread can be a second behind then: 80 at least, where another rate (20/s) would give 60.
        assertThat(summary.at("/totals/requests").asLong()).isBetween(80L, 121L);
        assertThat(summary.at("/droppedIterations").asLong()).isZero();
        // 3 s and the stop (up to 0.9 s for the users), not the default run time; a loaded machine's timers are late
        assertThat(summary.at("/durationSeconds").asDouble()).isGreaterThanOrEqualTo(2.5).isLessThan(10);
    }

    @Test
    void flagsOverrideTheDeclaredLoad() throws Exception {
        Path file = scenario("Overridden", "Load.arrivalRate(500).maxConcurrency(500).runTime(Duration.ofMinutes(10))");
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", file.toString(),
                "-H", service.baseUrl(), "--headless", "--results", dir.resolve("results").toString(),
                "-u", "2", "-r", "10", "-t", "2s");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = summary();
        assertThat(peakUsers(summary)).isEqualTo(2);
        assertThat(summary.at("/durationSeconds").asDouble()).isLessThan(10);
    }

    @Test
    void aPlanFileNamingTheScenarioOverridesItsRunTime() throws Exception {
        Path file = scenario("Planned", "Load.users(3).spawnRate(10).runTime(Duration.ofMinutes(10))");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                scenario: Planned.java
                load: { runTime: 2s }
                """.formatted(service.baseUrl()));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", plan.toString(), "--headless",
                "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = summary();
        assertThat(peakUsers(summary)).isEqualTo(3);
        assertThat(summary.at("/durationSeconds").asDouble()).isLessThan(10);
    }

    @Test
    void badDeclaredValuesNameTheFileLineAndField() throws Exception {
        Path file = scenario("Bad", "Load.users(0).spawnRate(10)");
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "-f", file.toString(),
                "-H", service.baseUrl(), "--headless", "--no-results");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(file + ":5: load.users: users must be at least 1, got 0")
                .doesNotContain("\tat ");

        Path throwing = scenario("Throws", "Load.users(1).runTime(null)");
        StampedeProcess.Result thrown = StampedeProcess.inProcess("run", "-f", throwing.toString(),
                "-H", service.baseUrl(), "--headless", "--no-results");
        assertThat(thrown.exitCode()).isEqualTo(2);
        assertThat(thrown.stderr()).contains(throwing + ": Throws.load() threw java.lang.NullPointerException: runTime")
                .doesNotContain("\tat ");
    }
}
