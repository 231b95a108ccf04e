package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.api.Message;
import io.stampede.api.Reply;
import io.stampede.api.Response;
import io.stampede.api.WebSocket;
import io.stampede.http.TlsLab.Server;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect-to entries against Debian's nginx serving a certificate for {@code stampede.test} alone, a
 * name no resolver here knows: the socket goes to the entry's address on loopback, while nginx sees
 * the URL's name as SNI and as the Host header, and the certificate is checked against that name,
 * over HTTP/1.1 and HTTP/2 (see {@link TlsLab}).
 */
class ConnectToEndToEndTest {

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

    private static HttpOptions options(String... fromTo) {
        Problems problems = new Problems();
        List<ConnectTo.Entry> entries = new ArrayList<>();
        for (int i = 0; i < fromTo.length; i += 2) {
            entries.add(new ConnectTo.Entry(new Located<>(fromTo[i], "test"), new Located<>(fromTo[i + 1], "test")));
        }
        ConnectTo connectTo = ConnectTo.check(List.of(entries), problems);
        TlsDraft trust = new TlsDraft(new Located<>(lab.caPem, "--ca-file"), null, null, null, null, null, null, null);
        Tls tls = trust.check(problems);
        assertThat(problems.list()).isEmpty();
        return HttpOptions.defaults().withTls(tls).withConnectTo(connectTo);
    }

    private String nginx() {
        return "127.0.0.1:" + lab.port(Server.STAMPEDE_TEST);
    }

    @Test
    void theSocketGoesToTheEntrysAddressAndNginxSeesTheUrlsNameAsSniAndHost() {
        try (UserHttpSession http = new UserHttpSession(URI.create("https://stampede.test"), options("stampede.test:443", nginx()),
                recorder)) {
            Response answer = http.get("/");
            assertThat(answer.error()).isNull();
            assertThat(answer.text()).as("the certificate for stampede.test was accepted for the URL's name")
                    .isEqualTo("sni=stampede.test host=stampede.test HTTP/1.1\n");
        }
    }

    @Test
    void http2KeepsTheNameToo() {
        HttpOptions h2 = options("stampede.test:443", nginx()).withProtocol(HttpProtocol.HTTP_2);
        try (UserHttpSession http = new UserHttpSession(URI.create("https://stampede.test"), h2, recorder)) {
            assertThat(http.get("/").text()).isEqualTo("sni=stampede.test host=stampede.test HTTP/2.0\n");
        }
    }

    @Test
    void anEntryWithThePortWinsOverOneForTheNameAlone() {
        // the name alone goes to a port nothing answers on; the port-specific entry is the one taken
        HttpOptions both = options("stampede.test", "127.0.0.1:1", "stampede.test:443", nginx());
        try (UserHttpSession http = new UserHttpSession(URI.create("https://stampede.test"), both, recorder)) {
            assertThat(http.get("/").text()).isEqualTo("sni=stampede.test host=stampede.test HTTP/1.1\n");
        }
        // an address without a port keeps the URL's: the Host then carries the URL's port, as it is written
        int port = lab.port(Server.STAMPEDE_TEST);
        try (UserHttpSession http = new UserHttpSession(URI.create("https://Stampede.Test:" + port), options("stampede.test", "127.0.0.1"),
                recorder)) {
            assertThat(http.get("/").text()).isEqualTo("sni=stampede.test host=stampede.test:" + port + " HTTP/1.1\n");
        }
    }

    @Test
    void theCertificateIsStillCheckedAgainstTheUrlsName() {
        // another name sent to the same nginx: its certificate does not name it, so the check fails
        try (UserHttpSession http = new UserHttpSession(URI.create("https://other.test"), options("other.test:443", nginx()), recorder)) {
            assertThat(http.get("/").error()).isEqualTo("hostname mismatch");
        }
        // without an entry the name resolves nowhere: the entry is what reached nginx above
        try (UserHttpSession http = new UserHttpSession(URI.create("https://stampede.test"), options(), recorder)) {
            assertThat(http.get("/").error()).isNotNull().doesNotContain("sni=");
        }
    }

    @Test
    void aWebSocketToAMappedHostFailsSayingSoInsteadOfConnectingWhereTheNameResolves() {
        try (UserHttpSession http = new UserHttpSession(URI.create("https://stampede.test"), options("stampede.test:443", nginx()),
                recorder)) {
            WebSocket socket = http.websocket("/ws", "chat");
            Message reply = socket.request("hi", "hello", Reply.next());
            assertThat(reply.error()).isEqualTo("not connected: connect-to not supported for WebSockets and event streams:"
                    + " stampede.test:443 is mapped to " + nginx() + " (hosts:, --connect-to)");
            socket.close();
        }
        IntervalStats stats = recorder.takeInterval(1, 1);
        assertThat(stats.failures().keySet()).extracting(k -> k.error()).contains("connect-to not supported for WebSockets"
                + " and event streams: stampede.test:443 is mapped to " + nginx() + " (hosts:, --connect-to)");
    }
}
