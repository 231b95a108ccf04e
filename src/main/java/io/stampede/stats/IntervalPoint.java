package io.stampede.stats;

/**
 * One interval reduced to the figures the charts and the progress line show. Small and immutable,
 * so a run keeps one per second without holding histograms.
 */
public record IntervalPoint(long endEpochMillis, double seconds, int users, long requests, long failures,
                            double requestsPerSecond, double failuresPerSecond,
                            double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    static IntervalPoint of(IntervalStats interval, EntryStats total) {
        double seconds = interval.seconds();
        return new IntervalPoint(interval.endEpochMillis(), seconds, interval.users(), total.count(),
                total.failures(), total.count() / seconds, total.failures() / seconds,
                total.percentileMillis(50), total.percentileMillis(95), total.percentileMillis(99),
                total.maxMillis());
    }
}
