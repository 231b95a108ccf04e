package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.api.Request;
import io.stampede.api.Response;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.http.H2Lab.Server;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.SampleSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Users speaking HTTP/2 to Debian's nginx (see {@link H2Lab}): h2 over TLS, h2c, and a TLS service without h2. */
class H2EndToEndTest {

    private static final long LATENCY_MILLIS = 300;
    /** nginx's default http2_max_concurrent_streams. */
    private static final int NGINX_MAX_STREAMS = 128;
    /** More than twice nginx's limit of concurrent streams. */
    private static final int BATCH_STREAMS = 300;
    private static H2Lab lab;

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

    private static HttpOptions options(HttpProtocol protocol) {
        Problems problems = new Problems();
        Tls tls = TlsDraft.none().with(new TlsDraft(new Located<>(lab.cert, "--ca-file"), null, null, null, null, null,
                null, null)).check(problems);
        assertThat(problems.list()).isEmpty();
        return HttpOptions.defaults().withTls(tls).withProtocol(protocol);
    }

    private static UserHttpSession session(Server server, HttpProtocol protocol, SampleSink sink) {
        return new UserHttpSession(URI.create(lab.url(server)), options(protocol), sink);
    }

    private static List<String[]> logLines(String uri, int atLeast) {
        return lab.awaitAccessLog(uri, atLeast);
    }

    @Test
    void h2OverTlsSendsAUsersRequestsOnOneConnection() throws Exception {
        Keeping sink = new Keeping();
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.HTTP_2, sink)) {
            for (int i = 0; i < 3; i++) {
                Response r = http.get("/one-connection");
                assertThat(r.error()).isNull();
                assertThat(r.text()).isEqualTo("H2_TLS HTTP/2.0\n");
            }
            assertThat(http.cookie("seen")).isEqualTo("H2_TLS"); // response headers come through HPACK
        }
        List<String[]> lines = logLines("/one-connection", 3);
        assertThat(lines).hasSize(3);
        assertThat(lines.stream().map(f -> f[1]).distinct()).hasSize(1); // one connection, three streams
        // connect and handshake once, by the request that opened the connection; every stream waits
        assertThat(sink.seen.get(0)[Phase.CONNECTING.ordinal()]).isPositive();
        assertThat(sink.seen.get(0)[Phase.TLS_HANDSHAKING.ordinal()]).isPositive();
        for (long[] later : sink.seen.subList(1, 3)) {
            assertThat(later[Phase.CONNECTING.ordinal()]).isZero();
            assertThat(later[Phase.TLS_HANDSHAKING.ordinal()]).isZero();
            assertThat(later[Phase.WAITING.ordinal()]).isPositive();
        }
    }

    @Test
    void h2cWithPriorKnowledgeCarriesLargeBodiesBothWays() throws Exception {
        byte[] upload = new byte[150 * 1024]; // over the 64 KiB first window: the service's WINDOW_UPDATEs let it through
        Arrays.fill(upload, (byte) 'x');
        try (UserHttpSession http = session(Server.H2C, HttpProtocol.HTTP_2, new Keeping())) {
            assertThat(http.get("/").text()).isEqualTo("H2C HTTP/2.0\n");
            Response big = http.get("/big.bin");
            assertThat(big.error()).isNull();
            assertThat(big.body()).hasSize(H2Lab.BIG_BYTES); // many DATA frames
            assertThat(new String(big.body(), 0, 26, StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrstuvwxyz");
            Response posted = http.request("POST", "/upload").body(new String(upload, StandardCharsets.US_ASCII),
                    "text/plain").send();
            assertThat(posted.error()).isNull();
            assertThat(posted.text()).isEqualTo(String.valueOf(upload.length));
            Response head = http.head("/big.bin");
            assertThat(head.error()).isNull();
            assertThat(head.body()).isEmpty();
        }
        assertThat(logLines("/big.bin", 2)).allSatisfy(f -> assertThat(f[2]).isEqualTo("HTTP/2.0"));
    }

    @Test
    void aTlsServiceWithoutH2IsANamedFailureOrAFallbackWithAuto() {
        try (UserHttpSession http = session(Server.TLS_HTTP1, HttpProtocol.HTTP_2, new Keeping())) {
            assertThat(http.get("/").error()).isEqualTo("server did not negotiate HTTP/2");
        }
        try (UserHttpSession http = session(Server.TLS_HTTP1, HttpProtocol.AUTO, new Keeping())) {
            assertThat(http.get("/").text()).isEqualTo("TLS_HTTP1 HTTP/1.1\n");
        }
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.AUTO, new Keeping())) {
            assertThat(http.get("/").text()).isEqualTo("H2_TLS HTTP/2.0\n");
        }
    }

    @Test
    void aBatchGoesAsConcurrentStreamsOnOneConnection() throws Exception {
        Keeping sink = new Keeping();
        try (UserHttpSession http = session(Server.H2C, HttpProtocol.HTTP_2, sink)) {
            List<Response> responses = http.batch(http.request("GET", "/slow.bin"), http.request("GET", "/slow.bin"),
                    http.request("GET", "/slow.bin").name("third"));
            assertThat(responses).hasSize(3).allSatisfy(r -> {
                assertThat(r.error()).isNull();
                assertThat(r.body()).hasSize(H2Lab.BIG_BYTES);
            });
            assertThat(sink.names).containsExactly("/slow.bin", "/slow.bin", "third");
            assertThat(http.get("/after-batch").error()).isNull(); // the connection goes on
        }
        // nginx's own clock: every stream began before the first one ended, on one connection
        List<double[]> slow = lab.awaitSlowLog(3);
        assertThat(slow).hasSize(3);
        assertThat(slow.stream().map(l -> l[0]).distinct()).hasSize(1);
        double firstEnd = slow.stream().mapToDouble(l -> l[1]).min().orElseThrow();
        assertThat(slow).allSatisfy(l -> assertThat(l[1] - l[2]).isLessThan(firstEnd));
    }

    @Test
    void aBatchOfHundredsOfStreamsKeepsToNginxsLimitAndCompletesOnOneConnection() throws Exception {
        // nginx allows 128 streams at once (http2_max_concurrent_streams) and refuses those past it; each
        // stream here lasts about a second, so a batch of 300 on a fresh connection completes only if it
        // waits for room once the limit is reached, and in seconds only if it then goes on side by side
        Keeping sink = new Keeping();
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.HTTP_2, sink)) {
            Request[] requests = new Request[BATCH_STREAMS];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = http.request("GET", "/trickle.bin?" + i);
            }
            List<Response> responses = http.batch(requests);
            assertThat(responses).hasSize(BATCH_STREAMS).allSatisfy(r -> {
                assertThat(r.error()).isNull();
                assertThat(r.body()).hasSize(H2Lab.TRICKLE_BYTES);
            });
            assertThat(sink.names).hasSize(BATCH_STREAMS).allMatch(n -> n.startsWith("/trickle.bin?"));
        }
        List<double[]> streams = lab.awaitTrickleLog(BATCH_STREAMS); // connection, end, duration: by nginx's clock
        assertThat(streams).hasSize(BATCH_STREAMS);
        assertThat(streams.stream().map(l -> l[0]).distinct()).hasSize(1); // all of one connection
        double firstEnd = streams.stream().mapToDouble(l -> l[1]).min().orElseThrow();
        List<double[]> later = streams.stream().filter(l -> l[1] - l[2] > firstEnd).toList(); // began once one ended
        assertThat(later).isNotEmpty();
        assertThat(mostAtOnce(streams)).isLessThanOrEqualTo(NGINX_MAX_STREAMS);
        assertThat(mostAtOnce(later)).isGreaterThan(1); // room used as it came, not one stream at a time
    }

    /** The most streams under way at one time, from nginx's end times and durations (milliseconds). */
    private static int mostAtOnce(List<double[]> streams) {
        List<long[]> edges = new ArrayList<>(); // time, +1 at a start, -1 at an end: ends first at a tie
        for (double[] l : streams) {
            long end = Math.round(l[1] * 1000);
            edges.add(new long[] {end - Math.round(l[2] * 1000), 1});
            edges.add(new long[] {end, -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] edge : edges) {
            now += (int) edge[1];
            most = Math.max(most, now);
        }
        return most;
    }

    @Test
    void tcpFaultsOnAnH2ConnectionAreRecorded() {
        Keeping sink = new Keeping();
        try (FaultProxy proxy = FaultProxy.start("h2c", "127.0.0.1:0", "127.0.0.1:" + lab.port(Server.H2C));
             UserHttpSession http = new UserHttpSession(URI.create("http://" + proxy.listen()),
                     options(HttpProtocol.HTTP_2), sink)) {
            assertThat(http.get("/through-proxy").error()).isNull();
            ToxicSpec latency = proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM,
                    Map.of("latency", LATENCY_MILLIS, "jitter", 0L)));
            Response slow = http.get("/through-proxy");
            assertThat(slow.error()).isNull();
            long[] slowPhases = sink.seen.get(1);
            assertThat(slowPhases[Phase.CONNECTING.ordinal()]).isZero(); // the same connection, slower
            // From the request's first byte written to the answer's first byte read: the toxic's delay is all
            // in there. Waiting alone starts when the write returned, which on a busy machine can be after the
            // answer reached the proxy.
            assertThat(slowPhases[Phase.SENDING.ordinal()] + slowPhases[Phase.WAITING.ordinal()])
                    .isGreaterThanOrEqualTo(LATENCY_MILLIS * 1_000_000);
            proxy.removeToxic(latency.name());
            proxy.addToxic(ToxicSpec.of("reset_peer", ToxicSpec.Stream.DOWNSTREAM, Map.of("timeout", 0L)));
            Response reset = http.get("/through-proxy");
            assertThat(reset.error()).isIn("connection reset by peer", "no response (connection closed by the service)");
            proxy.removeAllToxics();
            Response after = http.get("/through-proxy");
            assertThat(after.error()).isNull(); // a new connection
            assertThat(sink.seen.get(3)[Phase.CONNECTING.ordinal()]).isPositive();
        }
    }

    @Test
    void aConnectionTheServiceEndsWithGoAwayIsReplacedWithoutAFailure() throws Exception {
        int requests = H2Lab.H2C_STREAMS_PER_CONNECTION * 2 + 2;
        try (UserHttpSession http = session(Server.H2C, HttpProtocol.HTTP_2, new Keeping())) {
            for (int i = 0; i < requests; i++) {
                assertThat(http.get("/go-away").error()).isNull();
            }
        }
        List<String[]> lines = logLines("/go-away", requests);
        assertThat(lines).hasSize(requests);
        assertThat(lines.stream().map(f -> f[1]).distinct()).hasSize(3);
    }

    @Test
    void aBatchLargerThanTheStreamsAConnectionServesGoesOnNewConnectionsEachRequestOnce() throws Exception {
        // nginx takes H2C_STREAMS_PER_CONNECTION streams on a connection, then sends GOAWAY naming the last and
        // skips the HEADERS of the later ones (ngx_http_v2_state_headers): sent at once, a batch of more than
        // twice that needs three connections, the streams each left unprocessed going again on the next
        int size = H2Lab.H2C_STREAMS_PER_CONNECTION * 2 + 2;
        Keeping sink = new Keeping();
        List<Response> responses;
        try (UserHttpSession http = session(Server.H2C, HttpProtocol.HTTP_2, sink)) {
            Request[] requests = new Request[size];
            for (int i = 0; i < size; i++) { // every third a POST with a body: going again, it is sent again whole
                requests[i] = i % 3 == 2
                        ? http.request("POST", "/counted?" + i).body("x".repeat(1000), "text/plain").name("counted")
                        : http.request("GET", "/counted?" + i).name("counted");
            }
            responses = http.batch(requests);
        }
        for (int i = 0; i < size; i++) {
            assertThat(responses.get(i).error()).isNull();
            assertThat(responses.get(i).text()).isEqualTo(i + "\n");
        }
        assertThat(sink.errors).hasSize(size).containsOnlyNulls(); // each recorded once, none failed
        // the requests that opened a connection: the first, and the first of each round sent again
        List<Integer> connecting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (sink.seen.get(i)[Phase.CONNECTING.ordinal()] > 0) {
                connecting.add(i);
            }
        }
        assertThat(connecting).containsExactly(0, H2Lab.H2C_STREAMS_PER_CONNECTION, 2 * H2Lab.H2C_STREAMS_PER_CONNECTION);
        // nginx's log: each request processed exactly once, on three connections of at most so many streams
        List<String[]> log = lab.awaitCountedLog(Server.H2C, size);
        assertThat(log.stream().map(f -> f[3])).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, size).mapToObj(String::valueOf).toList());
        Map<String, Long> perConnection = log.stream().collect(
                Collectors.groupingBy(f -> f[1], Collectors.counting()));
        assertThat(perConnection).hasSize(3);
        assertThat(perConnection.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(H2Lab.H2C_STREAMS_PER_CONNECTION));
    }

    @Test
    void batchStreamsRefusedPastTheServicesLimitGoAgainOnceThereIsRoom() throws Exception {
        // before a connection's SETTINGS arrive the client may open 100 streams; this server allows FEW_STREAMS
        // and refuses the others (REFUSED_STREAM, "concurrent streams exceeded"), each of which lasts a second
        int size = H2Lab.FEW_STREAMS * 3;
        Keeping sink = new Keeping();
        List<Response> responses;
        try (UserHttpSession http = session(Server.H2C_FEW_STREAMS, HttpProtocol.HTTP_2, sink)) {
            Request[] requests = new Request[size];
            for (int i = 0; i < size; i++) {
                requests[i] = http.request("GET", "/counted.bin?" + i);
            }
            responses = http.batch(requests);
        }
        assertThat(lab.refusedStreams()).isPositive(); // nginx did refuse some
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.error()).isNull();
            assertThat(r.body()).hasSize(H2Lab.TRICKLE_BYTES);
        });
        assertThat(sink.errors).hasSize(size).containsOnlyNulls();
        List<String[]> log = lab.awaitCountedLog(Server.H2C_FEW_STREAMS, size);
        assertThat(log.stream().map(f -> f[3])).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, size).mapToObj(String::valueOf).toList());
        assertThat(log.stream().map(f -> f[1]).distinct()).hasSize(1); // a refusal leaves the connection open
    }

    @Test
    void aBatchRequestThatFollowsARedirectEndsWhenTheRedirectsAnswerDoes() {
        Keeping sink = new Keeping();
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.HTTP_2, sink)) {
            List<Response> responses = http.batch(http.request("GET", "/"), http.request("GET", "/to-root"));
            assertThat(responses).allSatisfy(r -> assertThat(r.text()).isEqualTo("H2_TLS HTTP/2.0\n"));
        }
        // both exchanges' phases lie within the request's time, one after the other, so its latency holds
        // them (it ended with the first stream, the redirect's answer left out)
        long phasesNanos = Arrays.stream(sink.seen.get(1)).sum();
        assertThat(sink.seen.get(1)[Phase.CONNECTING.ordinal()]).isZero(); // the first request opened the connection
        assertThat(sink.latencies.get(1) * 1_000 + 1_000).isGreaterThanOrEqualTo(phasesNanos);
    }

    @Test
    void theJavaApiSwitchesAUsersVersion() {
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.HTTP_1_1, new Keeping())) {
            assertThat(http.get("/").text()).isEqualTo("H2_TLS HTTP/1.1\n");
            http.version("2");
            assertThat(http.get("/").text()).isEqualTo("H2_TLS HTTP/2.0\n");
            assertThatThrownBy(() -> http.version("3")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HTTP version is \"1.1\", \"2\" or \"auto\", got \"3\"");
        }
    }

    @Test
    void eachRequestGoesOverTheVersionItAsksForOnItsOwnConnection() throws Exception {
        try (UserHttpSession http = session(Server.H2_TLS, HttpProtocol.HTTP_1_1, new Keeping())) {
            for (int i = 0; i < 2; i++) {
                assertThat(http.request("GET", "/alternate").version("2").send().text()).isEqualTo("H2_TLS HTTP/2.0\n");
                assertThat(http.get("/alternate").text()).isEqualTo("H2_TLS HTTP/1.1\n"); // the session's
                assertThat(http.request("GET", "/alternate").version("auto").send().text()).isEqualTo("H2_TLS HTTP/2.0\n");
            }
            assertThatThrownBy(() -> http.request("GET", "/").version("3")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HTTP version is \"1.1\", \"2\" or \"auto\", got \"3\"");
        }
        List<String[]> lines = logLines("/alternate", 6);
        assertThat(lines.stream().map(f -> f[2]))
                .containsExactly("HTTP/2.0", "HTTP/1.1", "HTTP/2.0", "HTTP/2.0", "HTTP/1.1", "HTTP/2.0");
        // one connection per version asked for, each kept alive while the others are used
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i + 3)[1]).isEqualTo(lines.get(i)[1]);
        }
        assertThat(lines.stream().map(f -> f[1]).distinct()).hasSize(3);
    }

    @Test
    void theVersionIsCheckedWhereItIsWritten() {
        Problems problems = new Problems();
        HttpOptions ok = new HttpDraft(null, null, Map.of(), null, TlsDraft.none(), new Located<>("h2c", "plan.yaml:4:12"))
                .check(problems);
        assertThat(ok.protocol()).isEqualTo(HttpProtocol.HTTP_2);
        new HttpDraft(null, null, Map.of(), null, TlsDraft.none(), new Located<>("3", "plan.yaml:4:12")).check(problems);
        assertThat(problems.list()).containsExactly(
                "plan.yaml:4:12: expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '3'");
    }

    /** Keeps each request's phases: the session reuses its PhaseTimes. */
    private static final class Keeping implements SampleSink {
        final List<long[]> seen = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Long> latencies = new ArrayList<>();

        @Override
        public void record(String method, String name, long latencyMicros, long contentBytes, String error) {
            seen.add(new long[Phase.COUNT]);
            names.add(name);
            errors.add(error);
            latencies.add(latencyMicros);
        }

        @Override
        public void record(String method, String name, long latencyMicros, long contentBytes, String error,
                           long endNanoTime, PhaseTimes phases) {
            long[] nanos = new long[Phase.COUNT];
            for (Phase phase : Phase.values()) {
                nanos[phase.ordinal()] = phases.nanos(phase);
            }
            seen.add(nanos);
            names.add(name);
            errors.add(error);
            latencies.add(latencyMicros);
        }
    }
}
