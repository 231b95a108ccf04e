package io.stampede.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Intervals through JSON and back are the same figures, and merge as the originals do. */
class IntervalCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static IntervalStats recorded(long start, int requests, long latencyMicros) {
        StatsRecorder recorder = new StatsRecorder(start);
        recorder.started(System.nanoTime()); // one request still in flight when the interval closes
        for (int i = 1; i <= requests; i++) {
            recorder.started(System.nanoTime());
            recorder.record("GET", "/item \"<1>\"", latencyMicros * i, 100, i % 10 == 0 ? "HTTP 503" : null);
        }
        recorder.started(System.nanoTime());
        recorder.record("POST", "/cart", 7_000_000, 20, null);
        return recorder.takeInterval(start + 1000, 7);
    }

    @Test
    void anIntervalSurvivesTheWireExactly() throws Exception {
        IntervalStats original = recorded(1_000_000, 500, 1_000);
        String line = JSON.writeValueAsString(IntervalCodec.encode(original));
        assertThat(line).doesNotContain("\n");
        IntervalStats decoded = IntervalCodec.decode(JSON.readValue(line, IntervalCodec.Encoded.class));

        assertThat(decoded.startEpochMillis()).isEqualTo(original.startEpochMillis());
        assertThat(decoded.endEpochMillis()).isEqualTo(original.endEpochMillis());
        assertThat(decoded.users()).isEqualTo(7);
        assertThat(decoded.failures()).isEqualTo(original.failures());
        assertThat(original.slots().size()).isPositive();
        assertThat(decoded.slots()).isEqualTo(original.slots());
        assertThat(decoded.entries().keySet()).isEqualTo(original.entries().keySet());
        original.entries().forEach((key, e) -> {
            EntryStats d = decoded.entries().get(key);
            assertThat(d.count()).isEqualTo(e.count());
            assertThat(d.failures()).isEqualTo(e.failures());
            assertThat(d.contentBytes()).isEqualTo(e.contentBytes());
            assertThat(d.latencySumMicros()).isEqualTo(e.latencySumMicros());
            assertThat(d.minMicros()).isEqualTo(e.minMicros());
            assertThat(d.maxMicros()).isEqualTo(e.maxMicros());
            assertThat(d.histogram()).isEqualTo(e.histogram());
        });
    }

    @Test
    void decodedIntervalsMergeLikeTheOriginalsEvenBeyondTheirRange() throws Exception {
        IntervalStats fast = recorded(0, 100, 10);        // microseconds
        IntervalStats slow = recorded(0, 100, 600_000);   // up to a minute
        IntervalStats viaWire = viaWire(fast).merge(viaWire(slow));
        IntervalStats direct = fast.merge(slow);
        assertThat(viaWire.users()).isEqualTo(14);
        assertThat(viaWire.total().count()).isEqualTo(direct.total().count());
        assertThat(viaWire.total().percentileMillis(99)).isEqualTo(direct.total().percentileMillis(99));
        assertThat(viaWire.total().histogram()).isEqualTo(direct.total().histogram());
        assertThat(viaWire.slots()).isEqualTo(direct.slots());
        long requests = IntStream.range(0, direct.slots().size())
                .mapToLong(i -> direct.slots().ok()[i] + direct.slots().failed()[i]).sum();
        assertThat(requests).isEqualTo(direct.total().count());
        // starts travel too: each side has one request in flight at its end, the merge two
        assertThat(Arrays.stream(viaWire.slots().started()).sum()).isEqualTo(2 * 102);
        long[] inFlight = viaWire.slots().inFlight();
        assertThat(inFlight[inFlight.length - 1]).isEqualTo(2);
    }

    private static IntervalStats viaWire(IntervalStats interval) throws Exception {
        return IntervalCodec.decode(JSON.readValue(JSON.writeValueAsString(IntervalCodec.encode(interval)), IntervalCodec.Encoded.class));
    }

    @Test
    void theWireFormKeepsItsFieldNames() throws Exception {
        JsonNode node = JSON.readTree(JSON.writeValueAsString(IntervalCodec.encode(recorded(0, 10, 1_000))));
        assertThat(node.fieldNames()).toIterable().containsExactly("start", "end", "users", "dropped", "entries", "failures", "slots");
        JsonNodeList entries = new JsonNodeList(node.get("entries"));
        assertThat(entries.withMethod("GET").fieldNames()).toIterable().containsExactly("method", "name", "count", "failures",
                "bytes", "sum", "min", "max", "histogram", "failureHistogram");
        assertThat(entries.withMethod("POST").fieldNames()).toIterable().containsExactly("method", "name", "count",
                "failures", "bytes", "sum", "min", "max", "histogram"); // no failures: no failures' histogram
        assertThat(node.at("/failures/0").fieldNames()).toIterable().containsExactly("method", "name", "error", "count");
        assertThat(node.at("/slots/0").size()).isEqualTo(5);
    }

    private record JsonNodeList(JsonNode array) {
        JsonNode withMethod(String method) {
            for (JsonNode entry : array) {
                if (entry.get("method").asText().equals(method)) {
                    return entry;
                }
            }
            throw new AssertionError("no " + method + " entry in " + array);
        }
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> IntervalCodec.decode(JSON.readValue("{\"entries\": [{\"histogram\": \"bm9wZQ==\"}]}",
                IntervalCodec.Encoded.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an encoded interval");
    }
}
