package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stampede.engine.ClusterWorker;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stampede run --master} with {@code stampede worker} processes on 127.0.0.1: one run made
 * of the workers' figures, a lost worker's share moved to the others, workers that never outlive
 * their coordinator, and peers without the token or of another protocol version refused.
 */
class ClusterEndToEndTest {

    /** Generous: three worker JVMs compile the scenario at once on a busy machine. */
    private static final Duration LIMIT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINISHED = Pattern.compile("(\\d+) requests, (\\d+) failures");

    @TempDir
    Path dir;

    private HttpServer target;
    private final AtomicLong served = new AtomicLong();
    private final List<StampedeProcess> started = new ArrayList<>();

    @BeforeEach
    void startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        target.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void stopAll() {
        started.forEach(StampedeProcess::close);
        target.stop(0);
    }

    private String host() {
        return "http://127.0.0.1:" + target.getAddress().getPort();
    }

    private Path scenario() throws IOException {
        Path file = dir.resolve("ClusterUser.java");
        Files.writeString(file, """
                import io.stampede.api.*;
                import java.time.Duration;
                public class ClusterUser extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                    @Task public void index() { http().get("/"); }
                }
                """);
        return file;
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private StampedeProcess stampede(Map<String, String> env, String... args) throws IOException {
        StampedeProcess process = StampedeProcess.start(dir, env, args);
        started.add(process);
        return process;
    }

    private StampedeProcess worker(int port, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port)));
        args.addAll(List.of(more));
        return stampede(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void threeWorkersMakeOneRunWhoseTotalsAreTheSumOfTheirs() throws Exception {
        int port = freePort();
        Path results = dir.resolve("results");
        StampedeProcess coordinator = stampede(Map.of("STAMPEDE_CLUSTER_TOKEN", "t0ken"), "run", "-f", scenario().toString(),
                "-H", host(), "-u", "7", "-r", "100", "-t", "5s", "--headless", "--master", "--expect-workers", "3",
                "--master-bind-port", String.valueOf(port), "--results", results.toString());
        // a peer that connects and never says hello, open all run: no worker, in the results as on the page
        HttpClient http = HttpClient.newHttpClient();
        WebSocket silent = connect(coordinator, http, port, new ArrayList<>(), new CompletableFuture<>());
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(port, "--cluster-token", "t0ken"));
        }

        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isEqualTo(0);
        for (StampedeProcess worker : workers) {
            assertThat(worker.waitFor(LIMIT)).as(worker.stderr()).isEqualTo(0);
        }
        silent.abort();
        http.close();
        Path folder = onlyFolder(results);
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        List<JsonNode> finished = events(folder, "WORKER_FINISHED");
        assertThat(finished).hasSize(3);
        long sum = 0;
        for (JsonNode event : finished) {
            Matcher m = FINISHED.matcher(event.path("detail").asText());
            assertThat(m.find()).as(event.toString()).isTrue();
            sum += Long.parseLong(m.group(1));
        }
        assertThat(summary.at("/totals/requests").asLong()).isEqualTo(sum).isGreaterThan(0);
        assertThat(events(folder, "WORKER_JOINED")).hasSize(3);

        JsonNode totals = summary.path("workers");
        assertThat(totals).as("each worker's totals in summary.json").hasSize(3);
        long requests = 0;
        long failures = 0;
        for (JsonNode worker : totals) {
            assertThat(worker.path("state").asText()).as(worker.toString()).isEqualTo("finished");
            assertThat(worker.path("requests").asLong()).as(worker.toString()).isPositive();
            assertThat(worker.path("host").asText()).contains("127.0.0.1");
            assertThat(worker.path("peakCpuPercent").isNumber()).as("a heartbeat came: " + worker).isTrue();
            assertThat(Instant.parse(worker.path("lastSeen").asText())).isAfter(Instant.parse(worker.path("firstSeen").asText()));
            requests += worker.path("requests").asLong();
            failures += worker.path("failures").asLong();
        }
        assertThat(requests).as("the run's requests are the sum of its workers'").isEqualTo(summary.at("/totals/requests").asLong());
        assertThat(failures).isEqualTo(summary.at("/totals/failures").asLong());
        List<String> csv = Files.readAllLines(folder.resolve("workers.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(4).first().asString().startsWith("id,host,state,requests,failures");
        List<Integer> users = new ArrayList<>();
        summary.path("points").forEach(p -> users.add(p.path("users").asInt()));
        assertThat(users).as("users per second, 7 split 3/2/2").contains(7).allMatch(u -> u <= 7);
    }

    @Test
    void aChangeOfUsersReachesEveryWorkerAndALostWorkersShareMovesToTheOthers() throws Exception {
        int port = freePort();
        int webPort = freePort();
        Path results = dir.resolve("results");
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", scenario().toString(), "-H", host(), "-u", "6", "-r", "100",
                "-t", "5m", "--autostart", "--web-port", String.valueOf(webPort), "--master", "--expect-workers", "3",
                "--master-bind-port", String.valueOf(port), "--results", results.toString());
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(port));
        }
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + webPort + "/api/";
        try {
            coordinator.awaitWhileAlive("6 users over 3 workers", LIMIT, () -> users(http, api) == 6);
            coordinator.awaitWhileAlive("3 running workers with their CPU on the Workers tab", LIMIT,
                    () -> workerStates(http, api).equals(List.of("running", "running", "running"))
                            && stats(http, api).path("workers").findValues("cpuPercent").stream().allMatch(JsonNode::isNumber));
            HttpResponse<String> change = http.send(HttpRequest.newBuilder(URI.create(api + "users"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"users\": 11, \"spawnRate\": 100}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
            coordinator.awaitWhileAlive("11 users after the change", LIMIT, () -> users(http, api) == 11);

            workers.get(0).process().destroyForcibly(); // kill -9: no goodbye
            Path folder = onlyFolder(results);
            coordinator.awaitWhileAlive("the lost worker on the timeline", LIMIT, () -> !events(folder, "WORKER_LOST").isEmpty());
            assertThat(events(folder, "WORKER_LOST").get(0).path("detail").asText())
                    .contains("the load re-divided over 2 workers: 11 users as 6 + 5");
            coordinator.awaitWhileAlive("the lost worker on the Workers tab (refreshed each second)", LIMIT,
                    () -> workerStates(http, api).stream().sorted().toList().equals(List.of("lost", "running", "running")));
            coordinator.awaitWhileAlive("11 users on the 2 workers left", LIMIT, () -> users(http, api) == 11);
            long before = served.get();
            coordinator.awaitWhileAlive("the run goes on", LIMIT, () -> served.get() > before + 50);
        } finally {
            http.shutdownNow();
        }
    }

    @Test
    void aLostWorkersPartOfTheStagesMovesToTheOthers() throws Exception {
        Path file = dir.resolve("StageUser.java");
        Files.writeString(file, """
                import io.stampede.api.*;
                import java.time.Duration;
                public class StageUser extends User {
                    public static Load load() {
                        return Load.users(4).stage(Duration.ofSeconds(3), 4, 100).stage(Duration.ofMinutes(10), 9, 100);
                    }
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                    @Task public void index() { http().get("/"); }
                }
                """);
        int port = freePort();
        int webPort = freePort();
        Path results = dir.resolve("results");
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", file.toString(), "-H", host(), "--autostart",
                "--web-port", String.valueOf(webPort), "--master", "--expect-workers", "3",
                "--master-bind-port", String.valueOf(port), "--results", results.toString());
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(port));
        }
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + webPort + "/api/";
        try {
            // the second stage's 9 users as 3 + 3 + 3; the first stage's 4 as 2 + 1 + 1 before it
            coordinator.awaitWhileAlive("9 users over 3 workers in the second stage", LIMIT, () -> users(http, api) == 9);

            workers.get(0).process().destroyForcibly(); // kill -9: no goodbye
            Path folder = onlyFolder(results);
            coordinator.awaitWhileAlive("the lost worker on the timeline", LIMIT, () -> !events(folder, "WORKER_LOST").isEmpty());
            assertThat(events(folder, "WORKER_LOST").get(0).path("detail").asText())
                    .contains("the load re-divided over 2 workers: the remaining stages, 1/2 of their users each");
            // without the re-division the lost worker's 3 would be gone: 6
            coordinator.awaitWhileAlive("9 users on the 2 workers left", LIMIT, () -> users(http, api) == 9);

            worker(port); // a late joiner takes a third of the remaining stages from where they are
            coordinator.awaitWhileAlive("the late worker on the timeline", LIMIT, () -> events(folder, "WORKER_JOINED").size() == 4);
            // the new split holds from a point 2 s ahead of the schedule, the same for every worker
            assertThat(events(folder, "WORKER_JOINED").get(3).path("detail").asText()).matches("ready, joins the running load;"
                    + " the load re-divided over 3 workers: the remaining stages, 1/3 of their users each \\(from \\d+(ms|s|m|h) into the run\\)");
            coordinator.awaitWhileAlive("9 users on 3 workers again", LIMIT, () -> users(http, api) == 9);
        } finally {
            http.shutdownNow();
        }
    }

    @Test
    void aLostWorkersArrivalsMoveToTheOthers() throws Exception {
        int port = freePort();
        Path results = dir.resolve("results");
        int rate = 40;
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", scenario().toString(), "-H", host(),
                "--arrival-rate", String.valueOf(rate), "--max-concurrency", "600", "-t", "5m", "--headless", "--master",
                "--expect-workers", "3", "--master-bind-port", String.valueOf(port), "--results", results.toString());
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(port));
        }
        coordinator.awaitWhileAlive("arrivals from the workers", LIMIT, () -> served.get() > 3L * rate);

        workers.get(0).process().destroyForcibly(); // kill -9: no goodbye
        Path folder = onlyFolder(results);
        coordinator.awaitWhileAlive("the lost worker on the timeline", LIMIT, () -> !events(folder, "WORKER_LOST").isEmpty());
        assertThat(events(folder, "WORKER_LOST").get(0).path("detail").asText())
                .contains("the load re-divided over 2 workers: arrival rate 1/2 each (every 2nd arrival, 40.0/s in all now)");
        // the two left start every other arrival of the whole schedule: 40/s in all, where their old thirds
        // were 26.7/s; a late arrival is started late, not skipped, so a long window counts them all
        long fromServed = served.get();
        long fromNanos = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(15).toMillis());
        double seconds = (System.nanoTime() - fromNanos) / 1e9;
        double perSecond = (served.get() - fromServed) / seconds;
        assertThat(perSecond).as("requests per second after the loss").isGreaterThan(rate * 0.8);
        assertThat(coordinator.process().isAlive()).as(coordinator.stderr()).isTrue();
    }

    @Test
    void everyWorkerStopsItsUsersWithinTheBoundWhenTheCoordinatorIsKilled() throws Exception {
        int port = freePort();
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", scenario().toString(), "-H", host(), "-u", "3", "-r", "100",
                "-t", "5m", "--headless", "--no-results", "--master", "--expect-workers", "3",
                "--master-bind-port", String.valueOf(port));
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(port));
        }
        coordinator.awaitWhileAlive("load from the workers", LIMIT, () -> served.get() > 100);

        coordinator.process().destroyForcibly(); // kill -9: no shutdown hook, no stop message
        long killedNanos = System.nanoTime();
        Duration margin = Duration.ofSeconds(5); // a loaded machine's scheduling, the process's own exit
        Duration bound = ClusterWorker.STOP_BOUND.plus(margin);
        for (StampedeProcess worker : workers) {
            long leftMillis = bound.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
            assertThat(worker.process().waitFor(Math.max(0, leftMillis), TimeUnit.MILLISECONDS))
                    .as("worker ended within %s of its coordinator's death%n%s", bound, worker.stderr()).isTrue();
            assertThat(worker.process().exitValue()).isNotZero();
            assertThat(worker.stderr()).contains(": it is gone; this worker stops its users and exits");
        }
        // A request a worker sent just before it ended may still be counted by the service, late on a loaded
        // machine: the count must come to stand still for a second, in which a user left loading (a request
        // each 50 ms) would add many.
        long[] last = {-1};
        Waiting.await("no requests once every worker ended").until(() -> {
            long now = served.get();
            boolean still = now == last[0];
            last[0] = now;
            Thread.sleep(1000);
            return still;
        });
    }

    @Test
    void aWorkerWithTheWrongTokenIsRefusedOnBothSidesAndTheRightOneRuns() throws Exception {
        int port = freePort();
        Path results = dir.resolve("results");
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", scenario().toString(), "-H", host(), "-u", "2", "-r", "100",
                "-t", "3s", "--headless", "--master", "--cluster-token", "right", "--master-bind-port", String.valueOf(port),
                "--results", results.toString());
        // both refused ones at once: each is a JVM start, and neither is let in
        StampedeProcess wrong = worker(port, "--cluster-token", "wrong");
        StampedeProcess none = worker(port);
        assertThat(wrong.waitFor(LIMIT)).as(wrong.stderr()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("stampede: the coordinator at ws://127.0.0.1:" + port
                + "/stampede/cluster refused this worker: its cluster token is wrong");
        assertThat(none.waitFor(LIMIT)).as(none.stderr()).isEqualTo(2);
        assertThat(none.stderr()).contains("refused this worker: it gave no cluster token");

        StampedeProcess right = worker(port, "--cluster-token", "right");
        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isEqualTo(0);
        assertThat(right.waitFor(LIMIT)).as(right.stderr()).isEqualTo(0);
        assertThat(coordinator.stderr()).contains("stampede: refused a worker at").contains("its cluster token is wrong");
        assertThat(events(onlyFolder(results), "WORKER_REFUSED")).hasSize(2);
        JsonNode summary = JSON.readTree(onlyFolder(results).resolve("summary.json").toFile());
        assertThat(summary.path("workers").findValuesAsText("state")).containsExactly("refused", "refused", "finished");
    }

    @Test
    void aPeerOfAnotherProtocolVersionIsRefusedAndSentNoPlan() throws Exception {
        int port = freePort();
        StampedeProcess coordinator = stampede(Map.of(), "run", "-f", scenario().toString(), "-H", host(), "-u", "1", "-r", "100",
                "-t", "2s", "--headless", "--no-results", "--master", "--master-bind-port", String.valueOf(port));
        HttpClient http = HttpClient.newHttpClient();
        try {
            List<String> frames = new ArrayList<>();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            WebSocket socket = connect(coordinator, http, port, frames, closed);
            socket.sendText("{\"type\": \"hello\", \"protocol\": 2, \"token\": \"\", \"host\": \"old\"}", true);
            closed.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frames).hasSize(1); // the refusal, and no run, no scenario
            JsonNode refusal = JSON.readTree(frames.get(0));
            assertThat(refusal.path("type").asText()).isEqualTo("refused");
            // the coordinator's own version moves with the protocol; this test is about the refusal's form
            assertThat(refusal.path("reason").asText()).matches("it speaks worker protocol 2, this coordinator [0-9]+: run the"
                    + " same version of Stampede on the coordinator and the workers");
            coordinator.awaitWhileAlive("the refusal said", LIMIT, () -> coordinator.stderr().contains("it speaks worker protocol 2"));
        } finally {
            http.shutdownNow();
        }
    }

    @Test
    void aCoordinatorWhoseWorkersDoNotComeGivesUpAfterItsMaxWaitSayingHowManyCame() throws Exception {
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", scenario().toString(), "-H", host(), "-u", "1",
                "-t", "2s", "--headless", "--no-results", "--master", "--expect-workers", "2", "--master-bind-port", "0",
                "--expect-workers-max-wait", "2s");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stderr()).contains("stampede: gave up waiting for workers: only 0 of 2 expected were ready within 2s"
                + " (--expect-workers 2, --expect-workers-max-wait). Start them with: stampede worker --master-host <this host>"
                + " --master-port ").doesNotContain("\tat ");
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsAnInputError() throws Exception {
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "-f", scenario().toString(), "-H", host(), "-u", "1",
                "-t", "2s", "--headless", "--no-results", "--master", "--master-bind-host", "0.0.0.0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("stampede: --master-bind-host 0.0.0.0: workers on other machines need a shared"
                + " secret: give --cluster-token or set STAMPEDE_CLUSTER_TOKEN (or bind a loopback address: 127.0.0.1, localhost or ::1)");
    }

    private static WebSocket connect(StampedeProcess coordinator, HttpClient http, int port, List<String> frames,
                                     CompletableFuture<Void> closed) {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/stampede/cluster");
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(null);
            }
        };
        AtomicReference<WebSocket> socket = new AtomicReference<>();
        coordinator.awaitWhileAlive("the coordinator listening", LIMIT, () -> {
            try {
                socket.set(http.newWebSocketBuilder().buildAsync(uri, listener).get(5, TimeUnit.SECONDS));
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        return socket.get();
    }

    private static Path onlyFolder(Path results) throws IOException {
        try (Stream<Path> folders = Files.list(results)) {
            return folders.findFirst().orElseThrow();
        }
    }

    private static List<JsonNode> events(Path folder, String kind) throws IOException {
        Path file = folder.resolve("events.jsonl");
        List<JsonNode> found = new ArrayList<>();
        if (!Files.exists(file)) {
            return found;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode event = JSON.readTree(line);
                if (kind.equals(event.path("kind").asText())) {
                    found.add(event);
                }
            }
        }
        return found;
    }

    private static JsonNode stats(HttpClient http, String api) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception notYet) {
            return JSON.createObjectNode();
        }
    }

    /** The Workers tab's states, in the order the workers connected. */
    private static List<String> workerStates(HttpClient http, String api) {
        return stats(http, api).path("workers").findValuesAsText("state");
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
