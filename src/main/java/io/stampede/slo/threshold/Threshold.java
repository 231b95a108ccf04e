package io.stampede.slo.threshold;

import io.stampede.stats.EntryStats;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One k6 threshold expression on one metric key, e.g. {@code http_req_duration{name:/health}}
 * with {@code p(99)<100}, judged over a run's statistics.
 *
 * <pre>{@code
 * Threshold t = Threshold.parse("http_req_duration", "p(95)<500");
 * ThresholdResult r = t.evaluate(runStats);
 * r.status();   // PASS, FAIL or NO_DATA
 * r.detail();   // "p(95)=95.04ms"
 * }</pre>
 *
 * <p>Values are those of k6: durations in milliseconds, {@code http_req_failed}'s {@code rate} the
 * share of failed requests (0..1), {@code http_reqs}' {@code rate} requests per second over the run.
 *
 * @param key         the metric and the requests it keeps
 * @param expression  the expression as written, shown in results
 * @param aggregation its left-hand side; one the metric's type supports
 * @param operator    its comparison
 * @param bound       its right-hand side
 */
public record Threshold(MetricKey key, String expression, Aggregation aggregation, Operator operator, double bound) {

    public Threshold {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(operator, "operator");
        if (!key.metric().type().supports(aggregation)) {
            throw new InvalidThresholdException("aggregation '" + aggregation.text() + "' is not valid for "
                    + key.metric().k6Name() + " (a " + key.metric().type().k6Name() + " metric); valid aggregations: "
                    + key.metric().type().validAggregations());
        }
    }

    /**
     * Parses a key and an expression, e.g. {@code ("http_req_duration{name:/health}", "p(99) < 100")}.
     *
     * @throws InvalidThresholdException see {@link MetricKey#parse} and {@link #parse(MetricKey, String)}
     */
    public static Threshold parse(String metricKey, String expression) {
        return parse(MetricKey.parse(metricKey), expression);
    }

    /**
     * Parses an expression for an already parsed key. Blanks between the parts are allowed.
     *
     * @throws InvalidThresholdException for an aggregation the metric's type does not have (listing
     *     those it has), or a malformed expression (pointing at the position with a caret)
     */
    public static Threshold parse(MetricKey key, String expression) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expression, "expression");
        return ExpressionParser.parse(key, expression);
    }

    /**
     * Judges this threshold over everything {@code stats} holds so far (during or after the run).
     * The requests the key's tags select are merged exactly, then aggregated.
     *
     * <p>With no selected request, a trend or rate has no value and the result is
     * {@link Status#NO_DATA}, which does not pass. A counter still counts: {@code count} and
     * {@code rate} are 0 and judged as such, as in k6.
     *
     * <p>{@link RunStats} is not thread-safe: from another thread than the one adding intervals,
     * pass {@link RunStats#snapshot()}.
     */
    public ThresholdResult evaluate(RunStats stats) {
        EntryStats selected = select(stats);
        long matched = selected.count();
        boolean filterMatchesNothing = !key.filter().isEmpty() && matched == 0;
        MetricType type = key.metric().type();
        // A phase is judged over the requests that have phase times (all the HTTP client makes).
        boolean noPhases = key.metric().phase().isPresent() && (selected.phases() == null || selected.phases().count() == 0);
        if (matched == 0 && type != MetricType.COUNTER || noPhases) {
            String detail = filterMatchesNothing
                    ? "filter " + key.filter().text() + " matches no request"
                    : matched == 0 ? "no request" : "no request with phase times";
            return new ThresholdResult(key.text(), expression, Status.NO_DATA, OptionalDouble.empty(), 0,
                    filterMatchesNothing, detail);
        }
        double observed = observe(selected, stats.totalsSeconds());
        Status status = operator.test(observed, bound) ? Status.PASS : Status.FAIL;
        String detail = aggregation.text() + "=" + format(observed)
                + (filterMatchesNothing ? "; filter " + key.filter().text() + " matches no request" : "");
        return new ThresholdResult(key.text(), expression, status, OptionalDouble.of(observed), matched,
                filterMatchesNothing, detail);
    }

    private EntryStats select(RunStats stats) {
        if (key.filter().isEmpty()) {
            return stats.total();
        }
        EntryStats merged = new EntryStats();
        for (Map.Entry<RequestKey, EntryStats> entry : stats.totals().entrySet()) {
            if (key.filter().matches(entry.getKey())) {
                merged.add(entry.getValue());
            }
        }
        return key.filter().expectedResponse().map(merged::outcomes).orElse(merged);
    }

    private double observe(EntryStats entry, double elapsedSeconds) {
        if (key.metric().phase().isPresent()) {
            return observePhase(entry.phases(), key.metric().phase().get());
        }
        return switch (aggregation) {
            case Aggregation.Avg a -> entry.averageMillis();
            case Aggregation.Min m -> entry.minMillis();
            case Aggregation.Med m -> entry.medianMillis();
            case Aggregation.Max m -> entry.maxMillis();
            case Aggregation.Percentile p -> entry.percentileMillis(p.percent());
            case Aggregation.Count c -> entry.count();
            case Aggregation.Rate r -> key.metric().type() == MetricType.RATE
                    ? entry.failureRatio()
                    : entry.count() / elapsedSeconds;
        };
    }

    private double observePhase(PhaseStats phases, Phase phase) {
        return switch (aggregation) {
            case Aggregation.Avg a -> phases.meanMillis(phase);
            case Aggregation.Min m -> phases.minMillis(phase);
            case Aggregation.Med m -> phases.percentileMillis(phase, 50);
            case Aggregation.Max m -> phases.maxMillis(phase);
            case Aggregation.Percentile p -> phases.percentileMillis(phase, p.percent());
            case Aggregation.Count c -> phases.count();
            case Aggregation.Rate r -> throw new IllegalStateException("a trend has no rate"); // refused by the parser
        };
    }

    /** As k6's summary shows them: {@code 95.04ms}, {@code 5.00%}, {@code 100}, {@code 12.50/s}. */
    private String format(double observed) {
        return switch (key.metric().type()) {
            case TREND -> String.format(Locale.ROOT, "%.2fms", observed);
            case RATE -> String.format(Locale.ROOT, "%.2f%%", observed * 100);
            case COUNTER -> aggregation instanceof Aggregation.Count
                    ? String.valueOf((long) observed)
                    : String.format(Locale.ROOT, "%.2f/s", observed);
        };
    }

    /** {@code http_req_duration{name:/health} p(99)<100}. */
    @Override
    public String toString() {
        return key.text() + " " + expression;
    }
}
