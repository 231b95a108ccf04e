package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --processes}: the users run in worker processes, the coordinator merges their figures into
 * one run, passes a change of users on, and a worker never outlives its coordinator.
 */
class ProcessesEndToEndTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DemoService service;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private Path scenario() throws IOException {
        Path file = dir.resolve("SplitUser.java");
        Files.writeString(file, """
                import io.stampede.api.*;
                import java.time.Duration;
                public class SplitUser extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                    @Task(weight = 3) public void index() { http().get("/"); }
                    @Task(weight = 1) public void oops() { throw new IllegalStateException("from a worker"); }
                }
                """);
        return file;
    }

    /** The coordinator's child processes: here it starts no target, so they are its workers. */
    private static List<ProcessHandle> workers(StampedeProcess coordinator) {
        return coordinator.process().children().filter(ProcessHandle::isAlive).toList();
    }

    @Test
    void usersRunInWorkersAndTheirFiguresMakeOneRun() throws Exception {
        int webPort = FreePorts.next();
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + webPort + "/api/";
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "-f", scenario().toString(), "-H", service.baseUrl(),
                "-u", "6", "-r", "100", "-t", "8s", "--processes", "2", "--autostart", "--web-port", String.valueOf(webPort),
                "--results", dir.resolve("results").toString())) {
            run.await("two worker processes", LIMIT, () -> workers(run).size() == 2);
            run.await("6 users over the workers", LIMIT, () -> users(http, api) == 6);
            HttpResponse<String> change = http.send(HttpRequest.newBuilder(URI.create(api + "users"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"users\": 3, \"spawnRate\": 100}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
            run.await("3 users after the change", LIMIT, () -> users(http, api) == 3);

            // a worker's scenario code threw and nothing else judges the run: --exit-code-on-error, 1
            assertThat(run.waitFor(LIMIT)).as(run.stderr()).isEqualTo(1);
            assertThat(run.process().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
            assertThat(run.stdout()).contains("SplitUser.oops: java.lang.IllegalStateException: from a worker");
        } finally {
            http.shutdownNow();
        }
        Path folder;
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            folder = folders.findFirst().orElseThrow();
        }
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        List<JsonNode> points = new ArrayList<>();
        summary.path("points").forEach(points::add);
        assertThat(points.stream().mapToInt(p -> p.path("users").asInt()).max().orElse(0)).isEqualTo(6);
        long perPoint = points.stream().mapToLong(p -> p.path("requests").asLong()).sum();
        assertThat(summary.at("/totals/requests").asLong()).isEqualTo(perPoint).isGreaterThan(100);
        assertThat(summary.at("/totals/failures").asLong()).isZero();
    }

    @Test
    void workersStopWhenTheCoordinatorIsKilled() throws Exception {
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "-f", scenario().toString(), "-H", service.baseUrl(),
                "-u", "4", "-r", "100", "-t", "5m", "--processes", "2", "--headless", "--no-results")) {
            run.await("two worker processes", LIMIT, () -> workers(run).size() == 2);
            List<ProcessHandle> workers = workers(run);
            run.process().destroyForcibly(); // kill -9: no shutdown hook, no stop message
            run.await("the workers' own exit", LIMIT, () -> workers.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    private static int users(HttpClient http, String api) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("users").asInt();
        } catch (Exception notYet) {
            return -1;
        }
    }
}
