package io.stampede.prometheus;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The classic histogram buckets Stampede and its demo service export HTTP latency in, in seconds.
 * One fixed set everywhere, so histograms from several Stampede processes (and the service's own)
 * sum bucket by bucket in PromQL ({@code sum by (le)}) and {@code histogram_quantile} can take a
 * percentile over any window.
 *
 * <p>Prometheus's default HTTP buckets (5 ms to 10 s, in steps of 2 to 2.5) widened at both ends: 1
 * and 2.5 ms because a service on loopback or in one data centre answers in under 5 ms, where the
 * defaults would put most requests in one bucket; 30 and 60 s because a stalled request ends at a
 * timeout (the demo's {@code /slow} goes to 60 s), which the defaults would lose in +Inf. A quantile
 * read from them is exact to within the bucket it falls in: at most 2.5 times its lower bound.
 */
public final class LatencyBuckets {

    /** Upper bounds in seconds, ascending, without +Inf (the exposition adds it). */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private static final long[] MICROS = new long[SECONDS.length];
    private static final double[] WITH_INF = new double[SECONDS.length + 1];

    static {
        for (int i = 0; i < SECONDS.length; i++) {
            MICROS[i] = Math.round(SECONDS[i] * 1_000_000);
            WITH_INF[i] = SECONDS[i];
        }
        WITH_INF[SECONDS.length] = Double.POSITIVE_INFINITY;
    }

    private LatencyBuckets() {
    }

    /** The bucket a latency in microseconds falls in: the first bound at or above it, or +Inf. */
    public static int index(long micros) {
        for (int i = 0; i < MICROS.length; i++) {
            if (micros <= MICROS[i]) {
                return i;
            }
        }
        return MICROS.length;
    }

    /** The number of buckets, +Inf included: the length {@link #of(long[])} expects. */
    public static int count() {
        return WITH_INF.length;
    }

    /** Buckets from per-bucket (not cumulative) counts indexed as {@link #index}. */
    public static ClassicHistogramBuckets of(long[] perBucket) {
        return ClassicHistogramBuckets.of(WITH_INF, perBucket);
    }

    /**
     * An HdrHistogram of microseconds in these buckets. Each recorded value is counted at the top of
     * its HdrHistogram bucket (3 significant digits), so a latency within 0.1% above a bound may be
     * counted in the next bucket: the same rounding the run's own percentiles carry. One pass over
     * the values recorded, not one per bound.
     */
    public static ClassicHistogramBuckets of(AbstractHistogram micros) {
        long[] perBucket = new long[WITH_INF.length];
        for (HistogramIterationValue v : micros.recordedValues()) {
            perBucket[index(micros.highestEquivalentValue(v.getValueIteratedTo()))] += v.getCountAtValueIteratedTo();
        }
        return of(perBucket);
    }
}
