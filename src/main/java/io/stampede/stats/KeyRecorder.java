package io.stampede.stats;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Records samples of one request key from many threads and hands out the interval since the last
 * call, without ever blocking writers: the same double-buffer and {@link WriterReaderPhaser} scheme
 * as HdrHistogram's {@code Recorder}, extended to the counters Locust reports. Every sample lands in
 * exactly one interval, so interval sums equal run totals.
 */
final class KeyRecorder {

    /**
     * The phases' histograms have a fixed range (a longer phase counts as this long): an
     * {@link AtomicHistogram} records with two atomic increments where a resizing
     * {@link ConcurrentHistogram} takes four, and this recorder's phaser already keeps writers off a
     * bucket being swapped. A sample with its five phases: 200-224 ns of CPU with concurrent ones,
     * 135-146 ns with these, 124-134 ns leaving the zeros out ({@link #recordPhases}), 65-68 ns
     * without phases (README, "Phase timings"). 26 KB per histogram.
     */
    static final long PHASE_MAX_MICROS = 3_600_000_000L;
    /**
     * The latency histograms have a fixed range too (a longer request counts as this long in them; its
     * sum, minimum and maximum keep the true value). A resizing {@link ConcurrentHistogram} grows
     * by catching the {@code IndexOutOfBoundsException} of a value past its range: in code the JIT
     * has compiled that is an uncommon trap, and every new largest latency after the warm-up threw
     * away the users' whole compiled request path (made not entrant) and had C2 compile it again,
     * 0.5-0.7 s of CPU on the users' core (README, "Start-up"). 189 KB per histogram, what a resizing
     * one takes once it has seen a 2 s request.
     */
    static final long LATENCY_MAX_MICROS = 3_600_000_000L;
    /** The phase recorded for every request with phases: its histogram's count is theirs. */
    private static final int WAITING = Phase.WAITING.ordinal();

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Bucket active = new Bucket();
    private Bucket inactive = new Bucket();

    void record(long latencyMicros, long contentBytes, String error) {
        record(latencyMicros, contentBytes, error, null);
    }

    /** @param phases the request's phase times, or null when it has none */
    void record(long latencyMicros, long contentBytes, String error, PhaseTimes phases) {
        long ticket = phaser.writerCriticalSectionEnter();
        try {
            Bucket bucket = active;
            long clamped = Math.min(Math.max(latencyMicros, 0), LATENCY_MAX_MICROS);
            bucket.latency.recordValue(clamped);
            bucket.latencySum.add(latencyMicros);
            bucket.contentBytes.add(contentBytes);
            bucket.min.accumulate(latencyMicros);
            bucket.max.accumulate(latencyMicros);
            if (error != null) {
                bucket.failureLatency.recordValue(clamped);
                bucket.failures.add(1);
                bucket.errors.computeIfAbsent(error, e -> new LongAdder()).increment();
            }
            if (phases != null) {
                recordPhases(bucket.phases, phases);
            }
        } finally {
            phaser.writerCriticalSectionExit(ticket);
        }
    }

    /**
     * Waiting is recorded for every request, 0 included, so its count is the number of requests with
     * phases; the other phases only when they lasted a microsecond or more, and {@link Bucket#toInterval}
     * adds their zeros. A kept-alive connection has no connecting or TLS handshake and a small answer
     * is received in the read that brought its first byte, so most requests touch two histograms,
     * not five. The histograms come out the same as if every zero were recorded.
     */
    private static void recordPhases(AtomicHistogram[] byPhase, PhaseTimes phases) {
        byPhase[WAITING].recordValue(Math.min(phases.micros(Phase.WAITING), PHASE_MAX_MICROS));
        for (int i = 0; i < Phase.COUNT; i++) {
            long micros = phases.micros(Phase.ALL[i]);
            if (micros > 0 && i != WAITING) {
                byPhase[i].recordValue(Math.min(micros, PHASE_MAX_MICROS));
            }
        }
    }

    /** Swaps buckets and returns what was recorded since the previous call. Single reader. */
    synchronized Interval takeInterval() {
        phaser.readerLock();
        try {
            Bucket finished = active;
            inactive.reset();
            active = inactive;
            inactive = finished;
            phaser.flipPhase();
            return finished.toInterval();
        } finally {
            phaser.readerUnlock();
        }
    }

    record Interval(EntryStats entry, Map<String, Long> errors) {
    }

    private static final class Bucket {
        final AtomicHistogram latency = new AtomicHistogram(LATENCY_MAX_MICROS, EntryStats.SIGNIFICANT_DIGITS);
        final AtomicHistogram failureLatency = new AtomicHistogram(LATENCY_MAX_MICROS, EntryStats.SIGNIFICANT_DIGITS);
        final LongAdder latencySum = new LongAdder();
        final LongAdder contentBytes = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator max = new LongAccumulator(Math::max, 0);
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicHistogram[] phases = new AtomicHistogram[Phase.COUNT];

        Bucket() {
            for (int i = 0; i < Phase.COUNT; i++) {
                phases[i] = new AtomicHistogram(PHASE_MAX_MICROS, PhaseStats.SIGNIFICANT_DIGITS);
            }
        }

        void reset() {
            for (AtomicHistogram h : phases) {
                h.reset();
            }
            latency.reset();
            failureLatency.reset();
            latencySum.reset();
            contentBytes.reset();
            failures.reset();
            min.reset();
            max.reset();
            errors.clear();
        }

        Interval toInterval() {
            // Sized for this interval's largest value up front: one allocation, no growing on add.
            Histogram histogram = new Histogram(1, Math.max(2, latency.getMaxValue()), EntryStats.SIGNIFICANT_DIGITS);
            histogram.setAutoResize(true);
            histogram.add(latency);
            long count = histogram.getTotalCount();
            Histogram failureHistogram = new Histogram(1, Math.max(2, failureLatency.getMaxValue()), EntryStats.SIGNIFICANT_DIGITS);
            failureHistogram.setAutoResize(true);
            failureHistogram.add(failureLatency);
            Map<String, Long> errorCounts = new HashMap<>();
            errors.forEach((error, n) -> errorCounts.put(error, n.sum()));
            EntryStats entry = EntryStats.of(count, failures.sum(), contentBytes.sum(), latencySum.sum(),
                    min.get(), max.get(), histogram, failureHistogram);
            long withPhases = phases[WAITING].getTotalCount();
            if (withPhases > 0) {
                Histogram[] byPhase = new Histogram[Phase.COUNT];
                for (int i = 0; i < Phase.COUNT; i++) {
                    byPhase[i] = new Histogram(1, Math.max(2, phases[i].getMaxValue()), PhaseStats.SIGNIFICANT_DIGITS);
                    byPhase[i].setAutoResize(true);
                    byPhase[i].add(phases[i]);
                    // the zeros recordPhases left out: every request with phases counts in every phase
                    long zeros = withPhases - phases[i].getTotalCount();
                    if (zeros > 0) {
                        byPhase[i].recordValueWithCount(0, zeros);
                    }
                }
                entry.addPhases(PhaseStats.of(byPhase));
            }
            return new Interval(entry, errorCounts);
        }
    }
}
