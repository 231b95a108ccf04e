package io.stampede.slo.threshold;

/**
 * k6's metric types, which decide the aggregations a threshold may use: a trend has
 * {@code avg, min, med, max, p(N)}, a rate has {@code rate}, a counter has {@code count, rate}.
 */
public enum MetricType {
    /** Distribution of values (durations, in milliseconds). */
    TREND("trend", "avg, min, med, max, p(N) with N from 0 to 100"),
    /** Share of samples that are "true", from 0 to 1. */
    RATE("rate", "rate"),
    /** A sum; {@code rate} is that sum per second of the run. */
    COUNTER("counter", "count, rate");

    private final String k6Name;
    private final String aggregations;

    MetricType(String k6Name, String aggregations) {
        this.k6Name = k6Name;
        this.aggregations = aggregations;
    }

    /** The type's name in k6: {@code trend}, {@code rate} or {@code counter}. */
    public String k6Name() {
        return k6Name;
    }

    /** The aggregations this type supports, as listed in error messages. */
    public String validAggregations() {
        return aggregations;
    }

    /** Whether a threshold on a metric of this type may use {@code aggregation}. */
    public boolean supports(Aggregation aggregation) {
        return switch (this) {
            case TREND -> aggregation instanceof Aggregation.Avg || aggregation instanceof Aggregation.Min
                    || aggregation instanceof Aggregation.Med || aggregation instanceof Aggregation.Max
                    || aggregation instanceof Aggregation.Percentile;
            case RATE -> aggregation instanceof Aggregation.Rate;
            case COUNTER -> aggregation instanceof Aggregation.Count || aggregation instanceof Aggregation.Rate;
        };
    }
}
