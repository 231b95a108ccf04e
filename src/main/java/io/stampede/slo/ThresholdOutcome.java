package io.stampede.slo;

import io.stampede.slo.threshold.Status;
/** One k6-style threshold judged over the run, e.g. {@code http_req_duration p(95)<500}: 123.4 → pass. */
public record ThresholdOutcome(String metric, String expression, Double value, Status status, String detail) {
}
