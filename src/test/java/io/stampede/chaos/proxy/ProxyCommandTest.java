package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.cli.Main;
import io.stampede.testing.EndToEnd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede proxy}: a real process serving the API until SIGTERM, and its refusals. */
@Timeout(150)
@EndToEnd
class ProxyCommandTest {

    /** A JVM starting on a machine whose cores are busy: tens of seconds. */
    private static final long START_WAIT_SECONDS = 90;
    private static final long EXIT_WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void servesTheApiWithItsConfigUntilSigtermThenClosesEveryProxy() throws Exception {
        try (TcpServer echo = TcpServer.echo()) {
            Path config = dir.resolve("toxiproxy.json");
            Files.writeString(config, "[{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}]");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.stampede.cli.Main", "proxy", "--port", "0", "--config", config.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (Exception e) {
                        return null;
                    }
                }).get(START_WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(ready).matches("stampede proxy: API on http://127\\.0\\.0\\.1:\\d+");
                String api = ready.substring(ready.indexOf("http://"));

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String proxies = http.send(HttpRequest.newBuilder(URI.create(api + "/proxies/app")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                String listen = proxies.replaceAll(".*\"listen\":\"([^\"]+)\".*", "$1");
                try (Socket client = Wire.connect(listen)) {
                    Wire.roundTripMillis(client, "hello".getBytes());
                }

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(Wire.refuses(listen)).as("the proxy closed with its process").isTrue();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aTakenPortCannotRun() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run("--port", "" + taken.getLocalPort());
            assertThat(result.code).isEqualTo(3);
            assertThat(result.err).isEqualTo("stampede: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use (choose another with --port)\n");
        }
    }

    @Test
    void aNonLoopbackHostNeedsAllowRemoteAndSaysWhy() {
        Result result = run("--host", "0.0.0.0", "--port", "0");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("not a loopback address").contains("redirect traffic").contains("--allow-remote");
    }

    @Test
    void aBadConfigIsBadInput() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "[{\"name\":\"app\"}]");
        Result result = run("--port", "0", "--config", config.toString());
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("--config " + config + ": missing required field: upstream at proxy 1");
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = new String[args.length + 1];
        command[0] = "proxy";
        System.arraycopy(args, 0, command, 1, args.length);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
