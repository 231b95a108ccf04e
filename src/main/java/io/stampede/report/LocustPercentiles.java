package io.stampede.report;

import java.math.BigDecimal;
import java.util.List;

/** The percentiles Locust reports in its CSVs and console table, with its column labels. */
final class LocustPercentiles {

    /** Locust's {@code PERCENTILES_TO_REPORT}, as percentages. */
    static final List<Double> VALUES = List.of(50.0, 66.0, 75.0, 80.0, 90.0, 95.0, 98.0, 99.0, 99.9, 99.99, 100.0);

    /** "50%", ..., "99.9%", "99.99%", "100%": whole numbers without a decimal point, as Locust prints them. */
    static final List<String> LABELS = VALUES.stream().map(LocustPercentiles::label).toList();

    private LocustPercentiles() {
    }

    private static String label(double percentile) {
        return percentile == Math.rint(percentile)
                ? (long) percentile + "%"
                : BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString() + "%";
    }
}
