package io.stampede.stats;

import org.HdrHistogram.Histogram;

/**
 * Counters and a latency histogram for one request key (or the aggregate) over some span of time:
 * one second, a window, or the whole run. Merging two of them with {@link #add} is exact, which is
 * what lets intervals, threads and (later) machines be summed without averaging averages.
 *
 * <p>Not thread-safe: built by one thread, then handed over and only read.
 */
public final class EntryStats {

    /** 3 significant digits: latencies are exact to 0.1% at any magnitude. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private long count;
    private long failures;
    private long contentBytes;
    private long latencySumMicros;
    private long minMicros = Long.MAX_VALUE;
    private long maxMicros;
    private final Histogram latencyMicros;
    // Failures apart (also in latencyMicros): a refused request is fast, and a latency SLI or a
    // fault's peak over successful requests must be able to leave it out.
    private final Histogram failureLatencyMicros;
    /** The requests' phase times; null until some are added (requests not made by the HTTP client have none). */
    private PhaseStats phases;

    public EntryStats() {
        this(new Histogram(SIGNIFICANT_DIGITS), new Histogram(SIGNIFICANT_DIGITS));
    }

    private EntryStats(Histogram histogram, Histogram failureHistogram) {
        this.latencyMicros = histogram;
        this.failureLatencyMicros = failureHistogram;
    }

    /**
     * Builds an entry from its parts (used when reading intervals back from files or other machines);
     * without the failures' histogram (older files), failures' latencies are unknown and taken as empty.
     */
    public static EntryStats of(long count, long failures, long contentBytes, long latencySumMicros,
                                long minMicros, long maxMicros, Histogram histogram) {
        return of(count, failures, contentBytes, latencySumMicros, minMicros, maxMicros, histogram,
                new Histogram(SIGNIFICANT_DIGITS));
    }

    /** Builds an entry from its parts, with failures' latencies apart ({@code failureHistogram}). */
    public static EntryStats of(long count, long failures, long contentBytes, long latencySumMicros,
                                long minMicros, long maxMicros, Histogram histogram, Histogram failureHistogram) {
        EntryStats entry = new EntryStats(histogram, failureHistogram);
        entry.count = count;
        entry.failures = failures;
        entry.contentBytes = contentBytes;
        entry.latencySumMicros = latencySumMicros;
        entry.minMicros = count == 0 ? Long.MAX_VALUE : minMicros;
        entry.maxMicros = maxMicros;
        return entry;
    }

    /** Adds one request (single-threaded use, e.g. tests and offline tools). */
    public void record(long latencyMicros, long contentBytes, boolean failed) {
        count++;
        if (failed) {
            failures++;
            failureLatencyMicros.recordValue(Math.max(latencyMicros, 0));
        }
        this.contentBytes += contentBytes;
        latencySumMicros += latencyMicros;
        minMicros = Math.min(minMicros, latencyMicros);
        maxMicros = Math.max(maxMicros, latencyMicros);
        this.latencyMicros.recordValue(Math.max(latencyMicros, 0));
    }

    /** Adds everything {@code other} counted into this entry. Exact. */
    public EntryStats add(EntryStats other) {
        count += other.count;
        failures += other.failures;
        contentBytes += other.contentBytes;
        latencySumMicros += other.latencySumMicros;
        minMicros = Math.min(minMicros, other.minMicros);
        maxMicros = Math.max(maxMicros, other.maxMicros);
        latencyMicros.add(other.latencyMicros);
        failureLatencyMicros.add(other.failureLatencyMicros);
        if (other.phases != null) {
            addPhases(other.phases);
        }
        return this;
    }

    /** Adds phase times (from the wire or a recorder) to this entry's. Exact. */
    public EntryStats addPhases(PhaseStats more) {
        if (phases == null) {
            phases = more.copy();
        } else {
            phases.add(more);
        }
        return this;
    }

    public EntryStats copy() {
        // Histogram.copy() allocates the counts array once, at its final size.
        EntryStats copy = of(count, failures, contentBytes, latencySumMicros, minMicros, maxMicros, latencyMicros.copy(),
                failureLatencyMicros.copy());
        copy.phases = phases == null ? null : phases.copy();
        return copy;
    }

    /**
     * This entry's counts and latencies, sharing its latency histogram (no copy), without its phase
     * times or its failures' latencies apart: what {@link RunStats}'s current window keeps for 10 s.
     * Only ever read (added into another entry); never modified.
     */
    EntryStats countsAndLatencies() {
        return of(count, failures, contentBytes, latencySumMicros, minMicros, maxMicros, latencyMicros, NO_FAILURE_LATENCIES);
    }

    /**
     * Stands for the failures' latencies in {@link #countsAndLatencies()}: even an empty histogram of
     * 3 digits holds 2,048 counts (16 KB), which would otherwise be kept a key a second.
     */
    private static final Histogram NO_FAILURE_LATENCIES = new Histogram(SIGNIFICANT_DIGITS);

    /** The requests' phase times, or null when none were recorded; callers must not modify them. */
    public PhaseStats phases() {
        return phases;
    }

    public long count() {
        return count;
    }

    public long failures() {
        return failures;
    }

    public long contentBytes() {
        return contentBytes;
    }

    public long latencySumMicros() {
        return latencySumMicros;
    }

    /** Exact minimum in microseconds, 0 when empty. */
    public long minMicros() {
        return count == 0 ? 0 : minMicros;
    }

    /** Exact maximum in microseconds, 0 when empty. */
    public long maxMicros() {
        return maxMicros;
    }

    /** The histogram itself, for encoding and merging; callers must not modify it. */
    public Histogram histogram() {
        return latencyMicros;
    }

    /** Failures' latencies alone (they are in {@link #histogram()} too); callers must not modify it. */
    public Histogram failureHistogram() {
        return failureLatencyMicros;
    }

    /**
     * Requests that took less than {@code boundMicros}: strict at the histogram's resolution, the
     * bucket holding the bound (0.1% wide) counts as slow.
     *
     * @param successesOnly leave failures out
     */
    public long countFasterThan(long boundMicros, boolean successesOnly) {
        long fastEdge = latencyMicros.lowestEquivalentValue(boundMicros) - 1;
        if (fastEdge < 0) {
            return 0;
        }
        long fast = latencyMicros.getCountBetweenValues(0, fastEdge);
        if (successesOnly) {
            fast -= Math.min(fast, failureLatencyMicros.getCountBetweenValues(0, fastEdge));
            // A file without failures' latencies: at most the successes can be fast.
            fast = Math.min(fast, count - failures);
        }
        return fast;
    }

    /**
     * Successful requests' latency at a percentile (0..100) in milliseconds, 0 when none succeeded;
     * exact to 3 significant digits. Costs one histogram subtraction.
     */
    public double successPercentileMillis(double percentile) {
        if (count - failures <= 0) {
            return 0;
        }
        if (failures == 0) {
            return percentileMillis(percentile);
        }
        Histogram successes = latencyMicros.copy();
        successes.subtract(failureLatencyMicros);
        if (successes.getTotalCount() == 0) {
            return 0;
        }
        return Math.min(successes.getValueAtPercentile(Math.min(percentile, 100)), maxMicros) / 1000.0;
    }

    /**
     * The successful requests alone (or the failed ones), from the two histograms: counts exact,
     * latencies (minimum, maximum, sum) exact to the histogram's 3 significant digits.
     */
    public EntryStats outcomes(boolean successes) {
        Histogram h;
        if (successes) {
            h = latencyMicros.copy();
            h.subtract(failureLatencyMicros);
        } else {
            h = failureLatencyMicros.copy();
        }
        long n = successes ? count - failures : failures;
        long total = h.getTotalCount();
        return of(n, successes ? 0 : n, 0, total == 0 ? 0 : Math.round(h.getMean() * total),
                total == 0 ? 0 : h.getMinValue(), total == 0 ? 0 : h.getMaxValue(), h,
                successes ? new Histogram(SIGNIFICANT_DIGITS) : failureLatencyMicros.copy());
    }

    public double failureRatio() {
        return count == 0 ? 0 : (double) failures / count;
    }

    public double averageMillis() {
        return count == 0 ? 0 : latencySumMicros / 1000.0 / count;
    }

    public double minMillis() {
        return minMicros() / 1000.0;
    }

    public double maxMillis() {
        return maxMicros / 1000.0;
    }

    public double averageContentBytes() {
        return count == 0 ? 0 : (double) contentBytes / count;
    }

    /**
     * Latency at a percentile (0..100) in milliseconds, 0 when empty. 100 gives the exact maximum;
     * other percentiles are the histogram's highest-equivalent value, exact to 3 significant digits.
     */
    public double percentileMillis(double percentile) {
        if (count == 0) {
            return 0;
        }
        if (percentile >= 100) {
            return maxMillis();
        }
        long value = latencyMicros.getValueAtPercentile(percentile);
        return Math.min(value, maxMicros) / 1000.0;
    }

    public double medianMillis() {
        return percentileMillis(50);
    }
}
