package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reading fields of {@code summary.json} leniently (a field may be missing or null in a summary
 * written by an older or a killed run) and turning numbers into the text the report shows.
 */
final class Format {

    /** Shown where a figure is missing. */
    static final String NONE = "–";

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /** The field as text; empty when missing or null. */
    static String string(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node == null || node.isNull() ? "" : node.asText();
    }

    /** The field as a number; null when missing, null or not a number. */
    static Double number(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    /** Epoch milliseconds of an ISO-8601 instant, or null. */
    static Long epochMillis(String isoInstant) {
        try {
            return isoInstant.isEmpty() ? null : Instant.parse(isoInstant).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String utc(long epochMillis) {
        return UTC_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Latency: two decimals under 10 ms, one under 100 ms, whole milliseconds above. */
    static String millis(Double value) {
        if (value == null) {
            return NONE;
        }
        double v = value;
        String pattern = Math.abs(v) < 10 ? "%.2f" : Math.abs(v) < 100 ? "%.1f" : "%,.0f";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String millisWithUnit(Double value) {
        return value == null ? NONE : millis(value) + " ms";
    }

    static String count(Double value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /** A count that may be fractional (an error budget of 18.73 requests). */
    static String amount(Double value) {
        if (value == null) {
            return NONE;
        }
        return value == Math.rint(value) ? count(value) : String.format(Locale.ROOT, "%,.2f", value);
    }

    static String rate(Double value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%.2f", value);
    }

    static String percent(Double value, int decimals) {
        return value == null ? NONE : String.format(Locale.ROOT, "%." + decimals + "f%%", value);
    }

    /** An objective such as 99 or 99.95, without trailing zeros: "99%", "99.95%". */
    static String objective(Double percent) {
        if (percent == null) {
            return NONE;
        }
        String s = String.format(Locale.ROOT, "%.3f", percent).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** A length of time: "0.03 s", "2.2 s", "12 s", "3m 05s", "1h 02m". */
    static String seconds(Double value) {
        if (value == null) {
            return NONE;
        }
        double v = value;
        if (v < 60) {
            return String.format(Locale.ROOT, v < 1 ? "%.2f s" : v < 10 ? "%.1f s" : "%.0f s", v);
        }
        long s = Math.round(v);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }

    /**
     * A time measured to {@code resolutionMillis}: with 10 ms slots "0.03 s", "2.23 s", "12.41 s"; to the
     * whole second "2 s". Unknown resolution: as {@link #seconds(Double)}.
     */
    static String seconds(Double value, Double resolutionMillis) {
        if (value == null || resolutionMillis == null || value >= 60) {
            return seconds(value);
        }
        int decimals = resolutionMillis >= 1000 ? 0 : resolutionMillis >= 100 ? 1 : resolutionMillis >= 10 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f s", value);
    }

    /** A moment of the run as an offset from its start: "0:21", "1:02:03", "-0:02" before the start. */
    static String offset(double secondsFromStart) {
        long s = Math.round(Math.abs(secondsFromStart));
        String sign = secondsFromStart < -0.5 ? "-" : "";
        return s >= 3600
                ? String.format(Locale.ROOT, "%s%d:%02d:%02d", sign, s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%s%d:%02d", sign, s / 60, s % 60);
    }

    /** A measured value with four significant digits and no trailing zeros: "612.3", "0.0282", "1500". */
    static String significant(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return NONE;
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
