package io.stampede.stats;

import java.util.Arrays;

/**
 * One request's {@link Phase} times as its HTTP session measures them, in nanoseconds: a mutable
 * holder each session reuses, so a request allocates nothing for them. A request that followed a
 * redirect or retried on a fresh connection adds each exchange's times. Single writer (the user's
 * thread); a {@link SampleSink} reads it during {@code record} and keeps nothing of it.
 */
public final class PhaseTimes {

    private final long[] nanos = new long[Phase.COUNT];

    /** Zeroes every phase: called as a request starts. */
    public void reset() {
        Arrays.fill(nanos, 0);
    }

    /** Adds {@code nanos} (negative is taken as 0: clocks do not run backwards, but be safe) to {@code phase}. */
    public void add(Phase phase, long nanos) {
        this.nanos[phase.ordinal()] += Math.max(0, nanos);
    }

    public long nanos(Phase phase) {
        return nanos[phase.ordinal()];
    }

    /** Whole microseconds, as the histograms record. */
    public long micros(Phase phase) {
        return nanos[phase.ordinal()] / 1_000;
    }
}
