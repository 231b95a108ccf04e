package io.stampede.stats;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One interval reduced to the figures the charts and the progress line show. Small and immutable,
 * so a run keeps one per second without holding histograms.
 *
 * <p>The percentiles are over all requests; {@code okP95Millis} and {@code okP99Millis} over the
 * successful ones only (a refused request is the fastest of all and would hide a slow service),
 * {@code failedP95Millis} over the failures alone (0 when none failed). {@code phases}: the mean
 * of each phase over the second's requests, null when none had phase times.
 */
public record IntervalPoint(long endEpochMillis, double seconds, int users, long requests, long failures,
                            double requestsPerSecond, double failuresPerSecond,
                            double p50Millis, double p95Millis, double p99Millis, double maxMillis,
                            double okP95Millis, double okP99Millis, double failedP95Millis,
                            @JsonInclude(JsonInclude.Include.NON_NULL) PhaseMillis phases) {

    /** A point without phase times. */
    public IntervalPoint(long endEpochMillis, double seconds, int users, long requests, long failures,
                         double requestsPerSecond, double failuresPerSecond,
                         double p50Millis, double p95Millis, double p99Millis, double maxMillis,
                         double okP95Millis, double okP99Millis, double failedP95Millis) {
        this(endEpochMillis, seconds, users, requests, failures, requestsPerSecond, failuresPerSecond,
                p50Millis, p95Millis, p99Millis, maxMillis, okP95Millis, okP99Millis, failedP95Millis, null);
    }

    /** A point whose requests all succeeded, or whose successes' latencies are not known apart. */
    public IntervalPoint(long endEpochMillis, double seconds, int users, long requests, long failures,
                         double requestsPerSecond, double failuresPerSecond,
                         double p50Millis, double p95Millis, double p99Millis, double maxMillis) {
        this(endEpochMillis, seconds, users, requests, failures, requestsPerSecond, failuresPerSecond,
                p50Millis, p95Millis, p99Millis, maxMillis, p95Millis, p99Millis, 0);
    }

    static IntervalPoint of(IntervalStats interval, EntryStats total) {
        double seconds = interval.seconds();
        double failedP95 = total.failures() == 0 ? 0
                : total.failureHistogram().getTotalCount() == 0 ? 0
                : Math.min(total.failureHistogram().getValueAtPercentile(95), total.maxMicros()) / 1000.0;
        return new IntervalPoint(interval.endEpochMillis(), seconds, interval.users(), total.count(),
                total.failures(), total.count() / seconds, total.failures() / seconds,
                total.percentileMillis(50), total.percentileMillis(95), total.percentileMillis(99),
                total.maxMillis(), total.successPercentileMillis(95), total.successPercentileMillis(99), failedP95,
                PhaseMillis.meansOf(total.phases()));
    }
}
