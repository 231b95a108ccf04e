package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.docker.DockerLab;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers as targets, through a real Docker engine: the seed lab with a container that has a
 * restart policy, Pumba's selection with the chaos command and rollback on SIGTERM, and the errors.
 */
class ContainerChaosEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static DockerLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildImage() throws Exception {
        lab = DockerLab.open();
    }

    @AfterAll
    static void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
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

    @Test
    void crashPauseAndStopOnACreatedContainerAreMeasuredAndTheContainerIsRemoved() throws Exception {
        Path plan = plan("""
                name: container-lab
                targets:
                  app: { image: "%s", url: "http://127.0.0.1:%d", health: /health, restart: { policy: always } }
                load: { users: 20, spawnRate: 100, runTime: 18s, wait: { constant: 100ms } }
                recovery: { goodSeconds: 2 }
                tasks:
                  - { weight: 3, get: / }
                  - { weight: 1, get: /health, expect: { status: 200, body: OK } }
                chaos:
                  - { fault: crash, target: app, at: 2s }
                  - { fault: pause, target: app, at: 7s, duration: 1s }
                  - { fault: stop, target: app, at: 12s, duration: 1s, grace: 1s }
                slos:
                  - { name: availability, objective: "50%%" }
                """.formatted(lab.image(), freePort()));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("crash#1 injected on app", "to its main process (host pid",
                "killed by SIGKILL", "pause#2 injected on app", "target app paused", "target app resumed",
                "stop#3 injected on app", "stop#3 rolled back on app", "Verdict: PASS");
        assertThat(lab.labelled("app")).as("the created container is removed at the end").isEmpty();

        JsonNode summary = summary();
        List<String> kinds = summary.get("events").findValuesAsText("kind");
        // Docker's own events, in its order: the crash (exited, started again by the restart policy),
        // the pause and its end, the stop and the start after it
        assertThat(kinds.stream().filter(k -> List.of("TARGET_STARTED", "TARGET_EXITED", "TARGET_PAUSED", "TARGET_RESUMED")
                .contains(k)).toList()).containsSubsequence("TARGET_STARTED", "TARGET_EXITED", "TARGET_STARTED",
                "TARGET_PAUSED", "TARGET_RESUMED", "TARGET_EXITED", "TARGET_STARTED");
        // healthy before the crash and again after it. The health probe is a second observer: on a
        // loaded machine its answer from the restarted container can come before Docker's start event
        // is read, or after the pause has begun, so it is not ordered against Docker's events
        int crashed = kinds.indexOf("TARGET_EXITED");
        assertThat(kinds.subList(0, crashed)).contains("TARGET_HEALTHY");
        assertThat(kinds.subList(crashed, kinds.size())).contains("TARGET_HEALTHY");
        for (JsonNode fault : summary.at("/verdict/faults")) {
            assertThat(fault.get("recovered").asBoolean()).as(fault.toString()).isTrue();
            assertThat(fault.get("timeToRecoverSeconds").asDouble()).as(fault.toString()).isLessThan(8);
        }
        assertThat(summary.at("/totals/failures").asLong()).isGreaterThan(0);
        JsonNode points = summary.get("points");
        assertThat(points.get(points.size() - 2).get("failures").asLong()).isZero();
    }

    @Test
    void pauseWithRegexAndLimitHitsTwoOfThreeAndSigtermUnpausesThem() throws Exception {
        String prefix = "stampede-sel-" + ProcessHandle.current().pid() + "-";
        List<String> ids = Stream.of("a", "b", "c").map(n -> lab.run(prefix + n, 0, "no")).toList();
        String bystander = lab.run("bystander-" + ProcessHandle.current().pid(), 0, "no");
        try (StampedeProcess chaos = StampedeProcess.start(dir, "chaos", "pause", "--container", "re2:^" + prefix,
                "--limit", "2", "--duration", "4m")) {
            // the default deadline, while the command lives: its JVM's start alone takes 10-30 s on a loaded machine
            chaos.awaitWhileAlive("two containers paused", () -> ids.stream().filter(id -> lab.state(id).equals("paused")).count() >= 2);
            assertThat(ids.stream().map(lab::state).toList()).containsExactlyInAnyOrder("paused", "paused", "running");
            assertThat(lab.state(bystander)).isEqualTo("running");
            chaos.process().destroy(); // SIGTERM
            chaos.waitFor(Duration.ofSeconds(30));
            assertThat(chaos.stdout()).contains("rolled back", "run ended");
        }
        assertThat(ids.stream().map(lab::state).toList()).containsOnly("running");
        assertThat(lab.state(bystander)).isEqualTo("running");
    }

    @Test
    void containerMistakesAreExplainedWithoutAStackTrace() throws Exception {
        String tasks = "host: http://127.0.0.1:1\ntasks: [ { get: / } ]\n";
        StampedeProcess.Result missing = StampedeProcess.inProcess("run", "--headless",
                plan("targets:\n  web: { container: no-such-container-" + ProcessHandle.current().pid() + " }\n" + tasks).toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("plan.yaml:2:21: targets.web.container: no container 'no-such-container-")
                .doesNotContain("\tat ");

        StampedeProcess.Result noMatch = StampedeProcess.inProcess("run", "--headless",
                plan("targets:\n  web: { container: \"re2:^no-such-\" }\n" + tasks).toString());
        assertThat(noMatch.exitCode()).isEqualTo(2);
        assertThat(noMatch.stderr()).contains("targets.web.container: no container matches re2:^no-such-");

        StampedeProcess.Result noImage = StampedeProcess.inProcess("run", "--headless", plan(
                "targets:\n  app: { image: \"stampede-no-such:image\", url: \"http://127.0.0.1:%d\" }\n".formatted(freePort()) + tasks).toString());
        assertThat(noImage.exitCode()).isEqualTo(3);
        assertThat(noImage.stderr()).contains("plan.yaml:2:17: targets.app.image: the Docker engine has no image 'stampede-no-such:image'")
                .doesNotContain("\tat ");

        StampedeProcess.Result noSocket = StampedeProcess.runWithEnv(dir, LIMIT, Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"),
                "chaos", "kill", "--container", "web");
        assertThat(noSocket.exitCode()).isEqualTo(3);
        assertThat(noSocket.stderr()).contains("no Docker engine at /nonexistent/docker.sock").doesNotContain("\tat ");

        StampedeProcess.Result crashOnProcess = StampedeProcess.inProcess("run", "--headless", plan(
                "targets:\n  app: { builtin: demo }\nchaos:\n  - { fault: crash, target: app, at: 1s }\n" + tasks).toString());
        assertThat(crashOnProcess.exitCode()).isEqualTo(2);
        assertThat(crashOnProcess.stderr()).contains("chaos[0].target: crash acts on containers");

        StampedeProcess.Result restartDelay = StampedeProcess.inProcess("run", "--headless", plan(
                "targets:\n  app: { image: x, url: \"http://127.0.0.1:1\", restart: { policy: sometimes } }\n" + tasks).toString());
        assertThat(restartDelay.exitCode()).isEqualTo(2);
        assertThat(restartDelay.stderr()).contains("targets.app.restart.policy: a container's restart policy is always, on-failure,");
    }
}
