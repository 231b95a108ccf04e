package io.stampede.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One {@link IntervalStats} as one JSON object, exactly: counters as numbers and each latency
 * histogram in HdrHistogram's compressed encoding (base64). What a worker process sends its
 * coordinator every second; decoding and merging gives the same figures as one process would have.
 *
 * <pre>
 * {"start": ..., "end": ..., "users": 50, "dropped": 0,
 *  "entries": [{"method": "GET", "name": "/", "count": 120, "failures": 1, "bytes": 2400, "sum": 36000,
 *               "min": 180, "max": 900, "histogram": "HISTFAAAA...",
 *               "failureHistogram": "HISTFAAAA..."}],          (failures' latencies apart; only with failures)
 *  "failures": [{"method": "GET", "name": "/", "error": "HTTP 503", "count": 1}],
 *  "slots": [[170000000012, 3, 0, 0, 3], ...]}   (slot number, ok, failed, stalled, started: see Slots)
 * </pre>
 */
public final class IntervalCodec {

    private IntervalCodec() {
    }

    public static ObjectNode encode(IntervalStats interval, ObjectMapper json) {
        ObjectNode root = json.createObjectNode().put("start", interval.startEpochMillis())
                .put("end", interval.endEpochMillis()).put("users", interval.users())
                .put("dropped", interval.droppedIterations());
        ArrayNode entries = root.putArray("entries");
        interval.entries().forEach((key, e) -> {
            ObjectNode entry = entries.addObject();
            entry.put("method", key.method()).put("name", key.name()).put("count", e.count())
                    .put("failures", e.failures()).put("bytes", e.contentBytes()).put("sum", e.latencySumMicros())
                    .put("min", e.count() == 0 ? 0 : e.minMicros()).put("max", e.maxMicros())
                    .put("histogram", encode(e.histogram()));
            if (e.failures() > 0) {
                entry.put("failureHistogram", encode(e.failureHistogram()));
            }
        });
        ArrayNode failures = root.putArray("failures");
        interval.failures().forEach((key, n) -> failures.addObject().put("method", key.method()).put("name", key.name())
                .put("error", key.error()).put("count", n));
        ArrayNode slots = root.putArray("slots");
        Slots s = interval.slots();
        for (int i = 0; i < s.size(); i++) {
            slots.addArray().add(s.slot()[i]).add(s.ok()[i]).add(s.failed()[i]).add(s.stalled()[i]).add(s.started()[i]);
        }
        return root;
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    private static Histogram decode(String base64) throws DataFormatException {
        // decoded histograms have a fixed range: copy into an auto-resizing one, as recorded
        Histogram h = new Histogram(EntryStats.SIGNIFICANT_DIGITS);
        if (!base64.isEmpty()) {
            h.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0));
        }
        return h;
    }

    /** @throws IllegalArgumentException when the object is not an encoded interval */
    public static IntervalStats decode(JsonNode node) {
        try {
            Map<RequestKey, EntryStats> entries = new TreeMap<>();
            for (JsonNode e : node.path("entries")) {
                Histogram h = decode(e.path("histogram").asText());
                entries.put(new RequestKey(e.path("method").asText(), e.path("name").asText()),
                        EntryStats.of(e.path("count").asLong(), e.path("failures").asLong(), e.path("bytes").asLong(),
                                e.path("sum").asLong(), e.path("min").asLong(), e.path("max").asLong(), h,
                                decode(e.path("failureHistogram").asText())));
            }
            Map<FailureKey, Long> failures = new TreeMap<>();
            for (JsonNode f : node.path("failures")) {
                failures.put(new FailureKey(f.path("method").asText(), f.path("name").asText(), f.path("error").asText()),
                        f.path("count").asLong());
            }
            Slots.Builder slots = new Slots.Builder(node.path("slots").size());
            for (JsonNode s : node.path("slots")) {
                slots.add(s.path(0).asLong(), s.path(1).asInt(), s.path(2).asInt(), s.path(3).asInt(), s.path(4).asInt());
            }
            return new IntervalStats(node.path("start").asLong(), node.path("end").asLong(), node.path("users").asInt(),
                    entries, failures, node.path("dropped").asLong(), slots.build());
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded interval: " + e.getMessage(), e);
        }
    }
}
