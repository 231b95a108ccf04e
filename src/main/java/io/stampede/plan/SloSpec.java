package io.stampede.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * A service level objective over the run's requests, close to OpenSLO's objectives.
 *
 * <ul>
 *   <li>availability: a request is good when it did not fail;</li>
 *   <li>latency: a request is good when it took less than {@code latencyBelow}, failed or not
 *       (failures are the availability objective's business).</li>
 * </ul>
 *
 * @param name             shown in the verdict
 * @param objectivePercent the share of good requests required, strictly between 0 and 100
 * @param latencyBelow     present for a latency objective
 * @param filterName       only requests with this name count (empty: all)
 * @param filterMethod     only requests with this method count (empty: all)
 * @param where            where it was declared, for messages
 */
public record SloSpec(String name, double objectivePercent, Optional<Duration> latencyBelow,
                      Optional<String> filterName, Optional<String> filterMethod, String where) {

    public boolean isLatency() {
        return latencyBelow.isPresent();
    }

    /** The share of requests allowed to be bad: 1 - objective. */
    public double allowedBadRatio() {
        return 1 - objectivePercent / 100;
    }

    public boolean matches(String method, String name) {
        return filterName.map(name::equals).orElse(true) && filterMethod.map(method::equalsIgnoreCase).orElse(true);
    }

    public String filterText() {
        String text = (filterMethod.map(m -> m + " ").orElse("") + filterName.orElse("")).strip();
        return text;
    }
}
