package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same plan run by one process and by a coordinator with three workers on 127.0.0.1 reaches
 * the same verdict, and the cluster's totals are the sum of its workers'. The verdict is decided by
 * construction, not by timing: {@code /flaky} fails every odd-numbered request (availability at most
 * 50%, its SLO of 90% fails with any request), {@code /ok} never fails (its SLO of 99% passes), and
 * every iteration asks both. That the merged p99 is the union's is {@code ClusterMergeTest}'s.
 */
@EndToEnd // four real stampede processes
class ClusterVerdictParityTest {

    /** Generous: three worker JVMs compile the scenario at once on a busy machine. */
    private static final Duration LIMIT = Duration.ofSeconds(240);
    /** Long enough that users finish requests even at load 40 (4 s once ended before the first one). */
    private static final String RUN_TIME = "10s";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer target;
    private ExecutorService handlers;
    private final AtomicLong flaky = new AtomicLong();
    private final List<StampedeProcess> started = new ArrayList<>();

    @BeforeEach
    void startTarget() throws IOException {
        handlers = Executors.newFixedThreadPool(8);
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        target.setExecutor(handlers);
        target.createContext("/flaky", exchange -> {
            boolean fails = flaky.incrementAndGet() % 2 == 1; // the 1st, 3rd, ...: at most half succeed
            byte[] body = (fails ? "down" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fails ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.createContext("/ok", exchange -> {
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
        handlers.shutdownNow();
    }

    private Path plan() throws IOException {
        Files.writeString(dir.resolve("Parity.java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class Parity extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(20)); }
                    @Task public void both() { http().get("/flaky"); http().get("/ok"); }
                }
                """);
        return Files.writeString(dir.resolve("plan.yaml"), """
                name: parity
                host: http://127.0.0.1:%d
                scenario: Parity.java
                slos:
                  - { name: flaky-availability, objective: 90%%, filter: { name: /flaky } }
                  - { name: ok-availability, objective: 99%%, filter: { name: /ok } }
                """.formatted(target.getAddress().getPort()));
    }

    private StampedeProcess stampede(String... args) throws IOException {
        StampedeProcess process = StampedeProcess.start(dir, Map.of(), args);
        started.add(process);
        return process;
    }

    @Test
    void threeWorkersReachTheVerdictOfOneProcessAndTheirTotalsSumToTheRuns() throws Exception {
        Path plan = plan();
        Path alone = dir.resolve("alone");
        StampedeProcess single = stampede("run", plan.toString(), "-u", "6", "-r", "100", "-t", RUN_TIME, "--headless",
                "--results", alone.toString());
        assertThat(single.waitFor(LIMIT)).as(single.stderr()).isEqualTo(1); // the verdict failed
        JsonNode one = summary(alone);

        int port = FreePorts.next();
        Path cluster = dir.resolve("cluster");
        StampedeProcess coordinator = stampede("run", plan.toString(), "-u", "6", "-r", "100", "-t", RUN_TIME, "--headless",
                "--master", "--expect-workers", "3", "--master-bind-port", String.valueOf(port), "--results", cluster.toString());
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(stampede("worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port)));
        }
        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isEqualTo(1);
        for (StampedeProcess worker : workers) {
            assertThat(worker.waitFor(LIMIT)).as(worker.stderr()).isEqualTo(0);
        }
        JsonNode many = summary(cluster);

        for (JsonNode run : List.of(one, many)) {
            assertThat(run.at("/verdict/passed").asBoolean()).as(run.path("verdict").toString()).isFalse();
            assertThat(byStatus(run, "fail")).as("failed SLOs").containsExactly("flaky-availability");
            assertThat(byStatus(run, "pass")).as("passed SLOs").containsExactly("ok-availability");
        }
        assertThat(byStatus(many, "fail")).isEqualTo(byStatus(one, "fail"));

        JsonNode totals = many.path("workers");
        assertThat(totals).hasSize(3);
        long requests = 0;
        long failures = 0;
        for (JsonNode worker : totals) {
            assertThat(worker.path("state").asText()).isEqualTo("finished");
            requests += worker.path("requests").asLong();
            failures += worker.path("failures").asLong();
        }
        assertThat(requests).as("the cluster's requests are its workers'").isEqualTo(many.at("/totals/requests").asLong())
                .isPositive();
        assertThat(failures).as("and its failures").isEqualTo(many.at("/totals/failures").asLong()).isPositive();
        assertThat(one.has("workers")).as("a run on one machine has no workers").isFalse();
    }

    /** The names of the SLOs of {@code summary}'s verdict whose status is {@code status}. */
    private static Set<String> byStatus(JsonNode summary, String status) {
        Set<String> names = new TreeSet<>();
        summary.at("/verdict/slos").forEach(slo -> {
            if (status.equals(slo.path("status").asText())) {
                names.add(slo.path("name").asText());
            }
        });
        return names;
    }

    private static JsonNode summary(Path results) throws IOException {
        try (Stream<Path> folders = Files.list(results)) {
            return JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile());
        }
    }
}
