package io.stampede.slo.threshold;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How one threshold fared over a run.
 *
 * <pre>{@code
 * ThresholdResult r = Threshold.parse("http_req_failed", "rate<0.05").evaluate(stats);
 * // metricKey "http_req_failed", expression "rate<0.05", status FAIL, observed 0.05, detail "rate=5.00%"
 *
 * // for the verdict:
 * new ThresholdOutcome(r.metricKey(), r.expression(), r.observedOrNull(), r.status(), r.detail());
 * }</pre>
 *
 * @param metricKey              the key as written, e.g. {@code http_req_duration{name:/health}}
 * @param expression             the expression as written, e.g. {@code p(99)<100}
 * @param status                 {@link Status#PASS}, {@link Status#FAIL}, or {@link Status#NO_DATA} when a
 *                               trend or rate had no request to judge (not a pass)
 * @param observed               the aggregated value compared with the bound; empty with no data
 * @param matchedRequests        how many requests the key selected
 * @param filterMatchesNoRequest the key has tags and they name no request of the run: most likely a
 *                               typo in the plan, which the verdict should point out
 * @param detail                 for people: {@code p(95)=95.04ms}, {@code rate=5.00%}, or why there
 *                               is no value, e.g. {@code filter {name:/nope} matches no request}
 */
public record ThresholdResult(String metricKey, String expression, Status status, OptionalDouble observed,
                              long matchedRequests, boolean filterMatchesNoRequest, String detail) {

    public ThresholdResult {
        Objects.requireNonNull(metricKey, "metricKey");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** The observed value, or null with no data (for JSON and records that use a nullable Double). */
    public Double observedOrNull() {
        return observed.isPresent() ? observed.getAsDouble() : null;
    }
}
