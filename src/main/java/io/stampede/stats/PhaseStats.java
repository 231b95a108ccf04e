package io.stampede.stats;

import org.HdrHistogram.Histogram;

/**
 * One histogram per {@link Phase} for one request key (or the aggregate) over some span: merged with
 * {@link #add}, exactly, like {@link EntryStats} that holds it. Values are microseconds.
 *
 * <p>2 significant digits (1%) rather than the latency's 3: a phase tells where the time went, not
 * the latency an SLO judges, and a histogram of 2 digits is an eighth of the size. Five of them per
 * request key and second are what the phases cost in memory and on the wire between processes.
 *
 * <p>Not thread-safe: built by one thread, then handed over and only read.
 */
public final class PhaseStats {

    /** 1% resolution; see the class comment for why not {@link EntryStats#SIGNIFICANT_DIGITS}. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final Histogram[] micros;

    public PhaseStats() {
        micros = new Histogram[Phase.COUNT];
        for (int i = 0; i < Phase.COUNT; i++) {
            micros[i] = newHistogram();
        }
    }

    private PhaseStats(Histogram[] micros) {
        this.micros = micros;
    }

    /** An empty auto-resizing histogram of this resolution. */
    public static Histogram newHistogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    /**
     * Built from one histogram per phase, in {@link Phase} order (read back from the wire). They must
     * hold the same number of values: each request records every phase.
     *
     * @throws IllegalArgumentException for another number of histograms, or different counts
     */
    public static PhaseStats of(Histogram... byPhase) {
        if (byPhase.length != Phase.COUNT) {
            throw new IllegalArgumentException(byPhase.length + " phase histograms, expected " + Phase.COUNT);
        }
        for (Histogram h : byPhase) {
            if (h.getTotalCount() != byPhase[0].getTotalCount()) {
                throw new IllegalArgumentException("phase histograms with different counts");
            }
        }
        return new PhaseStats(byPhase.clone());
    }

    /** Adds one request's times (single-threaded use: tests and offline tools). */
    public void record(PhaseTimes times) {
        for (Phase phase : Phase.ALL) {
            micros[phase.ordinal()].recordValue(times.micros(phase));
        }
    }

    /** Adds everything {@code other} counted. Exact. */
    public PhaseStats add(PhaseStats other) {
        for (int i = 0; i < Phase.COUNT; i++) {
            micros[i].add(other.micros[i]);
        }
        return this;
    }

    public PhaseStats copy() {
        Histogram[] copies = new Histogram[Phase.COUNT];
        for (int i = 0; i < Phase.COUNT; i++) {
            copies[i] = micros[i].copy();
        }
        return new PhaseStats(copies);
    }

    /** Requests whose phases were recorded. */
    public long count() {
        return micros[0].getTotalCount();
    }

    /** The histogram of one phase, for encoding; callers must not modify it. */
    public Histogram histogram(Phase phase) {
        return micros[phase.ordinal()];
    }

    /** Mean in milliseconds (from the histogram: exact to its 1%), 0 when empty. */
    public double meanMillis(Phase phase) {
        Histogram h = micros[phase.ordinal()];
        return h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0;
    }

    /** The value at a percentile (0..100) in milliseconds, 0 when empty; 100 is the maximum. */
    public double percentileMillis(Phase phase, double percentile) {
        Histogram h = micros[phase.ordinal()];
        if (h.getTotalCount() == 0) {
            return 0;
        }
        return (percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)) / 1000.0;
    }

    public double minMillis(Phase phase) {
        Histogram h = micros[phase.ordinal()];
        return h.getTotalCount() == 0 ? 0 : h.getMinValue() / 1000.0;
    }

    public double maxMillis(Phase phase) {
        return percentileMillis(phase, 100);
    }
}
