package io.stampede.chaos;

import io.stampede.StampedeException;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.target.Signal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fault's parameters as written, each with where it was written, so a bad value is reported at
 * its plan line or flag. Read with typed getters that supply the default when a key is absent.
 */
public final class FaultParams {

    private final Map<String, Located<String>> values;
    private final String where;
    /** The keys the fault asked for: a key given and never asked for would change nothing. */
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    /** @param where the entry's location, for messages about missing parameters */
    public FaultParams(Map<String, Located<String>> values, String where) {
        this.values = Map.copyOf(values);
        this.where = where;
    }

    public boolean has(String key) {
        read.add(key);
        return values.containsKey(key);
    }

    /** The keys given that the fault never asked for: each would be accepted and ignored. */
    public List<String> unread() {
        return values.keySet().stream().filter(key -> !read.contains(key)).sorted().toList();
    }

    private Located<String> value(String key) {
        read.add(key);
        return values.get(key);
    }

    public String text(String key, String fallback) {
        Located<String> value = value(key);
        return value == null ? fallback : value.value();
    }

    /** A list, written as a YAML list or comma-separated ({@code /health, /metrics}). */
    public List<String> list(String key) {
        Located<String> value = value(key);
        if (value == null || value.value().isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.value().split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    public Duration duration(String key, Duration fallback) {
        Located<String> value = value(key);
        if (value == null) {
            if (fallback == null) {
                throw new StampedeException.BadInput(where + ": '" + key + "' is required");
            }
            return fallback;
        }
        try {
            return Durations.parse(value.value());
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput(value.where() + ": " + e.getMessage());
        }
    }

    public Signal signal(String key, Signal fallback) {
        Located<String> value = value(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Signal.parse(value.value());
        } catch (StampedeException.BadInput e) {
            throw new StampedeException.BadInput(value.where() + ": " + e.getMessage());
        }
    }

    public double number(String key, double fallback, double min, double max) {
        Located<String> value = value(key);
        if (value == null) {
            return fallback;
        }
        double n;
        try {
            n = Double.parseDouble(value.value().strip());
        } catch (NumberFormatException e) {
            throw new StampedeException.BadInput(value.where() + ": expected a number, got '" + value.value() + "'");
        }
        if (n < min || n > max) {
            throw new StampedeException.BadInput(value.where() + ": must be between " + fmt(min) + " and " + fmt(max)
                    + ", got " + value.value());
        }
        return n;
    }

    public long whole(String key, long fallback, long min, long max) {
        double n = number(key, fallback, min, max);
        if (n != Math.rint(n)) {
            throw new StampedeException.BadInput(value(key).where() + ": expected a whole number, got " + value(key).value());
        }
        return (long) n;
    }

    /** Where a parameter was written (or the entry, when absent). */
    public String where(String key) {
        Located<String> value = value(key);
        return value == null ? where : value.where();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
