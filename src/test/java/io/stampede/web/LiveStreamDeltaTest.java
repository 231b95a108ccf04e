package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.engine.TaskErrorsFixture;
import io.stampede.events.EventLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream sends the whole snapshot once, then only what changed each second: the messages stay
 * the same size however long the run, and applying them gives the snapshot {@code /api/stats} has.
 * The seconds are played by the test (no clock): sizes are compared by construction.
 */
class LiveStreamDeltaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a loaded machine may take seconds to deliver a message. */
    private static final long MESSAGE_WAIT_SECONDS = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final EventLog events = new EventLog();
    private WebUi ui;
    private LiveRuns run;

    private record Message(String event, String data) {
        int bytes() {
            return data.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    @BeforeEach
    void start() {
        ui = WebUi.start("127.0.0.1", 0, events);
        run = new LiveRuns("lab-13", System.currentTimeMillis() - 60_000);
        ui.onStart(run.info);
    }

    @AfterEach
    void stop() {
        ui.close();
        http.shutdownNow();
    }

    private void second(int users) {
        run.record("GET", "/", 30, 2_000, 10, "HTTP 503 Service Unavailable");
        run.record("GET", "/health", 10, 1_000, 0, null);
        run.tick(ui, users);
    }

    @Test
    void afterTheFirstSnapshotEachMessageIsADeltaThatDoesNotGrow() throws Exception {
        for (int s = 1; s <= 10; s++) {
            second(10 * s); // ten seconds before the page connects: the snapshot it gets has ten points
        }
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create(ui.url() + "api/stream")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofLines());
        BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        Iterator<String> lines = response.body().iterator();
        Thread reader = Thread.ofVirtual().start(() -> {
            String event = null;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && !"event".equals(event)) {
                    messages.add(new Message(event, line.substring(6)));
                }
            }
        });
        try {
            Message first = next(messages);
            assertThat(first.event()).isEqualTo("stats");
            ObjectNode page = (ObjectNode) JSON.readTree(first.data());
            assertThat(page.path("points")).hasSize(10);

            List<Message> deltas = new ArrayList<>();
            for (int s = 11; s <= 20; s++) {
                if (s == 15) {
                    ui.exceptions(TaskErrorsFixture.with("User", "checkout", new IllegalStateException("no cart"), 3));
                }
                second(100);
                Message delta = next(messages);
                assertThat(delta.event()).as("message after the first").isEqualTo("delta");
                JsonNode d = JSON.readTree(delta.data());
                assertThat(d.path("base").asLong()).as("applies to the one before").isEqualTo(page.path("seq").asLong());
                assertThat(d.path("points")).as("only the new second").hasSize(1);
                apply(page, d);
                deltas.add(delta);
            }
            // The tenth delta carries no more than the first, and each is a fraction of the snapshot.
            assertThat(deltas.get(9).bytes()).isLessThanOrEqualTo(deltas.get(0).bytes() + 200);
            assertThat(deltas).allSatisfy(m -> assertThat(m.bytes()).isLessThan(first.bytes() / 2));

            // What the page built from deltas is the snapshot (but for the points: the page keeps them all).
            JsonNode whole = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(ui.url() + "api/stats"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body());
            ((ObjectNode) whole).remove("points");
            page.remove("points");
            assertThat(page).isEqualTo(whole);
            assertThat(page.path("exceptions")).hasSize(1);
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void aRowThatDisappearsSendsTheWholeSnapshotAgain() throws Exception {
        second(10);
        ObjectNode before = (ObjectNode) JSON.readTree(ui_stats());
        ObjectNode after = before.deepCopy();
        ((ArrayNode) after.withArray("requests")).remove(0);
        after.put("seq", before.path("seq").asLong() + 1);
        assertThat(SnapshotDelta.between(before, after)).isNull();
        after.set("requests", before.get("requests"));
        assertThat(SnapshotDelta.between(before, after)).isNotNull();
    }

    private String ui_stats() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ui.url() + "api/stats")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** As the page applies a delta: rows replaced by key or added, points appended, fields replaced. */
    private static void apply(ObjectNode page, JsonNode delta) {
        delta.fields().forEachRemaining(field -> {
            String name = field.getKey();
            switch (name) {
                case "base" -> {
                }
                case "points" -> field.getValue().forEach(page.withArray("points")::add);
                case "requests", "failures", "exceptions" -> {
                    ArrayNode rows = page.withArray(name);
                    for (JsonNode row : field.getValue()) {
                        int at = -1;
                        for (int i = 0; i < rows.size(); i++) {
                            if (key(name, rows.get(i)).equals(key(name, row))) {
                                at = i;
                            }
                        }
                        if (at >= 0) {
                            rows.set(at, row);
                        } else {
                            rows.add(row);
                        }
                    }
                }
                default -> page.set(name, field.getValue());
            }
        });
    }

    private static String key(String table, JsonNode row) {
        return switch (table) {
            case "requests" -> row.path("method").asText() + " " + row.path("name").asText();
            case "failures" -> row.path("method").asText() + " " + row.path("name").asText() + " " + row.path("error").asText();
            default -> row.path("task").asText();
        };
    }

    private static Message next(BlockingQueue<Message> messages) throws InterruptedException {
        Message m = messages.poll(MESSAGE_WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(m).as("a message within " + MESSAGE_WAIT_SECONDS + " s").isNotNull();
        return m;
    }
}
