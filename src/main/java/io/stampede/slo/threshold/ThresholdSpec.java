package io.stampede.slo.threshold;

import io.stampede.stats.RunStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a plan's {@code thresholds:} list, in either of k6's two forms:
 *
 * <pre>
 * thresholds:
 *   http_req_duration: ["p(95)&lt;500", "avg&lt;200"]                                  # short form
 *   http_req_failed: [{ threshold: "rate&lt;0.01", abortOnFail: true, delayAbortEval: 10s }]  # object form
 * </pre>
 *
 * A plan reader parses each key once with {@link MetricKey#parse}, then each list item with
 * {@link #parse(MetricKey, Object)}, and prefixes any {@link InvalidThresholdException}'s message
 * with the item's {@code file:line:column}:
 *
 * <pre>{@code
 * MetricKey key = MetricKey.parse("http_req_failed");
 * ThresholdSpec spec = ThresholdSpec.parse(key,
 *         Map.of("threshold", "rate<0.01", "abortOnFail", true, "delayAbortEval", "10s"));
 * ThresholdResult result = spec.evaluate(stats);
 * if (spec.shouldAbort(result, elapsed)) { ... stop the run ... }
 * }</pre>
 *
 * @param threshold      the expression on its metric key
 * @param abortOnFail    stop the run as soon as the threshold fails (after {@code delayAbortEval})
 * @param delayAbortEval how long into the run a failure may not yet abort it; {@link Duration#ZERO}
 *                       when not given
 */
public record ThresholdSpec(Threshold threshold, boolean abortOnFail, Duration delayAbortEval) {

    /** The keys of k6's object form, as listed in error messages. */
    public static final String VALID_KEYS = "threshold, abortOnFail, delayAbortEval";
    /** The same keys, in that order, for readers that check them against their own input. */
    public static final List<String> KEYS = List.of("threshold", "abortOnFail", "delayAbortEval");

    public ThresholdSpec {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(delayAbortEval, "delayAbortEval");
        if (delayAbortEval.isNegative()) {
            throw new InvalidThresholdException("'delayAbortEval' must not be negative").inField("delayAbortEval");
        }
    }

    /** The short form: {@code of("http_req_duration", "p(95)<500")}; never aborts the run. */
    public static ThresholdSpec of(String metricKey, String expression) {
        return new ThresholdSpec(Threshold.parse(metricKey, expression), false, Duration.ZERO);
    }

    /** The object form from explicit values: {@code of("http_req_failed", "rate<0.01", true, Duration.ofSeconds(10))}. */
    public static ThresholdSpec of(String metricKey, String expression, boolean abortOnFail, Duration delayAbortEval) {
        return new ThresholdSpec(Threshold.parse(metricKey, expression), abortOnFail, delayAbortEval);
    }

    /**
     * One list item as a YAML or JSON reader hands it over: a {@code String} (short form) or a
     * {@code Map} with the keys {@value #VALID_KEYS} (object form). In the object form
     * {@code threshold} is required; {@code abortOnFail} is a boolean (or the text
     * {@code true}/{@code false}); {@code delayAbortEval} is a duration such as {@code 10s} or
     * {@code 1m30s}, or a number of milliseconds, as in k6, or a {@link Duration}. A null value
     * counts as absent.
     *
     * @throws InvalidThresholdException for an unknown key (listing the valid ones), a missing
     *     {@code threshold}, a value of the wrong kind, or a bad expression
     */
    public static ThresholdSpec parse(MetricKey key, Object item) {
        Objects.requireNonNull(key, "key");
        return switch (item) {
            case String expression -> new ThresholdSpec(Threshold.parse(key, expression), false, Duration.ZERO);
            case Map<?, ?> object -> fromObject(key, object);
            case null, default -> throw new InvalidThresholdException("a threshold is an expression like 'p(95)<500'"
                    + " or an object with the keys " + VALID_KEYS + ", not " + describe(item));
        };
    }

    /** {@link #parse(MetricKey, Object)} with the key still to parse. */
    public static ThresholdSpec parse(String metricKey, Object item) {
        return parse(MetricKey.parse(metricKey), item);
    }

    /**
     * A whole {@code thresholds:} map as k6's options hold it: metric key to a list of items (a lone
     * item is accepted too). Messages are prefixed with the entry, e.g.
     * {@code thresholds.http_reqs[1]: }, since the map carries no file positions; a plan reader that
     * knows them should go entry by entry instead.
     */
    public static List<ThresholdSpec> parseAll(Map<String, ?> thresholds) {
        List<ThresholdSpec> specs = new ArrayList<>();
        thresholds.forEach((text, value) -> {
            MetricKey key;
            try {
                key = MetricKey.parse(text);
            } catch (InvalidThresholdException e) {
                throw new InvalidThresholdException("thresholds." + text + ": " + e.getMessage());
            }
            List<?> items = value instanceof List<?> list ? list : List.of(Objects.requireNonNullElse(value, ""));
            for (int i = 0; i < items.size(); i++) {
                try {
                    specs.add(parse(key, items.get(i)));
                } catch (InvalidThresholdException e) {
                    throw new InvalidThresholdException("thresholds." + text + "[" + i + "]: " + e.getMessage());
                }
            }
        });
        return List.copyOf(specs);
    }

    private static ThresholdSpec fromObject(MetricKey key, Map<?, ?> object) {
        for (Object name : object.keySet()) {
            if (!(name instanceof String s) || !KEYS.contains(s)) {
                throw new InvalidThresholdException("unknown key '" + name + "' in a threshold object; valid keys: "
                        + VALID_KEYS);
            }
        }
        Object expression = object.get("threshold");
        if (expression == null) {
            throw new InvalidThresholdException("a threshold object needs the key 'threshold' (valid keys: "
                    + VALID_KEYS + ")");
        }
        if (!(expression instanceof String text)) {
            throw new InvalidThresholdException("'threshold' must be an expression like 'p(95)<500', not "
                    + describe(expression)).inField("threshold");
        }
        Threshold threshold;
        try {
            threshold = Threshold.parse(key, text);
        } catch (InvalidThresholdException e) {
            throw e.inField("threshold");
        }
        boolean abort = bool("abortOnFail", object.get("abortOnFail"));
        Object delay = object.get("delayAbortEval");
        Duration delayAbortEval;
        try {
            delayAbortEval = delay == null ? Duration.ZERO : K6Duration.parse("delayAbortEval", delay);
        } catch (InvalidThresholdException e) {
            throw e.inField("delayAbortEval");
        }
        return new ThresholdSpec(threshold, abort, delayAbortEval);
    }

    private static boolean bool(String field, Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case String s when s.strip().equalsIgnoreCase("true") -> true;
            case String s when s.strip().equalsIgnoreCase("false") -> false;
            default -> throw new InvalidThresholdException("'" + field + "' must be true or false, not "
                    + describe(value)).inField(field);
        };
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** Judges the threshold over the run so far; see {@link Threshold#evaluate}. */
    public ThresholdResult evaluate(RunStats stats) {
        return threshold.evaluate(stats);
    }

    /**
     * Whether this threshold should stop the run now, as k6 decides it: {@code abortOnFail} is set,
     * {@code result} (this threshold's latest evaluation) failed on at least one request, and the run
     * has been going for longer than {@code delayAbortEval} (strictly, as in k6). No data never
     * aborts: k6 skips empty metrics while the run goes.
     *
     * <p>Beware, as in k6: a lower bound such as {@code http_reqs count>100} fails early in every
     * run, so with {@code abortOnFail} it needs a {@code delayAbortEval}.
     */
    public boolean shouldAbort(ThresholdResult result, Duration elapsed) {
        return abortOnFail && result.status() == Status.FAIL && result.matchedRequests() > 0
                && elapsed.compareTo(delayAbortEval) > 0;
    }

    /** {@link #evaluate} then {@link #shouldAbort(ThresholdResult, Duration)} at the run's elapsed time. */
    public boolean shouldAbort(RunStats stats) {
        Duration elapsed = Duration.ofMillis(stats.endEpochMillis() - stats.startEpochMillis());
        return shouldAbort(evaluate(stats), elapsed);
    }
}
