package io.stampede.slo;

import io.stampede.slo.threshold.ThresholdSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * A threshold as the plan states it: k6's threshold and, with Stampede's {@code window} tag
 * ({@code http_req_failed{window:10s}}), the rule that it must hold in every window of that length,
 * not only over the whole run.
 *
 * @param key the metric key as written, window tag included
 */
public record PlanThreshold(String key, ThresholdSpec spec, Optional<Duration> window) {
}
