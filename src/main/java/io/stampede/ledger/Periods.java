package io.stampede.ledger;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An SLO's period as people write it: {@code 30d}, {@code 4w}, {@code 7d}, {@code 24h}, {@code 90m}. */
public final class Periods {

    /** A period shorter than this holds too few runs to mean anything; it is more likely a typo (30s for 30d). */
    public static final Duration MIN_PERIOD = Duration.ofMinutes(1);
    /** Longer than any SLO period in use (a year and a bit), and far from overflowing epoch millis. */
    public static final Duration MAX_PERIOD = Duration.ofDays(400);

    private static final Pattern PERIOD = Pattern.compile("(\\d{1,6})\\s*(m|h|d|w)");

    private Periods() {
    }

    /**
     * Parses a period; the message of the {@link IllegalArgumentException} says what is expected.
     */
    public static Duration parse(String text) {
        Matcher matcher = PERIOD.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a period is a whole number of minutes, hours, days or weeks,"
                    + " e.g. 30d, 4w, 24h, got '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration period = switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("a period is between " + format(MIN_PERIOD) + " and "
                    + format(MAX_PERIOD) + ", got '" + text + "'");
        }
        return period;
    }

    /** The shortest exact form: 30d, 36h, 90m, 45s. */
    public static String format(Duration period) {
        long seconds = period.toSeconds();
        if (seconds % 86_400 == 0) return seconds / 86_400 + "d";
        if (seconds % 3_600 == 0) return seconds / 3_600 + "h";
        if (seconds % 60 == 0) return seconds / 60 + "m";
        return seconds + "s";
    }
}
