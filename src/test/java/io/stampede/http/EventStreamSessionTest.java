package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stampede.api.EventStream;
import io.stampede.api.ServerEvent;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.StatsRecorder;
import io.stampede.testing.SocketLab;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A user's server-sent event stream against a Jetty handler: events timed, a dropped stream a failure. */
@Timeout(60)
class EventStreamSessionTest {

    private static SocketLab lab;
    private final StatsRecorder recorder = new StatsRecorder(0);
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

    private EntryStats entry(String name) {
        IntervalStats interval = recorder.takeInterval(1, 1);
        interval.entries().forEach((key, entry) -> entries.merge(key, entry.copy(), EntryStats::add));
        interval.failures().forEach((key, n) -> failures.merge(key, n, Long::sum));
        return entries.getOrDefault(new RequestKey("SSE", name), new EntryStats());
    }

    @Test
    void eachEventIsASampleAndANamedOneIsTimedFromTheWait() {
        try (UserHttpSession http = session(); EventStream events = http.events("/events", "ticks")) {
            assertThat(events.isOpen()).isTrue();
            ServerEvent first = events.next();
            assertThat(first.ok()).as(first.error()).isTrue();
            assertThat(first.type()).isEqualTo("tick");
            assertThat(first.id()).isEqualTo("1");
            assertThat(first.json().get("n").asInt()).isEqualTo(1);
            assertThat(events.next().id()).isEqualTo("2");
            long before = System.nanoTime();
            ServerEvent five = events.await("five");
            double waitedMillis = (System.nanoTime() - before) / 1e6;
            assertThat(five.ok()).as(five.error()).isTrue();
            assertThat(five.id()).isEqualTo("5");
            // timed from the wait, not from the stream's start (which is seconds on a cold JVM)
            assertThat(five.latencyMillis()).isLessThanOrEqualTo(waitedMillis);
        }
        assertThat(entry("connect:ticks").count()).isEqualTo(1);
        assertThat(entry("event:ticks").count()).isEqualTo(2);
        assertThat(entry("event:ticks").failures()).isZero();
        assertThat(entry("await:five").count()).isEqualTo(1);
        assertThat(failures).isEmpty(); // the user's close is no drop
    }

    @Test
    void aStreamThatEndsIsADropAndTheNextReadFails() {
        try (UserHttpSession http = session(); EventStream events = http.events("/events-drop")) {
            assertThat(events.next().ok()).isTrue();
            assertThat(events.next().ok()).isTrue();
            ServerEvent none = events.next();
            assertThat(none.ok()).isFalse();
            assertThat(none.error()).isEqualTo("stream ended by the service");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> entry("drop:/events-drop").count() == 1);
        assertThat(failures).containsEntry(new FailureKey("SSE", "drop:/events-drop", "stream ended by the service"), 1L)
                .containsEntry(new FailureKey("SSE", "event:/events-drop", "stream ended by the service"), 1L);
    }

    @Test
    void aWrongAnswerToTheSubscriptionIsAConnectFailure() {
        try (UserHttpSession http = session()) {
            assertThat(http.events("/not-events").error()).isEqualTo("not an event stream (text/plain)");
            assertThat(http.events("/missing").error()).isEqualTo("HTTP 404");
        }
        entry("connect:/missing");
        assertThat(failures).containsOnlyKeys(new FailureKey("SSE", "connect:/not-events", "not an event stream (text/plain)"),
                new FailureKey("SSE", "connect:/missing", "HTTP 404"));
    }

    @Test
    void noEventInTimeIsATimeout() {
        try (UserHttpSession http = session(); EventStream events = http.events("/events")) {
            ServerEvent never = events.timeout(Duration.ofMillis(400)).await("never");
            assertThat(never.error()).isEqualTo("event timeout (400 ms)");
        }
        assertThat(entry("await:never").failures()).isEqualTo(1);
    }
}
