package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stall is requests in flight with none answered, not a quiet second: a paused demo service stalls
 * (seen through worker processes too: their requests' starts cross the wire), while users thinking
 * for 2.5 s between requests leave seconds without answers that are not stalls.
 */
class StallEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private JsonNode run(String name, String yaml, String... extra) throws Exception {
        Path plan = dir.resolve(name + ".yaml");
        Files.writeString(plan, "name: " + name + "\n" + yaml);
        Path results = dir.resolve(name);
        String[] args = Stream.concat(Stream.of("run", "--headless", plan.toString(), "--results", results.toString()),
                Stream.of(extra)).toArray(String[]::new);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, args);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isIn(0, 1);
        try (Stream<Path> folders = Files.list(results)) {
            return JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile());
        }
    }

    @Test
    void aPausedServiceStallsWhileItsRequestsWait() throws Exception {
        // 5 s of SIGSTOP: at least three whole seconds of the run start 1 s or more into it, by when every
        // user (100 ms between requests) has sent its request and waits; a loaded machine may lose one
        JsonNode summary = run("paused", """
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 4, spawnRate: 100, runTime: 14s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: pause, target: app, at: 4s, duration: 5s }
                """.formatted(freePort()), "--processes", "2");
        JsonNode pause = summary.at("/verdict/faults/0");
        assertThat(pause.get("injection").asText()).isEqualTo("pause#1");
        assertThat(pause.get("stalledSeconds").asInt()).as(pause.toString()).isGreaterThanOrEqualTo(2);
        assertThat(pause.get("timeToDetectSeconds").isNumber()).as(pause.toString()).isTrue();
    }

    @Test
    void usersInLongThinkTimeMakeNoStall() throws Exception {
        // two users, 2.5 s between requests: about half the seconds complete nothing. A pause on another
        // process (not the service) gives the analysis a fault window to judge: nothing stalls in it.
        // outlives the run however late a loaded machine starts it (the run may take LIMIT); destroyed below
        Process sleeper = new ProcessBuilder("sleep", String.valueOf(LIMIT.multipliedBy(5).toSeconds())).start();
        try {
            JsonNode summary = run("thinking", """
                    targets:
                      app: { builtin: demo, url: "http://127.0.0.1:%d" }
                      sleeper: { pid: %d }
                    load: { users: 2, spawnRate: 100, runTime: 14s, wait: { constant: 2500ms } }
                    tasks: [ { get: / } ]
                    chaos:
                      - { fault: pause, target: sleeper, at: 3s, duration: 5s }
                    """.formatted(freePort(), sleeper.pid()));
            long quietSeconds = 0;
            for (JsonNode point : summary.get("points")) {
                quietSeconds += point.get("requests").asLong() == 0 && point.get("users").asInt() > 0 ? 1 : 0;
            }
            assertThat(quietSeconds).as("seconds in which users were thinking").isGreaterThanOrEqualTo(3);
            JsonNode pause = summary.at("/verdict/faults/0");
            assertThat(pause.get("stalledSeconds").asInt()).as(pause.toString()).isZero();
            assertThat(pause.get("timeToDetectSeconds").isNull()).as(pause.toString()).isTrue();
            assertThat(pause.get("failedRequests").asLong()).isZero();
        } finally {
            sleeper.destroy();
        }
    }
}
