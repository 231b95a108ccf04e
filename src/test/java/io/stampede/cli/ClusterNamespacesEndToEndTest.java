package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stampede.testing.FreePorts;
import io.stampede.testing.NetworkNamespaces;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers as separate hosts: each {@code stampede worker} runs in its own network namespace with its
 * own address on a bridge, and reaches the coordinator, the target and the fault proxy only at the
 * bridge's address in the root namespace, as a worker on another machine would. Needs root (the
 * tests are skipped, saying why, where namespaces cannot be made).
 */
class ClusterNamespacesEndToEndTest {

    /** Generous: three worker JVMs compile the scenario at once on a busy machine. */
    private static final Duration LIMIT = Duration.ofSeconds(240);
    /** The coordinator starts its target and its fault proxy before it listens for workers: slow on a busy machine. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(180);
    private static final int WORKERS = 3;
    private static final String TOKEN = "netns-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINISHED = Pattern.compile("(\\d+) requests, (\\d+) failures");

    @TempDir
    Path dir;

    private NetworkNamespaces hosts;
    private final List<StampedeProcess> started = new ArrayList<>();

    @BeforeAll
    static void namespacesCanBeMade() {
        Optional<String> why = NetworkNamespaces.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "workers in network namespaces: " + why.orElseThrow());
    }

    @BeforeEach
    void createHosts() throws IOException {
        hosts = NetworkNamespaces.create(WORKERS);
    }

    @AfterEach
    void removeAll() {
        started.forEach(StampedeProcess::close); // before the namespaces they run in
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void eachWorkerLoadsTheTargetFromItsOwnAddressAndTheTotalsAreTheirSum() throws Exception {
        Map<String, AtomicLong> byPeer = new ConcurrentHashMap<>();
        HttpServer target = HttpServer.create(new InetSocketAddress(hosts.bridgeAddress(), 0), 64);
        target.createContext("/", exchange -> {
            byPeer.computeIfAbsent(exchange.getRemoteAddress().getAddress().getHostAddress(), a -> new AtomicLong()).incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try {
            int port = freePort();
            Path results = dir.resolve("results");
            StampedeProcess coordinator = coordinator(port, "-f", scenario().toString(), "-H", "http://" + hosts.bridgeAddress() + ":"
                    + target.getAddress().getPort(), "-u", "6", "-r", "100", "-t", "5s", "--results", results.toString());
            List<StampedeProcess> workers = workers(coordinator, port);

            int code = coordinator.waitFor(LIMIT);
            assertThat(code).as(() -> coordinator.stderr() + "\nworkers:\n" + said(workers)).isEqualTo(0);
            for (StampedeProcess worker : workers) {
                assertThat(worker.waitFor(LIMIT)).as(worker::stderr).isEqualTo(0);
            }
            Path folder = onlyFolder(results);
            Map<String, long[]> perWorker = finishedByAddress(folder);
            assertThat(perWorker.keySet()).as("one worker per namespace, named by its address").isEqualTo(namespaceAddresses());
            assertThat(byPeer.keySet()).as("the target was loaded from the namespaces' addresses only").isEqualTo(namespaceAddresses());
            long sum = 0;
            for (Map.Entry<String, long[]> worker : perWorker.entrySet()) {
                long requests = worker.getValue()[0];
                long failures = worker.getValue()[1];
                assertThat(requests).as(worker.getKey()).isPositive();
                assertThat(byPeer.get(worker.getKey()).get()).as("requests the target answered from " + worker.getKey())
                        .isGreaterThanOrEqualTo(requests - failures);
                sum += requests;
            }
            JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
            assertThat(summary.at("/totals/requests").asLong()).isEqualTo(sum);
        } finally {
            target.stop(0);
        }
    }

    @Test
    void aFaultOfTheCoordinatorsProxyReachesEveryWorkersRequests() throws Exception {
        int port = freePort();
        int appPort = freePort();
        Path results = dir.resolve("results");
        scenario();
        // The service listens on the coordinator's loopback: workers reach it only through the fault proxy.
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: netns-faults
                host: http://127.0.0.1:%d
                scenario: NsUser.java
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d", health: /health }
                load: { users: 6, spawnRate: 100, runTime: 7s }
                chaos:
                  - { fault: http-error, target: app, status: 503, rate: 1.0, at: 3s, duration: 1m }
                """.formatted(appPort, appPort));
        StampedeProcess coordinator = coordinator(port, plan.toString(), "--results", results.toString());
        List<StampedeProcess> workers = workers(coordinator, port);

        int code = coordinator.waitFor(LIMIT);
        assertThat(code).as(() -> coordinator.stderr() + "\nworkers:\n" + said(workers)).isEqualTo(0);
        for (StampedeProcess worker : workers) {
            assertThat(worker.waitFor(LIMIT)).as(worker::stderr).isEqualTo(0);
        }
        assertThat(coordinator.stdout()).contains("The fault proxy listens on " + hosts.bridgeAddress());
        Path folder = onlyFolder(results);
        Map<String, long[]> perWorker = finishedByAddress(folder);
        assertThat(perWorker.keySet()).isEqualTo(namespaceAddresses());
        for (Map.Entry<String, long[]> worker : perWorker.entrySet()) {
            long requests = worker.getValue()[0];
            long failures = worker.getValue()[1];
            assertThat(failures).as("the fault reached the requests of the worker at %s", worker.getKey()).isPositive();
            assertThat(requests - failures).as("the service answered through the proxy before it, from %s", worker.getKey()).isPositive();
        }
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        JsonNode failures = summary.get("failures");
        assertThat(failures).as("every failure is the fault's answer, none a proxy out of reach").hasSize(1);
        assertThat(failures.get(0).get("error").asText()).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(summary.at("/totals/failures").asLong()).isEqualTo(perWorker.values().stream().mapToLong(w -> w[1]).sum());
    }

    private StampedeProcess coordinator(int port, String... run) throws IOException {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(run));
        args.addAll(List.of("--headless", "--master", "--expect-workers", String.valueOf(WORKERS), "--master-bind-host",
                hosts.bridgeAddress(), "--master-bind-port", String.valueOf(port), "--cluster-token", TOKEN));
        StampedeProcess process = StampedeProcess.start(dir, Map.of(), args.toArray(String[]::new));
        started.add(process);
        return process;
    }

    /** Started once the coordinator listens: three cold worker JVMs do not compete with its start on a busy machine. */
    private List<StampedeProcess> workers(StampedeProcess coordinator, int port) throws IOException {
        coordinator.awaitWhileAlive("the coordinator listening for workers", LIMIT,
                () -> coordinator.stderr().contains("Waiting for " + WORKERS + " workers on"));
        List<StampedeProcess> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            StampedeProcess worker = StampedeProcess.startWrapped(hosts.exec(i), dir, Map.of(), "worker", "--master-host",
                    hosts.bridgeAddress(), "--master-port", String.valueOf(port), "--cluster-token", TOKEN,
                    "--connect-timeout", CONNECT_TIMEOUT.toSeconds() + "s");
            started.add(worker);
            workers.add(worker);
        }
        return workers;
    }

    private static String said(List<StampedeProcess> processes) {
        StringBuilder all = new StringBuilder();
        processes.forEach(p -> all.append(p.stderr()).append('\n'));
        return all.toString();
    }

    private Set<String> namespaceAddresses() {
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < WORKERS; i++) {
            addresses.add(hosts.address(i));
        }
        return addresses;
    }

    private Path scenario() throws IOException {
        return Files.writeString(dir.resolve("NsUser.java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class NsUser extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                    @Task public void index() { http().get("/"); }
                }
                """);
    }

    /** Each WORKER_FINISHED event's requests and failures, by the namespace address its worker is named with. */
    private Map<String, long[]> finishedByAddress(Path folder) throws IOException {
        Map<String, long[]> found = new ConcurrentHashMap<>();
        for (String line : Files.readAllLines(folder.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            if (!"WORKER_FINISHED".equals(event.path("kind").asText())) {
                continue;
            }
            Matcher counts = FINISHED.matcher(event.path("detail").asText());
            assertThat(counts.find()).as(line).isTrue();
            List<String> named = namespaceAddresses().stream().filter(a -> line.contains("/" + a + ":")).toList();
            assertThat(named).as("the worker's address in %s", line).hasSize(1);
            assertThat(found.put(named.get(0), new long[] {Long.parseLong(counts.group(1)), Long.parseLong(counts.group(2))}))
                    .as("one worker at %s", named.get(0)).isNull();
        }
        return found;
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private static Path onlyFolder(Path results) throws IOException {
        try (Stream<Path> folders = Files.list(results)) {
            return folders.findFirst().orElseThrow();
        }
    }
}
