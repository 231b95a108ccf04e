package io.stampede.slo.threshold;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code delayAbortEval} as k6 reads it ({@code lib/types.ParseExtendedDuration}): Go durations
 * such as {@code 10s}, {@code 1m30s}, {@code 500ms}, with days ({@code 1d12h}); a bare number,
 * written as a string or as a number, means milliseconds. Note the difference with the rest of the
 * plan, where a bare number means seconds as in Locust: this key follows k6.
 */
final class K6Duration {

    private static final String EXAMPLES = "(examples: 10s, 1m30s, 500ms; a bare number means milliseconds, as in k6)";
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d)");
    private static final Pattern PARTS = Pattern.compile("(?:" + PART.pattern() + ")+");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d*)?|\\.\\d+");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L,
            "d", 86_400_000_000_000L);

    private K6Duration() {
    }

    static Duration parse(String field, Object value) {
        return switch (value) {
            case Duration d when !d.isNegative() -> d;
            case Number n when n.doubleValue() >= 0 && Double.isFinite(n.doubleValue()) ->
                    nanos(field, value, new BigDecimal(n.toString()).multiply(BigDecimal.valueOf(1_000_000L)));
            case String s -> parse(field, s);
            default -> throw invalid(field, value);
        };
    }

    private static Duration parse(String field, String text) {
        String s = text.strip();
        if (NUMBER.matcher(s).matches()) {
            return nanos(field, text, new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000L)));
        }
        if (!PARTS.matcher(s).matches()) {
            throw invalid(field, text);
        }
        BigDecimal total = BigDecimal.ZERO;
        Matcher part = PART.matcher(s);
        while (part.find()) {
            total = total.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
        }
        return nanos(field, text, total);
    }

    private static Duration nanos(String field, Object value, BigDecimal nanos) {
        try {
            return Duration.ofNanos(nanos.toBigInteger().longValueExact());
        } catch (ArithmeticException tooLong) {
            throw new InvalidThresholdException("'" + field + "': " + value + " is too long " + EXAMPLES);
        }
    }

    private static InvalidThresholdException invalid(String field, Object value) {
        return new InvalidThresholdException("'" + field + "': '" + value + "' is not a duration " + EXAMPLES);
    }
}
