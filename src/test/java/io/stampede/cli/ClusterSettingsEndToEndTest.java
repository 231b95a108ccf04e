package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stampede.http.TlsLab;
import io.stampede.http.TlsLab.Server;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --master} with {@code stampede worker} processes on 127.0.0.1 and a plan that a
 * one-process run would run the same way: users declared in the plan, the plan's headers, HTTPS with
 * a CA made for the test (sent to the workers as PEM), and mutual TLS where each worker presents its
 * own client certificate and one without is refused.
 */
class ClusterSettingsEndToEndTest {

    /** Generous: three or four JVMs start at once on a busy machine, and their first handshakes run cold. */
    private static final Duration LIMIT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINISHED = Pattern.compile("(\\d+) requests, (\\d+) failures");

    private static TlsLab lab;

    @TempDir
    Path dir;

    private final List<StampedeProcess> started = new ArrayList<>();

    @BeforeAll
    static void startLab() throws Exception {
        if (TlsLab.available()) {
            lab = new TlsLab();
        }
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopAll() {
        started.forEach(StampedeProcess::close);
    }

    private StampedeProcess stampede(Map<String, String> env, String... args) throws IOException {
        StampedeProcess process = StampedeProcess.start(dir, env, args);
        started.add(process);
        return process;
    }

    private StampedeProcess coordinator(Path plan, int port, int workers, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", plan.toString(), "--headless", "--master", "--expect-workers",
                String.valueOf(workers), "--master-bind-port", String.valueOf(port), "--results", dir.resolve("results").toString()));
        args.addAll(List.of(more));
        return stampede(Map.of(), args.toArray(String[]::new));
    }

    private StampedeProcess worker(int port, Map<String, String> env, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port)));
        args.addAll(List.of(more));
        return stampede(env, args.toArray(String[]::new));
    }

    @Test
    void usersDeclaredInThePlanRunOnTheWorkersWithThePlansHeaders() throws Exception {
        AtomicLong served = new AtomicLong();
        AtomicLong tagged = new AtomicLong();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        target.createContext("/", exchange -> {
            served.incrementAndGet();
            if ("cluster".equals(exchange.getRequestHeaders().getFirst("X-Run"))) {
                tagged.incrementAndGet();
            }
            byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try {
            // weights 3:1, 4 users: 3 Readers and 1 Prober over both workers, as in one process (each
            // worker apportioning its own 2 users by weight made 4 Readers and no Prober)
            Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                    host: http://127.0.0.1:%d
                    load: { users: 4, spawnRate: 100, runTime: 6s }
                    http: { headers: { X-Run: cluster } }
                    users:
                      - name: Reader
                        weight: 3
                        wait: { constant: 50ms }
                        tasks: [ { get: /items, expect: { status: 200, body: ok } } ]
                      - name: Prober
                        wait: { between: [ 50ms, 100ms ] }
                        tasks: [ { get: /missing, name: missing, expect: { status: 404 } } ]
                    """.formatted(target.getAddress().getPort()));
            int port = FreePorts.next();
            StampedeProcess coordinator = coordinator(plan, port, 2);
            StampedeProcess first = worker(port, Map.of());
            StampedeProcess second = worker(port, Map.of());

            assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isZero();
            for (StampedeProcess worker : List.of(first, second)) {
                assertThat(worker.waitFor(LIMIT)).as(worker.stderr()).isZero();
                assertThat(worker.stderr()).contains("the plan's declared users (2 kinds), ready");
            }
            Path folder = onlyFolder();
            JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
            long requests = summary.at("/totals/requests").asLong();
            assertThat(requests).isPositive();
            assertThat(summary.at("/totals/failures").asLong()).as("both expectations hold on the workers").isZero();
            long sum = 0;
            for (JsonNode event : events(folder, "WORKER_FINISHED")) {
                Matcher m = FINISHED.matcher(event.path("detail").asText());
                assertThat(m.find()).as(event.toString()).isTrue();
                sum += Long.parseLong(m.group(1));
            }
            assertThat(events(folder, "WORKER_FINISHED")).hasSize(2);
            assertThat(sum).as("the run's requests are the sum of its workers'").isEqualTo(requests);
            assertThat(served.get()).as("every counted request reached the target").isGreaterThanOrEqualTo(requests);
            assertThat(tagged.get()).as("the plan's headers went with every request").isEqualTo(served.get());
            List<String> names = new ArrayList<>();
            summary.path("requests").forEach(r -> names.add(r.path("name").asText()));
            assertThat(names).as("both classes ran: the mix is the whole run's").contains("/items", "missing");
        } finally {
            target.stop(0);
        }
    }

    @Test
    void theCoordinatorsCaReachesTheWorkersAsPem() throws Exception {
        assumeTrue(lab != null, "openssl and nginx are needed (run-tests installs them)");
        String host = lab.url(Server.TLS13, "localhost");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 2, spawnRate: 100, runTime: 8s, wait: { constant: 100ms } }
                tasks: [ { get: /ca } ]
                """.formatted(host));
        // without the CA, the same plan in one process fails its requests on the certificate: it runs until
        // one has failed (a loaded machine's first handshakes can take longer than a short run), then stops
        Path aloneResults = dir.resolve("alone");
        try (StampedeProcess alone = StampedeProcess.start(dir, "run", plan.toString(), "-t", "5m", "--headless",
                "--results", aloneResults.toString())) {
            alone.awaitWhileAlive("a request failed", LIMIT, () -> {
                try {
                    return JSON.readTree(onlyFolder(aloneResults).resolve("summary.json").toFile()).at("/totals/failures").asLong() > 0;
                } catch (IOException | RuntimeException notYet) {
                    return false; // no results folder or summary yet
                }
            });
            alone.process().destroy();
            assertThat(alone.waitFor(LIMIT)).as(alone.stderr()).isEqualTo(1);
        }
        JsonNode aloneSummary = JSON.readTree(onlyFolder(aloneResults).resolve("summary.json").toFile());
        assertThat(aloneSummary.at("/totals/failures").asLong()).isEqualTo(aloneSummary.at("/totals/requests").asLong());
        assertThat(aloneSummary.at("/failures").get(0).at("/error").asText()).isEqualTo("unknown CA");

        int port = FreePorts.next();
        Path ca = Files.copy(lab.caPem, dir.resolve("only-here.pem")); // on the coordinator's disk; workers get its text
        StampedeProcess coordinator = coordinator(plan, port, 2, "--ca-file", ca.toString());
        StampedeProcess first = worker(port, Map.of());
        StampedeProcess second = worker(port, Map.of());
        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isZero();
        assertThat(first.waitFor(LIMIT)).as(first.stderr()).isZero();
        assertThat(second.waitFor(LIMIT)).as(second.stderr()).isZero();
        JsonNode summary = JSON.readTree(onlyFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/totals/requests").asLong()).isPositive();
        assertThat(summary.at("/totals/failures").asLong()).isZero();
        assertThat(summary.path("workers").findValues("requests")).hasSize(2).allMatch(r -> r.asLong() > 0);
        assertThat(lab.awaitAccessLog("/ca", 1)).isNotEmpty();
    }

    @Test
    void anHttpsTargetBehindTheFaultProxyIsReachedByAConnectToEntryItsNameKept() throws Exception {
        assumeTrue(lab != null, "openssl and nginx are needed (run-tests installs them)");
        // its certificate names localhost alone: the URL's name must be what the worker sends and checks
        String url = lab.url(Server.NAME_ONLY, "localhost");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                targets:
                  web: { address: "127.0.0.1:%d", url: "%s" }
                load: { users: 2, spawnRate: 100, runTime: 8s, wait: { constant: 50ms } }
                http: { tls: { caFile: %s } }
                tasks: [ { get: /connect-to } ]
                chaos:
                  - { fault: latency, target: web, latency: 400ms, at: 0s, duration: 60s }
                """.formatted(URI.create(url).getPort(), url, lab.caPem));
        int port = FreePorts.next();
        Map<String, String> token = Map.of("STAMPEDE_CLUSTER_TOKEN", "s3cret");
        // bound on every address, the proxy is too, and the worker is sent where its connection arrived
        StampedeProcess coordinator = stampede(token, "run", plan.toString(), "--headless", "--master", "--expect-workers", "1",
                "--master-bind-host", "0.0.0.0", "--master-bind-port", String.valueOf(port),
                "--results", dir.resolve("results").toString());
        StampedeProcess worker = worker(port, token);
        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isZero();
        assertThat(worker.waitFor(LIMIT)).as(worker.stderr()).isZero();
        assertThat(coordinator.stdout()).containsPattern("Workers connect to the fault proxy at 0\\.0\\.0\\.0:\\d+ for localhost:"
                + URI.create(url).getPort() + " \\(a connect-to entry");
        JsonNode summary = JSON.readTree(onlyFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/totals/requests").asLong()).isPositive();
        assertThat(summary.at("/totals/failures").asLong()).as("the certificate checked against localhost, the URL's name")
                .isZero();
        JsonNode proxied = summary.at("/requests/0");
        assertThat(proxied.at("/name").asText()).isEqualTo("/connect-to");
        assertThat(proxied.at("/medianMillis").asDouble()).as("the proxy's latency is in the worker's requests").isGreaterThan(390);
        assertThat(lab.awaitAccessLog("/connect-to", 1)).as("the name went as SNI through the proxy")
                .allMatch(fields -> fields[4].equals("localhost"));
        assertThat(lab.awaitHostLog("/connect-to", 1)).as("the URL unchanged: its Host names the service's port, not the proxy's")
                .allMatch(fields -> fields[1].equals("localhost:" + URI.create(url).getPort()));
    }

    @Test
    void mutualTlsWorkersPresentTheirOwnCertificateAndOneWithoutIsRefused() throws Exception {
        assumeTrue(lab != null, "openssl and nginx are needed (run-tests installs them)");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 2, spawnRate: 100, runTime: 8s, wait: { constant: 100ms } }
                http: { tls: { caFile: %s, cert: %s, key: %s } }
                tasks: [ { get: /mutual, expect: { status: 200 } } ]
                """.formatted(lab.url(Server.MUTUAL, "localhost"), lab.caPem, lab.clientCert, lab.clientKey));
        int port = FreePorts.next();
        StampedeProcess coordinator = coordinator(plan, port, 2);
        StampedeProcess bare = worker(port, Map.of());
        assertThat(bare.waitFor(LIMIT)).as(bare.stderr()).isEqualTo(2);
        assertThat(bare.stderr()).contains("stampede: the coordinator at ws://127.0.0.1:" + port + "/stampede/cluster refused"
                + " this worker: the plan's TLS presents a client certificate and this worker has none: start it with"
                + " --client-cert FILE --client-key FILE");
        assertThat(bare.stderr().lines().filter(l -> l.startsWith("stampede:"))).hasSize(1);
        StampedeProcess pem = worker(port, Map.of(), "--client-cert", lab.clientCert.toString(), "--client-key",
                lab.clientKey.toString());
        StampedeProcess pkcs12 = worker(port, Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", TlsLab.P12_PASSWORD), "--client-cert",
                lab.clientP12.toString());

        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isZero();
        assertThat(pem.waitFor(LIMIT)).as(pem.stderr()).isZero();
        assertThat(pkcs12.waitFor(LIMIT)).as(pkcs12.stderr()).isZero();
        assertThat(coordinator.stderr()).contains("stampede: refused a worker at")
                .contains("the plan's TLS presents a client certificate and this worker has none");
        Path folder = onlyFolder();
        assertThat(events(folder, "WORKER_REFUSED")).hasSize(1).first().satisfies(event -> assertThat(event.path("detail")
                .asText()).contains("private keys are never sent to workers"));
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertThat(summary.at("/totals/requests").asLong()).isPositive();
        assertThat(summary.at("/totals/failures").asLong()).as("nginx took both workers' certificates").isZero();
        assertThat(summary.path("workers").findValuesAsText("state")).containsExactly("refused", "finished", "finished");
        assertThat(summary.path("workers").findValues("requests")).as("the PEM and the PKCS#12 worker both got through")
                .hasSize(3).filteredOn(r -> r.asLong() > 0).hasSize(2);
    }

    @Test
    void aWorkersClientCertificateIsCheckedBeforeItConnectsWithRunsMessages() throws Exception {
        assumeTrue(lab != null, "openssl and nginx are needed (run-tests installs them)");
        Path missing = dir.resolve("missing.key");
        String nobody = String.valueOf(FreePorts.next()); // never dialled: the flags are refused first
        StampedeProcess.Result noKey = StampedeProcess.run(dir, LIMIT, "worker", "--master-host", "127.0.0.1", "--master-port",
                nobody, "--client-cert", lab.clientCert.toString(), "--client-key", missing.toString());
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.stderr()).isEqualTo("stampede: --client-key: file not found: " + missing + "\n");
        StampedeProcess.Result wrongKey = StampedeProcess.run(dir, LIMIT, "worker", "--master-host", "127.0.0.1", "--master-port",
                nobody, "--client-cert", lab.clientCert.toString(), "--client-key", lab.otherKey.toString());
        assertThat(wrongKey.exitCode()).isEqualTo(2);
        assertThat(wrongKey.stderr()).isEqualTo("stampede: --client-key: the key in " + lab.otherKey
                + " does not match the certificate in " + lab.clientCert + "\n");
        StampedeProcess.Result badPassword = StampedeProcess.runWithEnv(dir, LIMIT, Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", "nope"),
                "worker", "--master-host", "127.0.0.1", "--master-port", nobody, "--client-cert", lab.clientP12.toString());
        assertThat(badPassword.exitCode()).isEqualTo(2);
        assertThat(badPassword.stderr()).startsWith("stampede: STAMPEDE_CLIENT_CERT_PASSWORD or --client-cert: cannot open "
                + lab.clientP12 + " as PKCS#12");
        StampedeProcess.Result passwordAlone = StampedeProcess.run(dir, LIMIT, "worker", "--master-host", "127.0.0.1",
                "--master-port", nobody, "--client-cert-password", "secret");
        assertThat(passwordAlone.exitCode()).isEqualTo(2);
        assertThat(passwordAlone.stderr())
                .isEqualTo("stampede: --client-cert-password: a password needs its PKCS#12 file (--client-cert)\n");
    }

    @Test
    void insecureIsWarnedOnceByTheCoordinatorAndKeptInTheResults() throws Exception {
        assumeTrue(lab != null, "openssl and nginx are needed (run-tests installs them)");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 2, spawnRate: 100, runTime: 6s, wait: { constant: 100ms } }
                tasks: [ { get: /expired } ]
                """.formatted(lab.url(Server.EXPIRED, "127.0.0.1")));
        int port = FreePorts.next();
        StampedeProcess coordinator = coordinator(plan, port, 2, "--insecure");
        StampedeProcess first = worker(port, Map.of());
        StampedeProcess second = worker(port, Map.of());
        assertThat(coordinator.waitFor(LIMIT)).as(coordinator.stderr()).isZero();
        assertThat(first.waitFor(LIMIT)).as(first.stderr()).isZero();
        assertThat(second.waitFor(LIMIT)).as(second.stderr()).isZero();
        String warning = "WARNING: TLS certificates are not verified (insecure)";
        assertThat(coordinator.stdout().split(Pattern.quote(warning), -1)).as(coordinator.stdout()).hasSize(2);
        assertThat(first.stderr() + first.stdout()).doesNotContain(warning);
        JsonNode summary = JSON.readTree(onlyFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/events").toString()).contains("TLS_NOT_VERIFIED");
        assertThat(summary.at("/totals/requests").asLong()).isPositive();
        assertThat(summary.at("/totals/failures").asLong()).as("the expired certificate passes on the workers too").isZero();
    }

    private Path onlyFolder() throws IOException {
        return onlyFolder(dir.resolve("results"));
    }

    private static Path onlyFolder(Path results) throws IOException {
        try (Stream<Path> folders = Files.list(results)) {
            return folders.findFirst().orElseThrow();
        }
    }

    private static List<JsonNode> events(Path folder, String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode event = JSON.readTree(line);
                if (kind.equals(event.path("kind").asText())) {
                    found.add(event);
                }
            }
        }
        return found;
    }
}
