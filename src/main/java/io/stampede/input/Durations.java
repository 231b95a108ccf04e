package io.stampede.input;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags and plan files: {@code 250ms}, {@code 1s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}. A bare number means seconds, as in Locust's {@code --run-time 30}.
 *
 * <pre>{@code
 * Duration wait = Durations.parse("250ms");   // PT0.25S
 * String shown  = Durations.format(wait);     // "250ms"
 * }</pre>
 */
public final class Durations {

    private static final String EXAMPLES = "(examples: 250ms, 1s, 2m, 1h)";
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000L);
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private Durations() {
    }

    /**
     * Parses a duration; surrounding blanks and the case of the unit do not matter.
     *
     * @throws IllegalArgumentException if the text is not a duration, is negative or does not fit
     *     a {@link Duration}; the message quotes the text and shows examples
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required " + EXAMPLES);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative; a duration is 0 or more " + EXAMPLES);
        }
        Matcher matcher = DURATION.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration " + EXAMPLES);
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        BigDecimal nanos = switch (unit) {
            case "ms" -> amount.multiply(NANOS_PER_MILLI);
            case "s" -> amount.multiply(NANOS_PER_SECOND);
            case "m" -> amount.multiply(NANOS_PER_SECOND).multiply(BigDecimal.valueOf(60));
            case "h" -> amount.multiply(NANOS_PER_SECOND).multiply(BigDecimal.valueOf(3600));
            default -> throw new IllegalStateException("unit " + unit + " matched but not handled");
        };
        try {
            // Sub-nanosecond fractions are dropped; nobody schedules anything that precisely.
            return Duration.ofNanos(nanos.toBigInteger().longValueExact());
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration " + EXAMPLES);
        }
    }

    /**
     * Formats a duration in the largest unit that shows it exactly, so that {@code parse(format(d))}
     * gives {@code d} back for whole milliseconds: {@code 250ms}, {@code 1500ms}, {@code 2m}.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toNanos() / 1_000_000.0 + "ms";
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
