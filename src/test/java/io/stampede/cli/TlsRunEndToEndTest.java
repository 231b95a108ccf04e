package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.http.TlsLab;
import io.stampede.http.TlsLab.Server;
import java.net.URI;
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
 * TLS and several hosts as a user runs them: the plan's {@code http.tls}, the flags and a Java
 * scenario's {@code tls()}, against Debian's nginx with certificates made for the test.
 */
class TlsRunEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /**
     * Runs last 8 s: on a loaded machine a JVM's first TLS handshakes take seconds (the crypto
     * classes load and run cold), and each test needs a few requests after them.
     */
    private static TlsLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLab() throws Exception {
        assumeTrue(TlsLab.available(), "openssl and nginx are needed (run-tests installs them)");
        lab = new TlsLab();
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aPlanWithACaFileCountsEachHostUnderItsOwnName() throws Exception {
        String other = lab.url(Server.PLAIN, "127.0.0.1") + "/other";
        Files.copy(lab.caPem, dir.resolve("ca.pem"));
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 2, spawnRate: 10, runTime: 8s, wait: { constant: 50ms } }
                http:
                  tls: { caFile: ca.pem, minVersion: "1.2" }
                tasks:
                  - steps:
                      - get: /home
                      - get: %s
                """.formatted(lab.url(Server.TLS13, "localhost"), other));
        StampedeProcess.Result result = run(plan.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = summary();
        assertThat(summary.at("/totals/failures").asLong()).as(summary.at("/failures").toString()).isZero();
        List<String> names = new ArrayList<>();
        summary.at("/requests").forEach(r -> names.add(r.at("/name").asText()));
        assertThat(names).containsExactlyInAnyOrder("/home", other);
        summary.at("/requests").forEach(r -> assertThat(r.at("/requests").asLong()).isPositive());
        List<String> stats = Files.readAllLines(resultsFolder().resolve("stats.csv"));
        assertThat(stats.get(0)).startsWith("Type,Name,Request Count,Failure Count,Median Response Time");
        assertThat(stats).anyMatch(l -> l.startsWith("GET," + other + ","));
    }

    @Test
    void throughTheFaultProxyFaultsCountAndTheCertificateIsCheckedAgainstTheServicesName() throws Exception {
        Files.copy(lab.caPem, dir.resolve("ca.pem"));
        String url = lab.url(Server.NAME_ONLY, "localhost"); // its certificate names localhost, not 127.0.0.1
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: tls-faults
                targets:
                  web: { address: "127.0.0.1:%d", url: "%s" }
                load: { users: 2, spawnRate: 10, runTime: 12s, wait: { constant: 50ms } }
                http: { tls: { caFile: ca.pem } }
                tasks: [ { get: /proxied } ]
                chaos:
                  - { fault: latency, target: web, latency: 300ms, at: 4s, duration: 3s }
                  - { fault: reset-peer, target: web, at: 8s, duration: 2s }
                slos:
                  - { name: availability, objective: 99.9%% }
                """.formatted(URI.create(url).getPort(), url));
        StampedeProcess.Result result = run(plan.toString());
        assertThat(result.stdout()).contains("through the fault proxy at https://localhost:", "latency#1 injected on web",
                "reset-peer#2 injected on web");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1); // the resets fail the SLO
        JsonNode summary = summary();
        JsonNode proxied = summary.at("/requests/0");
        assertThat(proxied.at("/name").asText()).isEqualTo("/proxied");
        assertThat(proxied.at("/maxMillis").asDouble()).isGreaterThan(290); // the latency fault reached TLS traffic
        List<String> errors = new ArrayList<>();
        long failed = 0;
        for (JsonNode failure : summary.at("/failures")) {
            errors.add(failure.at("/error").asText());
            failed += failure.at("/occurrences").asLong();
        }
        assertThat(errors).isNotEmpty().doesNotContain("hostname mismatch", "unknown CA");
        assertThat(summary.at("/totals/failures").asLong()).isEqualTo(failed);
        assertThat(summary.at("/verdict/slos/0/status").asText()).isEqualTo("fail");
        // "$server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri": SNI is the service's name
        List<String[]> lines = lab.awaitAccessLog("/proxied", 1);
        assertThat(lines).isNotEmpty().allSatisfy(f -> assertThat(f[4]).isEqualTo("localhost"));
    }

    @Test
    void eachHostItsOwnCaInAPlanAndInJava() throws Exception {
        Files.copy(lab.caPem, dir.resolve("ca.pem"));
        Files.copy(lab.otherCaPem, dir.resolve("other-ca.pem"));
        String second = lab.url(Server.UNKNOWN_CA, "localhost"); // signed by another CA
        String secondHost = URI.create(second).getAuthority();
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 1, runTime: 8s, wait: { constant: 100ms } }
                http:
                  tls:
                    caFile: ca.pem
                    hosts:
                      "%s": { caFile: other-ca.pem }
                tasks:
                  - steps: [ { get: /first }, { get: "%s/second" } ]
                """.formatted(lab.url(Server.TLS13, "localhost"), secondHost, second));
        Path scenario = Files.writeString(dir.resolve("TwoCas.java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class TwoCas extends User {
                    public static TlsSettings tls() {
                        return TlsSettings.caFile("ca.pem").host("%s", TlsSettings.caFile("other-ca.pem"));
                    }
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(100)); }
                    @Task public void both() {
                        http().get("/first", Check.status(200));
                        http().get("%s/second", Check.status(200));
                    }
                }
                """.formatted(secondHost, second));
        // the plan and the Java scenario side by side, each with its own results
        Path javaResults = dir.resolve("results-java");
        List<StampedeProcess.Result> results = StampedeProcess.runTogether(dir, LIMIT, runArgs(dir.resolve("results"), plan.toString()),
                runArgs(javaResults, "-f", scenario.toString(), "-H", lab.url(Server.TLS13, "localhost"), "-u", "1", "-t", "8s"));
        StampedeProcess.Result result = results.get(0);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(summary().at("/totals/failures").asLong()).isZero();
        assertThat(summary().at("/requests").size()).isEqualTo(2);

        result = results.get(1);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(summary(javaResults).at("/totals/failures").asLong()).isZero();
        assertThat(summary(javaResults).at("/totals/requests").asLong()).isPositive();
    }

    @Test
    void insecureIsWarnedOnTheConsoleAndInTheResults() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 1, runTime: 8s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                """.formatted(lab.url(Server.EXPIRED, "127.0.0.1")));
        StampedeProcess.Result result = run(plan.toString(), "--insecure");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("WARNING: TLS certificates are not verified (insecure)");
        JsonNode summary = summary();
        assertThat(summary.at("/totals/requests").asLong()).isPositive();
        assertThat(summary.at("/totals/failures").asLong()).isZero();
        assertThat(summary.at("/events").toString()).contains("TLS_NOT_VERIFIED");
    }

    @Test
    void aCertificateProblemIsANamedFailure() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                load: { users: 1, runTime: 8s, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                """.formatted(lab.url(Server.UNKNOWN_CA, "localhost")));
        StampedeProcess.Result result = run(plan.toString(), "--ca-file", lab.caPem.toString());
        assertThat(result.exitCode()).isEqualTo(1); // requests failed, nothing else judges the run
        assertThat(result.stdout() + result.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        JsonNode failures = summary().at("/failures");
        assertThat(failures.size()).isEqualTo(1);
        assertThat(failures.get(0).at("/error").asText()).isEqualTo("unknown CA");
    }

    @Test
    void aJavaScenarioDeclaresItsTlsAndMutualTlsWorks() throws Exception {
        Files.copy(lab.caPem, dir.resolve("ca.pem"));
        Files.copy(lab.clientCert, dir.resolve("user.pem"));
        Files.copy(lab.clientKey, dir.resolve("user.key"));
        Path scenario = Files.writeString(dir.resolve("ApiUser.java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class ApiUser extends User {
                    public static TlsSettings tls() {
                        return TlsSettings.caFile("ca.pem").clientCertificate("user.pem", "user.key");
                    }
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(100)); }
                    @Task public void index() { http().get("/", Check.status(200)); }
                }
                """);
        StampedeProcess.Result result = run("-f", scenario.toString(), "-H", lab.url(Server.MUTUAL, "localhost"),
                "-u", "1", "-t", "8s");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(summary().at("/totals/requests").asLong()).isPositive();
    }

    @Test
    void badTlsInputIsOneLineNamingTheFlagOrField() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path tasks = Files.writeString(dir.resolve("tasks.yaml"), "host: " + lab.url(Server.TLS12, "localhost")
                + "\ntasks: [ { get: / } ]\n");
        StampedeProcess.Result flag = StampedeProcess.inProcess("run", tasks.toString(),
                "--client-cert", lab.clientCert.toString(), "--client-key", missing.toString(), "--headless", "--no-results");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.stderr()).isEqualTo("stampede: --client-key: file not found: " + missing + "\n");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: %s
                http:
                  tls: { cert: %s, key: %s }
                tasks: [ { get: / } ]
                """.formatted(lab.url(Server.TLS12, "localhost"), lab.clientCert, lab.otherKey));
        StampedeProcess.Result file = StampedeProcess.inProcess("run", plan.toString(), "--headless", "--no-results");
        assertThat(file.exitCode()).isEqualTo(2);
        int column = ("  tls: { cert: " + lab.clientCert + ", key: ").length() + 1;
        assertThat(file.stderr()).isEqualTo("stampede: " + plan + ":3:" + column + ": http.tls.key: the key in " + lab.otherKey
                + " does not match the certificate in " + lab.clientCert + "\n");
    }

    private StampedeProcess.Result run(String... args) throws Exception {
        return StampedeProcess.run(dir, LIMIT, runArgs(dir.resolve("results"), args));
    }

    private static String[] runArgs(Path results, String... args) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--headless", "--results", results.toString()));
        return all.toArray(String[]::new);
    }

    private Path resultsFolder() throws Exception {
        return resultsFolder(dir.resolve("results"));
    }

    private static Path resultsFolder(Path results) throws Exception {
        try (Stream<Path> folders = Files.list(results)) {
            List<Path> all = folders.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private JsonNode summary() throws Exception {
        return summary(dir.resolve("results"));
    }

    private static JsonNode summary(Path results) throws Exception {
        return JSON.readTree(resultsFolder(results).resolve("summary.json").toFile());
    }
}
