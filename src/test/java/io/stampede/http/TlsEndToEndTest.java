package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.api.Response;
import io.stampede.http.TlsLab.Server;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.StatsRecorder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users against Debian's nginx over TLS, with certificates made for the test (see {@link TlsLab}):
 * verification with a CA file, TLS 1.2 and 1.3, SNI, session resumption on reconnect, mutual TLS,
 * named failures for bad certificates, insecure mode, and a second host in the same session.
 */
class TlsEndToEndTest {

    private static TlsLab lab;
    private final StatsRecorder recorder = new StatsRecorder(0);

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

    private static Located<Path> file(Path path, String where) {
        return new Located<>(path, where);
    }

    private static Located<String> text(String value, String where) {
        return new Located<>(value, where);
    }

    private static HttpOptions options(TlsDraft draft) {
        Problems problems = new Problems();
        Tls tls = draft.check(problems);
        assertThat(problems.list()).isEmpty();
        return HttpOptions.defaults().withTls(tls);
    }

    private static TlsDraft trustingLabCa() {
        return TlsDraft.none().with(new TlsDraft(file(lab.caPem, "--ca-file"), null, null, null, null, null, null, null));
    }

    private UserHttpSession session(String url, TlsDraft draft) {
        return new UserHttpSession(URI.create(url), options(draft), recorder);
    }

    @Test
    void verifiesWithTheCaFileOverTls12And13() {
        try (UserHttpSession http = session(lab.url(Server.TLS12, "127.0.0.1"), trustingLabCa())) {
            assertThat(http.get("/").text()).isEqualTo("TLS12 TLSv1.2\n");
        }
        try (UserHttpSession http = session(lab.url(Server.TLS13, "localhost"), trustingLabCa())) {
            assertThat(http.get("/").text()).isEqualTo("TLS13 TLSv1.3\n");
        }
    }

    @Test
    void aReconnectResumesTheSessionAndSendsTheHostAsSni() throws Exception {
        for (Server server : List.of(Server.TLS12, Server.TLS13)) {
            String path = "/resume-" + server;
            try (UserHttpSession http = session(lab.url(server, "localhost"), trustingLabCa())) {
                for (int i = 0; i < 3; i++) {
                    Response r = http.request("GET", path).header("Connection", "close").send();
                    assertThat(r.ok()).as(r.error()).isTrue();
                }
            }
            // "$server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri"
            List<String[]> lines = logLines(path, 3);
            assertThat(lines).hasSize(3);
            assertThat(lines).allSatisfy(f -> assertThat(f[4]).isEqualTo("localhost")); // SNI
            assertThat(lines.stream().map(f -> f[1]).distinct()).hasSize(3); // three connections
            assertThat(lines.get(0)[3]).isEqualTo("."); // a full handshake first
            assertThat(lines.get(1)[3]).as(server + " resumed on reconnect").isEqualTo("r");
            assertThat(lines.get(2)[3]).as(server + " resumed on reconnect").isEqualTo("r");
        }
    }

    @Test
    void anIpAddressSendsNoSni() throws Exception {
        try (UserHttpSession http = session(lab.url(Server.TLS12, "127.0.0.1"), trustingLabCa())) {
            assertThat(http.get("/no-sni").ok()).isTrue();
        }
        assertThat(logLines("/no-sni", 1)).singleElement().satisfies(f -> assertThat(f[4]).isEqualTo("-"));
    }

    @Test
    void certificateProblemsAreNamedFailures() {
        assertThat(error(Server.EXPIRED, "localhost", trustingLabCa())).isEqualTo("certificate expired");
        assertThat(error(Server.UNKNOWN_CA, "localhost", trustingLabCa())).isEqualTo("unknown CA");
        assertThat(error(Server.TLS12, "localhost", TlsDraft.none())).isEqualTo("unknown CA"); // the JDK's CAs
        assertThat(error(Server.OTHER_NAME, "127.0.0.1", trustingLabCa())).isEqualTo("hostname mismatch");
        assertThat(error(Server.OTHER_NAME, "localhost", trustingLabCa())).isEqualTo("hostname mismatch");
        TlsDraft only13 = trustingLabCa().with(new TlsDraft(null, null, null, null, null, null, text("1.3", "minVersion"), null));
        assertThat(error(Server.TLS12, "localhost", only13)).isEqualTo("handshake failed: no shared protocol");
        TlsDraft only12 = trustingLabCa().with(new TlsDraft(null, null, null, null, null, null, null, text("1.2", "maxVersion")));
        assertThat(error(Server.TLS13, "localhost", only12)).isEqualTo("handshake failed: no shared protocol");
        assertThat(error(Server.PLAIN, "127.0.0.1", trustingLabCa())).isNull(); // http:// is not TLS
        IntervalStats stats = recorder.takeInterval(1, 1);
        assertThat(stats.failures().keySet()).extracting(k -> k.error()).contains("certificate expired", "unknown CA",
                "hostname mismatch", "handshake failed: no shared protocol");
    }

    @Test
    void insecureAcceptsAnyCertificate() {
        TlsDraft insecure = new TlsDraft(null, null, text("true", "--insecure"), null, null, null, null, null);
        assertThat(options(insecure).tls().insecure()).isTrue();
        for (Server server : List.of(Server.EXPIRED, Server.UNKNOWN_CA, Server.OTHER_NAME)) {
            assertThat(error(server, "127.0.0.1", insecure)).as(server.name()).isNull();
        }
    }

    @Test
    void mutualTlsWithPemOrPkcs12() {
        String url = lab.url(Server.MUTUAL, "localhost");
        TlsDraft pem = trustingLabCa().with(new TlsDraft(null, null, null, file(lab.clientCert, "cert"),
                file(lab.clientKey, "key"), null, null, null));
        TlsDraft p12 = trustingLabCa().with(new TlsDraft(null, null, null, file(lab.clientP12, "cert"), null,
                text(TlsLab.P12_PASSWORD, "password"), null, null));
        for (TlsDraft draft : List.of(pem, p12)) {
            try (UserHttpSession http = session(url, draft)) {
                assertThat(http.get("/").text()).startsWith("MUTUAL ");
            }
        }
        try (UserHttpSession http = session(url, trustingLabCa())) {
            assertThat(http.get("/").error()).isEqualTo("HTTP 400 Bad Request"); // nginx: no required certificate
        }
    }

    @Test
    void badFilesAreProblemsNamingTheField() throws Exception {
        Path missing = lab.dir.resolve("missing.pem");
        assertThat(problems(new TlsDraft(file(missing, "--ca-file"), null, null, null, null, null, null, null)))
                .containsExactly("--ca-file: file not found: " + missing);
        assertThat(problems(new TlsDraft(null, null, null, file(lab.clientCert, "--client-cert"),
                file(lab.otherKey, "--client-key"), null, null, null)))
                .containsExactly("--client-key: the key in " + lab.otherKey + " does not match the certificate in " + lab.clientCert);
        assertThat(problems(new TlsDraft(null, null, null, file(lab.clientCert, "--client-cert"), null, null, null, null)))
                .containsExactly("--client-cert: a PEM client certificate needs its key (key, --client-key)");
        assertThat(problems(new TlsDraft(null, null, null, file(lab.clientP12, "--client-cert"), null,
                text("wrong", "--client-cert-password"), null, null)))
                .containsExactly("--client-cert-password or --client-cert: cannot open " + lab.clientP12 + " as PKCS#12: wrong password");
        Path notAKey = lab.caPem;
        assertThat(problems(new TlsDraft(null, null, null, file(lab.clientCert, "cert"), file(notAKey, "t.yaml:4:10: http.tls.key"),
                null, null, null)))
                .containsExactly("t.yaml:4:10: http.tls.key: " + notAKey + ": no 'BEGIN PRIVATE KEY' block (a PEM PKCS#8 key) in it");
        Path garbage = lab.dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        assertThat(problems(new TlsDraft(file(garbage, "caFile"), null, null, null, null, null, null, null)))
                .singleElement().asString().startsWith("caFile: cannot read " + garbage + " as PEM certificates or a trust store");
        assertThat(problems(new TlsDraft(null, null, text("yes", "insecure"), null, null, null, text("1.1", "minVersion"), null)))
                .containsExactly("insecure: expected true or false, got 'yes'", "minVersion: TLS version is 1.2 or 1.3, got '1.1'");
    }

    @Test
    void absoluteUrlsReachAnotherHostOnItsOwnKeptConnection() throws Exception {
        String other = lab.url(Server.PLAIN, "127.0.0.1") + "/other";
        try (UserHttpSession http = session(lab.url(Server.TLS13, "localhost"), trustingLabCa())) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.get("/home").ok()).isTrue();
                assertThat(http.get(other).text()).isEqualTo("plain /other\n");
            }
        }
        IntervalStats stats = recorder.takeInterval(1, 1);
        assertThat(stats.entries().get(new RequestKey("GET", "/home")).count()).isEqualTo(3);
        assertThat(stats.entries().get(new RequestKey("GET", other)).count()).isEqualTo(3);
        Map<String, List<String>> connectionsByPort = new HashMap<>();
        for (String[] f : logLines("/home", 3)) {
            connectionsByPort.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
        }
        for (String[] f : logLines("/other", 3)) {
            connectionsByPort.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
        }
        assertThat(connectionsByPort).hasSize(2);
        assertThat(connectionsByPort.values()).allSatisfy(ids -> {
            assertThat(ids).hasSize(3);
            assertThat(ids.stream().distinct()).hasSize(1); // kept alive while the other host was called
        });
    }

    /** The failure of one GET, or null when it succeeded. */
    private String error(Server server, String host, TlsDraft draft) {
        try (UserHttpSession http = session(lab.url(server, host), draft)) {
            return http.get("/").error();
        }
    }

    private static List<String> problems(TlsDraft draft) {
        Problems problems = new Problems();
        draft.check(problems);
        return problems.list();
    }

    private static List<String[]> logLines(String uri, int atLeast) {
        return lab.awaitAccessLog(uri, atLeast);
    }
}
