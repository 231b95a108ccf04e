package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.api.EventStream;
import io.stampede.api.Message;
import io.stampede.api.Response;
import io.stampede.api.ServerEvent;
import io.stampede.api.WebSocket;
import io.stampede.http.TlsLab.Server;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.SampleSink;
import io.stampede.testing.FreePorts;
import io.stampede.testing.SocketLab;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS settings per host, WebSockets and event streams over TLS with the run's settings, and the
 * phase times of a connection that fails: against Debian's nginx and a Jetty WebSocket service, with
 * certificates made for the test ({@link TlsLab}).
 */
class TlsHostsAndSocketsTest {

    private static TlsLab lab;
    private static SocketLab sockets;
    private final Samples samples = new Samples();

    @BeforeAll
    static void startLabs() throws Exception {
        assumeTrue(TlsLab.available(), "openssl and nginx are needed (run-tests installs them)");
        lab = new TlsLab();
        sockets = new SocketLab(lab.serverP12, TlsLab.P12_PASSWORD);
    }

    @AfterAll
    static void stopLabs() throws Exception {
        if (sockets != null) {
            sockets.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** The samples recorded, with a copy of each one's phase times. */
    private static final class Samples implements SampleSink {
        record Sample(String method, String name, String error, Map<Phase, Long> phaseNanos) {
        }

        final List<Sample> all = new ArrayList<>();

        @Override
        public synchronized void record(String method, String name, long latencyMicros, long contentBytes, String error) {
            all.add(new Sample(method, name, error, Map.of()));
        }

        @Override
        public synchronized void record(String method, String name, long latencyMicros, long contentBytes, String error,
                                        long endNanoTime, PhaseTimes phases) {
            Map<Phase, Long> copy = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                copy.put(phase, phases.nanos(phase));
            }
            all.add(new Sample(method, name, error, copy));
        }

        synchronized Sample last() {
            return all.get(all.size() - 1);
        }
    }

    private static Located<Path> file(Path path, String where) {
        return new Located<>(path, where);
    }

    private static TlsDraft ca(Path caPem) {
        return new TlsDraft(file(caPem, "caFile"), null, null, null, null, null, null, null);
    }

    private static Tls tls(TlsDraft draft) {
        Problems problems = new Problems();
        Tls tls = draft.check(problems);
        assertThat(problems.list()).isEmpty();
        return tls;
    }

    private UserHttpSession session(String url, Tls tls) {
        return new UserHttpSession(URI.create(url), HttpOptions.defaults().withTls(tls), samples);
    }

    private static TlsDraft withHosts(TlsDraft common, List<TlsDraft.HostTls> hosts) {
        return new TlsDraft(common.caFile(), common.caPassword(), common.insecure(), common.cert(), common.key(),
                common.password(), common.minVersion(), common.maxVersion(), hosts);
    }

    private static TlsDraft.HostTls host(String host, TlsDraft own) {
        return new TlsDraft.HostTls(new Located<>(host, "hosts." + host), own);
    }

    private static String hostPort(Server server) {
        return URI.create(lab.url(server, "localhost")).getAuthority();
    }

    @Test
    void eachHostMayHaveItsOwnCaAndClientCertificate() {
        String second = lab.url(Server.UNKNOWN_CA, "localhost") + "/second";
        String mutual = lab.url(Server.MUTUAL, "localhost") + "/mutual";
        // one CA for the run; the second service's CA for that host only; a client certificate for the third
        TlsDraft perHost = withHosts(ca(lab.caPem), List.of(
                host(hostPort(Server.UNKNOWN_CA), ca(lab.otherCaPem)),
                host(hostPort(Server.MUTUAL), new TlsDraft(null, null, null, file(lab.clientCert, "cert"),
                        file(lab.clientKey, "key"), null, null, null))));
        try (UserHttpSession http = session(lab.url(Server.TLS13, "localhost"), tls(perHost))) {
            for (int i = 0; i < 2; i++) {
                assertThat(http.get("/first").text()).isEqualTo("TLS13 TLSv1.3\n");
                Response other = http.get(second);
                assertThat(other.ok()).as(other.error()).isTrue();
                assertThat(other.text()).startsWith("UNKNOWN_CA ");
                assertThat(http.get(mutual).text()).startsWith("MUTUAL ");
            }
        }
        // without the entries, the same requests fail as each service's certificate says
        try (UserHttpSession http = session(lab.url(Server.TLS13, "localhost"), tls(ca(lab.caPem)))) {
            assertThat(http.get("/first").ok()).isTrue();
            assertThat(http.get(second).error()).isEqualTo("unknown CA");
            assertThat(http.get(mutual).error()).isEqualTo("HTTP 400 Bad Request"); // nginx: no required certificate
        }
        // a host entry without a port holds for any port of that name; insecure for one host only
        TlsDraft anyPort = withHosts(ca(lab.caPem), List.of(host("LOCALHOST",
                new TlsDraft(null, null, new Located<>("true", "insecure"), null, null, null, null, null))));
        Tls insecureLocalhost = tls(anyPort);
        assertThat(insecureLocalhost.insecure()).isTrue();
        try (UserHttpSession http = session(lab.url(Server.EXPIRED, "localhost"), insecureLocalhost)) {
            assertThat(http.get("/").ok()).isTrue();
        }
        try (UserHttpSession http = session(lab.url(Server.EXPIRED, "127.0.0.1"), insecureLocalhost)) {
            assertThat(http.get("/").error()).isEqualTo("certificate expired"); // another name: the run's settings
        }
    }

    @Test
    void reconnectsToAHostWithItsOwnSettingsResumeItsSession() throws Exception {
        String second = lab.url(Server.UNKNOWN_CA, "localhost") + "/resume-own";
        TlsDraft perHost = withHosts(ca(lab.caPem), List.of(host(hostPort(Server.UNKNOWN_CA), ca(lab.otherCaPem))));
        try (UserHttpSession http = session(lab.url(Server.TLS13, "localhost"), tls(perHost))) {
            for (int i = 0; i < 3; i++) {
                Response r = http.request("GET", second).header("Connection", "close").send();
                assertThat(r.ok()).as(r.error()).isTrue();
            }
        }
        // "$server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri"
        List<String[]> lines = lab.awaitAccessLog("/resume-own", 3);
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(f -> f[3]).containsExactly(".", "r", "r"); // a full handshake, then resumed
        assertThat(lines).allSatisfy(f -> assertThat(f[4]).isEqualTo("localhost"));
    }

    @Test
    void aBadHostKeyIsAProblemNamingIt() {
        Problems problems = new Problems();
        withHosts(ca(lab.caPem), List.of(host("localhost:99999", ca(lab.caPem)), host("a b", ca(lab.caPem)))).check(problems);
        assertThat(problems.list()).containsExactly(
                "hosts.localhost:99999: a host is name or name:port (as in the URL), got 'localhost:99999'",
                "hosts.a b: a host is name or name:port (as in the URL), got 'a b'");
    }

    @Test
    void webSocketsAndEventStreamsUseTheRunsTlsSettings() {
        String base = "https://localhost:" + sockets.tlsPort();
        try (UserHttpSession http = session(base, tls(ca(lab.caPem)))) {
            try (WebSocket ws = http.websocket("/echo", "echo")) {
                Message reply = ws.request("hello", "hi over wss");
                assertThat(reply.ok()).as(reply.error()).isTrue();
                assertThat(reply.text()).isEqualTo("hi over wss");
            }
            try (EventStream events = http.events("/events", "ticks")) {
                ServerEvent first = events.next();
                assertThat(first.ok()).as(first.error()).isTrue();
            }
        }
        assertThat(samples.all).filteredOn(s -> s.name().startsWith("connect:")).hasSize(2)
                .allSatisfy(s -> assertThat(s.error()).isNull());
        samples.all.clear();
        // the JDK's CAs do not know the test's CA: the handshake fails with the request's name for it
        try (UserHttpSession http = session(base, Tls.system())) {
            try (WebSocket ws = http.websocket("/echo", "echo")) {
                assertThat(ws.isOpen()).isFalse();
                assertThat(ws.error()).isEqualTo("unknown CA");
            }
        }
        // a client certificate and insecure reach the sockets too: insecure accepts the name 127.0.0.1 here
        Tls insecure = tls(new TlsDraft(null, null, new Located<>("true", "insecure"), null, null, null, null, null));
        try (UserHttpSession http = session("https://127.0.0.1:" + sockets.tlsPort(), insecure);
             WebSocket ws = http.websocket("/echo", "echo")) {
            assertThat(ws.request("hello", "hi").ok()).isTrue();
        }
    }

    @Test
    void aFailedHandshakeKeepsItsConnectAndHandshakeTimes() {
        for (Server server : List.of(Server.UNKNOWN_CA, Server.EXPIRED, Server.OTHER_NAME)) {
            try (UserHttpSession http = session(lab.url(server, "localhost"), tls(ca(lab.caPem)))) {
                http.get("/");
            }
            Samples.Sample failed = samples.last();
            assertThat(failed.error()).as(server.name()).isIn("unknown CA", "certificate expired", "hostname mismatch");
            assertThat(failed.phaseNanos().get(Phase.CONNECTING)).as(server + " connect").isPositive();
            assertThat(failed.phaseNanos().get(Phase.TLS_HANDSHAKING)).as(server + " handshake").isPositive();
            assertThat(failed.phaseNanos().get(Phase.WAITING)).as(server + " no request was sent").isZero();
        }
    }

    @Test
    void aRefusedConnectKeepsItsConnectTime() throws Exception {
        int closedPort = FreePorts.next(); // nothing listens there
        try (UserHttpSession http = session("https://127.0.0.1:" + closedPort, tls(ca(lab.caPem)))) {
            assertThat(http.get("/").error()).isEqualTo("connection refused");
        }
        Samples.Sample refused = samples.last();
        assertThat(refused.phaseNanos().get(Phase.CONNECTING)).isPositive();
        assertThat(refused.phaseNanos().get(Phase.TLS_HANDSHAKING)).isZero(); // never reached
    }
}
