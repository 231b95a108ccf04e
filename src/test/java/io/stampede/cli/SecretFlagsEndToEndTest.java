package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets {@code run} takes from its environment instead of its command line, which {@code ps} shows to every user:
 * {@code STAMPEDE_CLIENT_CERT_PASSWORD} and {@code STAMPEDE_WEB_AUTH} (the cluster token's
 * {@code STAMPEDE_CLUSTER_TOKEN}: ClusterEndToEndTest). Real processes, each given its environment; the flag wins.
 */
class SecretFlagsEndToEndTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String PASSWORD = "pa$$word";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StampedeProcess running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        http.shutdownNow();
    }

    private void openssl(String... args) throws Exception {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(args)).toList()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(K8sRenderTlsTest.OPENSSL_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private StampedeProcess.Result dryRun(Map<String, String> env, String... more) throws Exception {
        return StampedeProcess.runWithEnv(dir, LIMIT, env, Stream.concat(Stream.of("run", dir.resolve("plan.yaml").toString(),
                "--dry-run"), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void aPkcs12PasswordFromTheEnvironmentOpensTheClientCertificateAndTheFlagWins() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc", "-keyout", "user.key",
                "-out", "user.pem", "-subj", "/CN=user", "-days", "2");
        openssl("pkcs12", "-export", "-in", "user.pem", "-inkey", "user.key", "-out", "user.p12", "-passout", "pass:" + PASSWORD);
        Path p12 = dir.resolve("user.p12");
        Files.writeString(dir.resolve("plan.yaml"), "host: https://127.0.0.1:8443\ntasks:\n  - { get: / }\n");
        Map<String, String> right = Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", PASSWORD);
        Map<String, String> wrong = Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", "pa$word");

        StampedeProcess.Result fromEnv = dryRun(right, "--client-cert", p12.toString());
        assertThat(fromEnv.exitCode()).as(fromEnv.stderr()).isZero();
        StampedeProcess.Result wrongEnv = dryRun(wrong, "--client-cert", p12.toString());
        assertThat(wrongEnv.exitCode()).isEqualTo(2);
        assertThat(wrongEnv.stderr()).isEqualTo("stampede: STAMPEDE_CLIENT_CERT_PASSWORD or --client-cert: cannot open " + p12
                + " as PKCS#12: wrong password\n");
        StampedeProcess.Result flagWins = dryRun(wrong, "--client-cert", p12.toString(), "--client-cert-password", PASSWORD);
        assertThat(flagWins.exitCode()).as(flagWins.stderr()).isZero();
        StampedeProcess.Result wrongFlag = dryRun(right, "--client-cert", p12.toString(), "--client-cert-password", "pa$word");
        assertThat(wrongFlag.exitCode()).isEqualTo(2);
        assertThat(wrongFlag.stderr()).isEqualTo("stampede: --client-cert-password or --client-cert: cannot open " + p12
                + " as PKCS#12: wrong password\n");

        // the plan's certificate, without its password: the environment gives it, as the flag would
        Files.writeString(dir.resolve("plan.yaml"), "host: https://127.0.0.1:8443\nhttp: { tls: { cert: user.p12 } }\n"
                + "tasks:\n  - { get: / }\n");
        StampedeProcess.Result planCert = dryRun(right);
        assertThat(planCert.exitCode()).as(planCert.stderr()).isZero();
        StampedeProcess.Result planCertWrong = dryRun(wrong);
        assertThat(planCertWrong.exitCode()).isEqualTo(2);
        assertThat(planCertWrong.stderr()).startsWith("stampede: STAMPEDE_CLIENT_CERT_PASSWORD or ").endsWith(": wrong password\n");
    }

    @Test
    void theWebUiRequiresTheTokenFromTheEnvironmentAndTheFlagWins() throws Exception {
        Files.writeString(dir.resolve("plan.yaml"), "host: http://127.0.0.1:" + FreePorts.next() + "\ntasks:\n  - { get: / }\n");
        URI stats = startWebUi(Map.of("STAMPEDE_WEB_AUTH", "env-token"));
        assertThat(status(stats, null)).isEqualTo(401);
        assertThat(status(stats, "wrong")).isEqualTo(401);
        assertThat(status(stats, "env-token")).isEqualTo(200);
        running.close();

        URI flagged = startWebUi(Map.of("STAMPEDE_WEB_AUTH", "env-token"), "--web-auth", "flag-token");
        assertThat(status(flagged, "env-token")).isEqualTo(401);
        assertThat(status(flagged, "flag-token")).isEqualTo(200);
    }

    /** {@code run} waiting on its web UI's Start button; returns its /api/stats. */
    private URI startWebUi(Map<String, String> env, String... more) throws Exception {
        int port = FreePorts.next();
        running = StampedeProcess.start(dir, env, Stream.concat(Stream.of("run", dir.resolve("plan.yaml").toString(), "--no-results",
                "--web-port", String.valueOf(port)), Stream.of(more)).toArray(String[]::new));
        String url = "http://127.0.0.1:" + port + "/";
        running.awaitWhileAlive("the start prompt", () -> running.stdout().contains("Press Start on " + url));
        return URI.create(url + "api/stats");
    }

    private int status(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
