package io.stampede.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One {@link IntervalStats} as one record that Jackson writes as one JSON object, exactly: counters as
 * numbers and each latency histogram in HdrHistogram's compressed encoding (base64). What a worker
 * process sends its coordinator every second; decoding and merging gives the same figures as one
 * process would have.
 *
 * <pre>
 * {"start": ..., "end": ..., "users": 50, "dropped": 0,
 *  "entries": [{"method": "GET", "name": "/", "count": 120, "failures": 1, "bytes": 2400, "sum": 36000,
 *               "min": 180, "max": 900, "histogram": "HISTFAAAA...",
 *               "failureHistogram": "HISTFAAAA...",            (failures' latencies apart; only with failures)
 *               "phases": ["HISTFAAAA...", ...]}],              (one histogram per Phase, in its order; only with phase times)
 *  "failures": [{"method": "GET", "name": "/", "error": "HTTP 503", "count": 1}],
 *  "slots": [[170000000012, 3, 0, 0, 3], ...]}   (slot number, ok, failed, stalled, started: see Slots)
 * </pre>
 */
public final class IntervalCodec {

    private IntervalCodec() {
    }

    /** The wire form of an interval. */
    public record Encoded(long start, long end, int users, long dropped, List<Entry> entries, List<Failure> failures,
                          List<long[]> slots) {
    }

    /** One request key's figures; {@code failureHistogram} only when some failed. */
    public record Entry(String method, String name, long count, long failures, long bytes, long sum, long min, long max,
                        String histogram, @JsonInclude(JsonInclude.Include.NON_NULL) String failureHistogram,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> phases) {
    }

    public record Failure(String method, String name, String error, long count) {
    }

    public static Encoded encode(IntervalStats interval) {
        List<Entry> entries = interval.entries().entrySet().stream().map(e -> {
            RequestKey key = e.getKey();
            EntryStats s = e.getValue();
            return new Entry(key.method(), key.name(), s.count(), s.failures(), s.contentBytes(), s.latencySumMicros(),
                    s.count() == 0 ? 0 : s.minMicros(), s.maxMicros(), encode(s.histogram()),
                    s.failures() > 0 ? encode(s.failureHistogram()) : null, encode(s.phases()));
        }).toList();
        List<Failure> failures = interval.failures().entrySet().stream()
                .map(f -> new Failure(f.getKey().method(), f.getKey().name(), f.getKey().error(), f.getValue())).toList();
        Slots s = interval.slots();
        List<long[]> slots = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            slots.add(new long[] {s.slot()[i], s.ok()[i], s.failed()[i], s.stalled()[i], s.started()[i]});
        }
        return new Encoded(interval.startEpochMillis(), interval.endEpochMillis(), interval.users(),
                interval.droppedIterations(), entries, failures, slots);
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** One histogram per phase, in {@link Phase} order; null when there are none. */
    private static List<String> encode(PhaseStats phases) {
        if (phases == null || phases.count() == 0) {
            return null;
        }
        List<String> encoded = new ArrayList<>(Phase.COUNT);
        for (Phase phase : Phase.ALL) {
            encoded.add(encode(phases.histogram(phase)));
        }
        return encoded;
    }

    private static PhaseStats decodePhases(List<String> encoded) throws DataFormatException {
        Histogram[] byPhase = new Histogram[encoded.size()];
        for (int i = 0; i < byPhase.length; i++) {
            byPhase[i] = PhaseStats.newHistogram();
            byPhase[i].add(decodeFixed(encoded.get(i)));
        }
        return PhaseStats.of(byPhase);
    }

    private static Histogram decodeFixed(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static Histogram decode(String base64) throws DataFormatException {
        // decoded histograms have a fixed range: copy into an auto-resizing one, as recorded
        Histogram h = new Histogram(EntryStats.SIGNIFICANT_DIGITS);
        if (base64 != null && !base64.isEmpty()) {
            h.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0));
        }
        return h;
    }

    /** @throws IllegalArgumentException when the record does not hold an interval */
    public static IntervalStats decode(Encoded encoded) {
        try {
            Map<RequestKey, EntryStats> entries = new TreeMap<>();
            for (Entry e : encoded.entries() == null ? List.<Entry>of() : encoded.entries()) {
                EntryStats entry = EntryStats.of(e.count(), e.failures(), e.bytes(), e.sum(),
                        e.min(), e.max(), decode(e.histogram()), decode(e.failureHistogram()));
                if (e.phases() != null) {
                    entry.addPhases(decodePhases(e.phases()));
                }
                entries.put(new RequestKey(e.method(), e.name()), entry);
            }
            Map<FailureKey, Long> failures = new TreeMap<>();
            for (Failure f : encoded.failures() == null ? List.<Failure>of() : encoded.failures()) {
                failures.put(new FailureKey(f.method(), f.name(), f.error()), f.count());
            }
            List<long[]> rows = encoded.slots() == null ? List.of() : encoded.slots();
            Slots.Builder slots = new Slots.Builder(rows.size());
            for (long[] s : rows) {
                slots.add(s[0], (int) s[1], (int) s[2], (int) s[3], s.length > 4 ? (int) s[4] : 0);
            }
            return new IntervalStats(encoded.start(), encoded.end(), encoded.users(), entries, failures,
                    encoded.dropped(), slots.build());
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded interval: " + e.getMessage(), e);
        }
    }
}
