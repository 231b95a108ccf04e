package io.stampede.input;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with values as written instead of stopping at the first, so one edit-run
 * cycle shows them all. Each check reads a {@link Located} value, adds a problem prefixed with where
 * it was written, and returns a neutral value after a problem. The rules that use it live with the
 * spec they guard ({@code engine/LoadDraft}, {@code http/HttpDraft}, the plan's own values).
 */
public final class Problems {

    /** Characters of a bad value repeated in its message. */
    public static final int MAX_QUOTED_CHARS = 40;

    private final List<String> found = new ArrayList<>();

    public Problems() {
    }

    /** Starts with problems found earlier (the plan file's structure). */
    public Problems(List<String> earlier) {
        found.addAll(earlier);
    }

    /** Adds a problem worded in full, its origin included. */
    public void add(String problem) {
        found.add(problem);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** The problems in the order found. */
    public List<String> list() {
        return List.copyOf(found);
    }

    /** A value quoted in a message, cut when long so that a pasted blob does not fill the screen. */
    public static String quoted(String value) {
        return value.length() <= MAX_QUOTED_CHARS ? "'" + value + "'"
                : "'" + value.substring(0, MAX_QUOTED_CHARS) + "...' (" + value.length() + " characters)";
    }

    public int atLeast(Located<String> value, int min, String what) {
        try {
            int n = Integer.parseInt(value.value().strip());
            if (n < min) {
                found.add(value.where() + ": " + what + " must be at least " + min + ", got " + n);
                return min; // neutral: a later rule comparing with it must not see an impossible value
            }
            return n;
        } catch (NumberFormatException e) {
            String text = value.value().strip();
            found.add(value.where() + ": " + what + (text.matches("[-+]?\\d+")
                    ? " must be at most " + Integer.MAX_VALUE + ", got " + (text.length() > MAX_QUOTED_CHARS ? "a " + text.length() + "-digit number" : text)
                    : " must be a whole number, got " + quoted(value.value())));
            return min;
        }
    }

    public double positive(Located<String> value, String what) {
        try {
            double n = Double.parseDouble(value.value().strip());
            if (!(n > 0) || Double.isInfinite(n)) {
                found.add(value.where() + ": " + what + " must be greater than 0, got " + value.value());
                return 1;
            }
            return n;
        } catch (NumberFormatException e) {
            found.add(value.where() + ": " + what + " must be a number, got " + quoted(value.value()));
            return 1;
        }
    }

    public double nonNegative(Located<String> value, String what) {
        try {
            double n = Double.parseDouble(value.value().strip());
            if (!(n >= 0) || Double.isInfinite(n)) {
                found.add(value.where() + ": " + what + " must be 0 or more, got " + value.value());
                return 0;
            }
            return n;
        } catch (NumberFormatException e) {
            found.add(value.where() + ": " + what + " must be a number, got " + quoted(value.value()));
            return 0;
        }
    }

    /** Null after a problem. */
    public Duration positiveDuration(Located<String> value) {
        Duration d = nonNegativeDuration(value);
        if (d != null && d.isZero()) {
            found.add(value.where() + ": must be longer than 0");
            return null;
        }
        return d;
    }

    /** Null after a problem. */
    public Duration nonNegativeDuration(Located<String> value) {
        try {
            Duration d = Durations.parse(value.value());
            if (d.isNegative()) {
                found.add(value.where() + ": must not be negative, got " + value.value());
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            found.add(value.where() + ": " + e.getMessage());
            return null;
        }
    }

    /** A required field of {@code parent} is missing; returns null. */
    public <T> T missing(Located<?> parent, String field) {
        found.add(parent.where() + ": '" + field + "' is required");
        return null;
    }
}
