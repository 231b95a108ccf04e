package io.stampede.stats;

import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live side of statistics: user threads {@link #record} samples, one ticker thread calls
 * {@link #takeInterval} once a second. Holds no history; {@link RunStats} accumulates intervals.
 */
public final class StatsRecorder implements SampleSink {

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, KeyRecorder>> byNameThenMethod =
            new ConcurrentHashMap<>();
    private final SlotRecorder slots = new SlotRecorder();
    /** The run's wall clock: read once per interval, never per sample (samples carry {@code System.nanoTime()}). */
    private final InstantSource clock;
    /** Wall-clock nanoseconds minus {@code System.nanoTime()}: turns callers' end times into slots. Re-read every interval. */
    private volatile long epochMinusNanoTime;
    private long intervalStartEpochMillis;
    private final LongAdder dropped = new LongAdder();

    public StatsRecorder(long startEpochMillis) {
        this(startEpochMillis, InstantSource.system());
    }

    /** A recorder whose slots are dated on {@code clock}, the run's. */
    public StatsRecorder(long startEpochMillis, InstantSource clock) {
        this.clock = clock;
        this.epochMinusNanoTime = epochMinusNanoTime(clock);
        this.intervalStartEpochMillis = startEpochMillis;
    }

    @Override
    public void record(String method, String name, long latencyMicros, long contentBytes, String error) {
        record(method, name, latencyMicros, contentBytes, error, System.nanoTime());
    }

    @Override
    public void record(String method, String name, long latencyMicros, long contentBytes, String error, long endNanoTime) {
        record(method, name, latencyMicros, contentBytes, error, endNanoTime, null);
    }

    @Override
    public void record(String method, String name, long latencyMicros, long contentBytes, String error, long endNanoTime,
                       PhaseTimes phases) {
        // Two lookups by string rather than one by a new RequestKey: no allocation per sample.
        ConcurrentHashMap<String, KeyRecorder> byMethod = byNameThenMethod.get(name);
        if (byMethod == null) {
            byMethod = byNameThenMethod.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        }
        KeyRecorder recorder = byMethod.get(method);
        if (recorder == null) {
            recorder = byMethod.computeIfAbsent(method, m -> new KeyRecorder());
        }
        recorder.record(latencyMicros, contentBytes, error, phases);
        // The end time to the slot, for detection and recovery finer than the interval.
        slots.record((endNanoTime + epochMinusNanoTime) / 1_000_000, latencyMicros, error != null);
    }

    @Override
    public void started(long startNanoTime) {
        slots.started((startNanoTime + epochMinusNanoTime) / 1_000_000);
    }

    @Override
    public void cancelled(long endNanoTime) {
        slots.cancelled((endNanoTime + epochMinusNanoTime) / 1_000_000);
    }

    private static long epochMinusNanoTime(InstantSource clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000 + now.getNano() - System.nanoTime();
    }

    /** Counts an open-model iteration that could not start (no idle user within the concurrency cap). */
    public void recordDroppedIteration() {
        dropped.increment();
    }

    /**
     * Closes the current interval at {@code endEpochMillis} and returns it. Keys with no samples in
     * this interval are left out.
     */
    public synchronized IntervalStats takeInterval(long endEpochMillis, int users) {
        Map<RequestKey, EntryStats> entries = new HashMap<>();
        Map<FailureKey, Long> failures = new HashMap<>();
        byNameThenMethod.forEach((name, byMethod) -> byMethod.forEach((method, recorder) -> {
            KeyRecorder.Interval interval = recorder.takeInterval();
            if (interval.entry().count() > 0) {
                entries.put(new RequestKey(method, name), interval.entry());
            }
            interval.errors().forEach((error, n) -> failures.put(new FailureKey(method, name, error), n));
        }));
        IntervalStats stats = new IntervalStats(intervalStartEpochMillis, endEpochMillis, users, entries, failures,
                dropped.sumThenReset(), slots.take(clock.millis()));
        epochMinusNanoTime = epochMinusNanoTime(clock); // follows the wall clock if it is adjusted
        intervalStartEpochMillis = endEpochMillis;
        return stats;
    }
}
