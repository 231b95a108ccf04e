package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stampede.api.Message;
import io.stampede.api.Reply;
import io.stampede.api.WebSocket;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.StatsRecorder;
import io.stampede.testing.SocketLab;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A user's WebSocket against Jetty's WebSocket server: what is timed, matched and recorded as a failure. */
@Timeout(60)
class WebSocketSessionTest {

    private static SocketLab lab;
    private final StatsRecorder recorder = new StatsRecorder(0);
    /** Everything taken from the recorder so far, summed: drops are recorded from another thread. */
    private final Map<RequestKey, EntryStats> entries = new HashMap<>();
    private final Map<FailureKey, Long> failures = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        lab = new SocketLab();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private UserHttpSession session() {
        return new UserHttpSession(URI.create("http://127.0.0.1:" + lab.port()), HttpOptions.defaults(), recorder);
    }

    private void take() {
        IntervalStats interval = recorder.takeInterval(1, 1);
        interval.entries().forEach((key, entry) -> entries.merge(key, entry.copy(), EntryStats::add));
        interval.failures().forEach((key, n) -> failures.merge(key, n, Long::sum));
    }

    private EntryStats entry(String name) {
        take();
        return entries.getOrDefault(new RequestKey("WS", name), new EntryStats());
    }

    @Test
    void timesEachReplyUnderItsMessageName() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/echo")) {
            assertThat(ws.isOpen()).isTrue();
            for (int i = 0; i < 5; i++) {
                Message reply = ws.request("hello", "hello " + i);
                assertThat(reply.ok()).as(reply.error()).isTrue();
                assertThat(reply.text()).isEqualTo("hello " + i);
            }
        }
        assertThat(entry("connect:/echo").count()).isEqualTo(1);
        assertThat(entry("connect:/echo").failures()).isZero();
        EntryStats hello = entry("send:hello");
        assertThat(hello.count()).isEqualTo(5);
        assertThat(hello.failures()).isZero();
        assertThat(hello.contentBytes()).isEqualTo(5 * "hello 0".length());
        assertThat(failures).isEmpty(); // a close by the user is no drop
    }

    @Test
    void aCorrelatedReplySkipsOtherMessagesAndKeepsThemForExpect() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/chat", "chat")) {
            Message pong = ws.request("ping", "{\"id\":7}", Reply.jsonField("/id", "7"));
            assertThat(pong.ok()).as(pong.error()).isTrue();
            assertThat(pong.json().get("pong").asBoolean()).isTrue();
            // the noise came before the pong and was kept
            Message noise = ws.expect("noise", Reply.jsonField("/id", "noise"));
            assertThat(noise.ok()).as(noise.error()).isTrue();
            // "next" takes the first message after the send: the noise, not the pong
            assertThat(ws.request("next", "{\"id\":8}").text()).isEqualTo("{\"id\":\"noise\"}");
        }
        assertThat(entry("connect:chat").count()).isEqualTo(1);
        assertThat(entry("send:ping").failures()).isZero();
        assertThat(entry("receive:noise").count()).isEqualTo(1);
    }

    @Test
    void aReplyThatNeverComesIsATimeoutFailure() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/silent")) {
            Message none = ws.request("ask", "anyone?", Reply.next().within(Duration.ofMillis(300)));
            assertThat(none.ok()).isFalse();
            assertThat(none.error()).isEqualTo("reply timeout (300 ms)");
            assertThat(none.latencyMillis()).isGreaterThanOrEqualTo(290);
        }
        assertThat(failures).isEmpty();
        take();
        assertThat(failures).containsEntry(new FailureKey("WS", "send:ask", "reply timeout (300 ms)"), 1L);
    }

    @Test
    void aDroppedConnectionFailsTheWaitingRequestAndIsRecordedOnce() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/drop")) {
            Message cut = ws.request("cut", "bye?", Reply.next().within(Duration.ofSeconds(30)));
            assertThat(cut.ok()).isFalse();
            assertThat(ws.isOpen()).isFalse();
            assertThat(cut.error()).isEqualTo(ws.error());
            assertThat(ws.request("after", "x").error()).isEqualTo(ws.error()); // each use of a dead socket fails
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> entry("drop:/drop").count() == 1);
        assertThat(entry("drop:/drop").failures()).isEqualTo(1);
        assertThat(entry("send:cut").failures()).isEqualTo(1);
        assertThat(failures.keySet()).extracting(FailureKey::error)
                .allMatch(error -> error.startsWith("connection"), "a readable connection error");
    }

    @Test
    void aRefusedHandshakeIsAFailureAndTheSocketSaysWhy() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/refuse")) {
            assertThat(ws.isOpen()).isFalse();
            assertThat(ws.error()).isEqualTo("handshake refused (HTTP 403)");
            Message message = ws.request("never", "x");
            assertThat(message.error()).isEqualTo("not connected: handshake refused (HTTP 403)");
        }
        take();
        assertThat(failures).containsOnlyKeys(new FailureKey("WS", "connect:/refuse", "handshake refused (HTTP 403)"));
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (UserHttpSession http = new UserHttpSession(URI.create("http://127.0.0.1:" + closedPort), HttpOptions.defaults(),
                recorder); WebSocket ws = http.websocket("/echo")) {
            assertThat(ws.error()).isEqualTo("connection refused");
        }
    }

    @Test
    void messagesTheServicePushesAreExpectedInOrder() {
        try (UserHttpSession http = session(); WebSocket ws = http.websocket("/push")) {
            for (int n = 1; n <= 3; n++) {
                Message tick = ws.expect("tick", Reply.containing("tick"));
                assertThat(tick.text()).isEqualTo("tick " + n);
            }
        }
        assertThat(entry("receive:tick").count()).isEqualTo(3);
    }

    @Test
    void socketsLeftOpenCloseWithTheSession() {
        WebSocket ws;
        try (UserHttpSession http = session()) {
            ws = http.websocket("/echo");
            assertThat(ws.isOpen()).isTrue();
        }
        assertThat(ws.isOpen()).isFalse();
        assertThat(ws.error()).isNull();
        take();
        assertThat(failures).isEmpty();
    }
}
