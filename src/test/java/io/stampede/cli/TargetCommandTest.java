package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.JdkHttpClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede target} as users run it: a separate JVM, real signals, real exit codes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // two JVM starts at most per test, and each one's deadline
@EndToEnd
class TargetCommandTest {

    /** A JVM's start to its first line or its exit: 10-30 s on a loaded machine, so twice that. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** A request to the started service, and its JVM's exit after SIGTERM, on a loaded machine. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern READY_LINE =
            Pattern.compile("stampede target: demo service on (http://127\\.0\\.0\\.1:(\\d+)) \\(GET / and GET /health\\)");

    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, Path> stderrFiles = new HashMap<>();
    @TempDir
    Path logs;

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void servesHealthUntilTerminated() throws Exception {
        Process target = stampede("target", "--port", "0");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));

        String line = CompletableFuture.supplyAsync(() -> readLine(stdout))
                .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Matcher ready = READY_LINE.matcher(String.valueOf(line));
        assertThat(ready.matches()).as("first line: %s", line).isTrue();

        HttpClient client = HttpClient.newHttpClient();
        try {
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create(ready.group(1) + "/health")).timeout(EXIT_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK");
        } finally {
            JdkHttpClients.stop(client);
        }

        target.destroy(); // SIGTERM
        assertThat(target.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(stderrOf(target)).doesNotContain("Exception");
    }

    @Test
    void takenPortExitsWithCode3AndOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            Finished run = run("target", "--port", String.valueOf(port));

            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.stderr()).contains("stampede: port " + port
                    + " on 127.0.0.1 is already in use (choose another with --port)");
            assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void badKnobValuesExitWithCode2NamingTheFlag() throws Exception {
        Finished latency = run("target", "--port", "0", "--latency", "abc");
        Finished errorRate = run("target", "--port", "0", "--error-rate", "1.5");

        assertThat(latency.exitCode()).isEqualTo(2);
        assertThat(latency.stderr())
                .contains("stampede: --latency: 'abc' is not a duration (examples: 250ms, 1s, 2m, 1h)")
                .doesNotContain("\tat ");
        assertThat(errorRate.exitCode()).isEqualTo(2);
        assertThat(errorRate.stderr()).contains("stampede: --error-rate: must be between 0 and 1 (got 1.5)");
    }

    @Test
    void negativeLatencyIsBadInput() throws Exception {
        Finished run = run("target", "--port", "0", "--latency=-5ms");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("stampede: --latency: '-5ms' is negative");
    }

    private record Finished(int exitCode, String stderr) {
    }

    /** Runs a command that is expected to end by itself, within {@link #STARTUP_TIMEOUT}. */
    private Finished run(String... args) throws IOException, InterruptedException {
        Process process = stampede(args);
        assertThat(process.waitFor(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("exited").isTrue();
        return new Finished(process.exitValue(), stderrOf(process));
    }

    /** Starts {@code stampede ARGS} in a new JVM on this test's classpath. */
    private Process stampede(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "io.stampede.cli.Main"));
        command.addAll(List.of(args));
        // stderr goes to a file: nothing to drain while it runs, all of it there once it exits.
        Path stderr = logs.resolve("stderr-" + processes.size() + ".txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        processes.add(process);
        stderrFiles.put(process, stderr);
        return process;
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String stderrOf(Process process) throws IOException {
        return Files.readString(stderrFiles.get(process));
    }
}
