package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.SocketLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket and event-stream users in real runs: through the TCP fault proxy, a latency fault shows
 * in the replies' times and a reset in the failures and the verdict; a bad task is exit 2.
 */
class WebSocketEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

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

    private static JsonNode request(JsonNode summary, String method, String name) {
        for (JsonNode request : summary.get("requests")) {
            if (request.get("method").asText().equals(method) && request.get("name").asText().equals(name)) {
                return request;
            }
        }
        throw new AssertionError("no " + method + " " + name + " in " + summary.get("requests"));
    }

    @Test
    void faultsOnTheProxyReachSocketsAndStreamsAndTheVerdictCountsThem() throws Exception {
        try (SocketLab lab = new SocketLab()) {
            Path plan = plan("""
                    name: websocket-faults
                    targets:
                      lab: { address: "127.0.0.1:%d" }
                    load: { users: 4, spawnRate: 100, runTime: 12s, wait: { constant: 100ms } }
                    tasks:
                      - websocket: /echo
                        name: echo
                        weight: 3
                        timeout: 3s
                        messages:
                          - { send: hello, name: hello }
                          - { send: '{"id":1}', name: again, reply: { contains: '"id":1' } }
                      - { sse: /events, events: 2 }
                    chaos:
                      - { fault: latency, target: lab, latency: 300ms, at: 4s, duration: 3s }
                      - { fault: reset-peer, target: lab, at: 8s, duration: 2s }
                    slos:
                      - { name: availability, objective: 99.9%% }
                    """.formatted(lab.port()));
            StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                    "--results", dir.resolve("results").toString());
            assertThat(result.stdout()).contains("latency#1 injected on lab", "reset-peer#2 injected on lab",
                    "reset-peer#2 rolled back on lab");
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1); // the resets fail the SLO
            assertThat(lab.upgrades()).isPositive(); // the users reached the service, through the proxy

            JsonNode summary = summary();
            // the latency toxic delays every reply by 300 ms while it is on (4 s in: after the first
            // socket of the run, which waits for the JDK client to start, seconds on a loaded machine)
            assertThat(request(summary, "WS", "send:hello").get("maxMillis").asDouble()).isGreaterThan(290);
            assertThat(request(summary, "SSE", "event:/events").get("requests").asLong()).isPositive();

            List<String> socketErrors = new ArrayList<>();
            long failed = 0;
            for (JsonNode failure : summary.get("failures")) {
                failed += failure.get("occurrences").asLong();
                if (failure.get("method").asText().equals("WS")) {
                    socketErrors.add(failure.get("name").asText() + ": " + failure.get("error").asText());
                }
            }
            System.out.println("socket failures: " + socketErrors);
            // the resets cut handshakes and open sockets alike: each a failure with a readable name
            assertThat(socketErrors).isNotEmpty().allMatch(e -> e.contains(": connection ") || e.contains(": no response ("));
            // every failure, the sockets' included, is in the totals the verdict judges
            assertThat(summary.at("/totals/failures").asLong()).isEqualTo(failed);
            JsonNode availability = summary.at("/verdict/slos/0");
            assertThat(availability.get("status").asText()).isEqualTo("fail");
            assertThat(availability.get("sliPercent").asDouble()).isLessThan(100.0);
        }
    }

    @Test
    void theJavaExampleTimesRepliesAndEvents() throws Exception {
        try (SocketLab lab = new SocketLab()) {
            StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless",
                    "-f", Path.of("examples/ChatUser.java").toAbsolutePath().toString(), "-H", "http://127.0.0.1:" + lab.port(), "-u", "2", "-r", "100", "-t", "6s",
                    "--results", dir.resolve("results").toString());
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode summary = summary();
            assertThat(request(summary, "WS", "connect:/echo").get("requests").asLong()).isPositive();
            // the echo answers at once; a reply later than the example's 5 s can only be the machine's
            // load (seen once in CI with both cores busy), and then it must say so by name
            List<String> helloErrors = new ArrayList<>();
            summary.get("failures").forEach(f -> {
                if (f.get("name").asText().equals("send:hello")) {
                    helloErrors.add(f.get("error").asText());
                }
            });
            assertThat(helloErrors).as(summary.get("failures").toString()).allMatch(e -> e.startsWith("reply timeout ("));
            assertThat(request(summary, "WS", "send:ping").get("requests").asLong()).isPositive();
            assertThat(request(summary, "SSE", "event:/events").get("requests").asLong()).isPositive();
            assertThat(summary.at("/totals/failures").asLong()).isZero();
        }
    }

    @Test
    void aBadWebSocketTaskIsExitTwoWithFileLineAndField() throws Exception {
        Path plan = plan("""
                host: http://127.0.0.1:1
                tasks:
                  - websocket: /chat
                    messages:
                      - { send: hello, replly: { contains: hello } }
                """);
        StampedeProcess.Result result = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + plan + ":5:32: tasks[0].messages[0]: unknown key 'replly'; "
                + "valid keys: send, receive, name, reply, timeout\n");
    }
}
