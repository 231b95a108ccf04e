package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.http.H2Lab;
import io.stampede.http.H2Lab.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 as a plan file asks for it, per request ({@code version:}) and in batches ({@code batch:}),
 * against Debian's nginx (see {@link H2Lab}); its access log says which HTTP and which connection
 * carried each request.
 */
class H2PlanEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static H2Lab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLab() throws Exception {
        assumeTrue(H2Lab.available(), "openssl and nginx are needed (run-tests installs them)");
        lab = new H2Lab();
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void requestsOfOneTaskAlternateVersionsAsEachAsks() throws Exception {
        // each test runs until its requests are in, then is stopped: at load 30 a 10 s run recorded none, its
        // JVM's first TLS handshakes taking longer
        Files.copy(lab.cert, dir.resolve("ca.pem"));
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 1, spawnRate: 10, runTime: 5m, wait: { constant: 50ms } }
                http: { version: "1.1", tls: { caFile: ca.pem } }
                tasks:
                  - name: alternate
                    steps:
                      - { get: /v2, version: "2", expect: { body: "HTTP/2.0" } }
                      - { get: /v1, expect: { body: "HTTP/1.1" } }
                      - { get: /h2, version: h2, expect: { body: "HTTP/2.0" } }
                """.formatted(lab.url(Server.H2_TLS)));
        JsonNode summary = runUntil(plan, "a request of each step", s -> counted(s).size() == 3);
        assertThat(summary.at("/totals/failures").asLong()).as(summary.at("/failures").toString()).isZero();
        Map<String, Long> counted = counted(summary);
        assertThat(counted.keySet()).containsExactlyInAnyOrder("/v2", "/v1", "/h2");
        List<String[]> log = log(Server.H2_TLS, counted);
        assertThat(protocols(log, "/v2")).containsExactly("HTTP/2.0");
        assertThat(protocols(log, "/h2")).containsExactly("HTTP/2.0");
        assertThat(protocols(log, "/v1")).containsExactly("HTTP/1.1");
        // the one user keeps an HTTP/2 and an HTTP/1.1 connection side by side: /v2 and /h2 share the first
        assertThat(connections(log, "/v2")).hasSize(1).isEqualTo(connections(log, "/h2"));
        assertThat(connections(log, "/v1")).hasSize(1).doesNotContainAnyElementsOf(connections(log, "/v2"));
        assertThat(counted.values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void aBatchSendsItsRequestsAsConcurrentStreamsOnOneConnection() throws Exception {
        Files.copy(lab.cert, dir.resolve("ca.pem"));
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 1, spawnRate: 10, runTime: 5m, wait: { constant: 50ms } }
                http: { version: "2", tls: { caFile: ca.pem } }
                tasks:
                  - name: page
                    batch:
                      - { get: /slow.bin, name: first }
                      - { get: /slow.bin, name: second }
                      - { get: /slow.bin, name: third, expect: { status: 200 } }
                """.formatted(lab.url(Server.H2_TLS)));
        JsonNode summary = runUntil(plan, "two batches", s -> counted(s).size() == 3 && counted(s).values().stream().allMatch(n -> n >= 2));
        assertThat(summary.at("/totals/failures").asLong()).as(summary.at("/failures").toString()).isZero();
        Map<String, Long> counted = counted(summary);
        assertThat(counted.keySet()).containsExactlyInAnyOrder("first", "second", "third");
        // every batch records its three, but for one the run's end may have cut short
        long most = counted.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(counted.values()).allSatisfy(n -> assertThat(n).isBetween(Math.max(1, most - 1), most));
        // nginx's own clock: the first batch's three streams, on one connection, all began before the first ended
        // (which HTTP/1.1 cannot do: this is HTTP/2)
        List<double[]> slow = lab.awaitSlowLog(3);
        List<double[]> first = slow.subList(0, 3);
        assertThat(first.stream().map(l -> l[0]).distinct()).hasSize(1);
        double firstEnd = first.stream().mapToDouble(l -> l[1]).min().orElseThrow();
        assertThat(first).allSatisfy(l -> assertThat(l[1] - l[2]).isLessThan(firstEnd));
    }

    /**
     * Runs the plan until its summary passes {@code enough}, then stops it with SIGTERM (its users stop as at
     * the run time's end; the run is "interrupted", exit 1); returns the final summary.
     */
    private JsonNode runUntil(Path plan, String what, Predicate<JsonNode> enough) throws Exception {
        try (StampedeProcess run = StampedeProcess.start(dir, "run", plan.toString(), "--headless", "--results",
                dir.resolve("results").toString())) {
            run.awaitWhileAlive(what, LIMIT, () -> {
                try {
                    return enough.test(summary());
                } catch (IOException | AssertionError notYet) {
                    return false; // no results folder or summary yet
                }
            });
            run.process().destroy();
            assertThat(run.waitFor(LIMIT)).as(run.stderr()).isEqualTo(1);
        }
        return summary();
    }

    private JsonNode summary() throws Exception {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return JSON.readTree(all.get(0).resolve("summary.json").toFile());
        }
    }

    /** Requests counted per name in summary.json. */
    private static Map<String, Long> counted(JsonNode summary) {
        Map<String, Long> counted = new LinkedHashMap<>();
        summary.at("/requests").forEach(r -> counted.put(r.at("/name").asText(), r.at("/requests").asLong()));
        return counted;
    }

    /**
     * The access log's lines of one server (port, connection, protocol, uri), once nginx has logged at least the
     * requests the run counted per uri: it writes a line after the response has gone, so the run can end first.
     */
    private static List<String[]> log(Server server, Map<String, Long> counted) {
        String port = String.valueOf(lab.port(server));
        counted.forEach((uri, requests) -> lab.awaitAccessLog(f -> f[0].equals(port) && f[3].equals(uri), requests.intValue()));
        return lab.awaitAccessLog(f -> f[0].equals(port), 0);
    }

    private static List<String> protocols(List<String[]> log, String uri) {
        return log.stream().filter(f -> f[3].equals(uri)).map(f -> f[2]).distinct().toList();
    }

    private static List<String> connections(List<String[]> log, String uri) {
        return log.stream().filter(f -> f[3].equals(uri)).map(f -> f[1]).distinct().toList();
    }
}
