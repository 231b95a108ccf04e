package io.stampede.slo.threshold;

import java.math.BigDecimal;

/**
 * The left-hand side of a threshold expression: how the metric's samples become one number.
 * The set is k6's, and closed: {@code avg}, {@code min}, {@code med}, {@code max}, {@code p(N)}
 * for trends, {@code rate} for rates and counters, {@code count} for counters. Which metric type
 * accepts which is {@link MetricType#supports}'s business.
 *
 * <pre>{@code
 * Aggregation p99 = new Aggregation.Percentile(99.9);
 * p99.text();   // "p(99.9)"
 * }</pre>
 */
public sealed interface Aggregation {

    Aggregation AVG = new Avg();
    Aggregation MIN = new Min();
    Aggregation MED = new Med();
    Aggregation MAX = new Max();
    Aggregation RATE = new Rate();
    Aggregation COUNT = new Count();

    /** As written in an expression: {@code avg}, {@code p(95)}, ... */
    String text();

    /** Mean latency. */
    record Avg() implements Aggregation {
        @Override
        public String text() {
            return "avg";
        }
    }

    /** Lowest latency. */
    record Min() implements Aggregation {
        @Override
        public String text() {
            return "min";
        }
    }

    /** Median latency, i.e. {@code p(50)}. */
    record Med() implements Aggregation {
        @Override
        public String text() {
            return "med";
        }
    }

    /** Highest latency. */
    record Max() implements Aggregation {
        @Override
        public String text() {
            return "max";
        }
    }

    /**
     * Latency at a percentile.
     *
     * @param percent from 0 to 100, fractions allowed ({@code p(99.99)})
     */
    record Percentile(double percent) implements Aggregation {
        public Percentile {
            if (!(percent >= 0 && percent <= 100)) {
                throw new InvalidThresholdException("percentile " + percent + " is outside 0..100");
            }
        }

        @Override
        public String text() {
            return "p(" + BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + ")";
        }
    }

    /** For a rate metric: the share of true samples (0..1); for a counter: its sum per second. */
    record Rate() implements Aggregation {
        @Override
        public String text() {
            return "rate";
        }
    }

    /** A counter's sum. */
    record Count() implements Aggregation {
        @Override
        public String text() {
            return "count";
        }
    }
}
