package io.stampede.engine;

import io.stampede.plan.Plan;
import java.util.List;

/**
 * What listeners know about a run when it starts.
 *
 * @param plan             the validated plan
 * @param startEpochMillis wall-clock start
 * @param userTypes        the user classes in play, with their weights
 */
public record RunInfo(Plan plan, long startEpochMillis, List<String> userTypes) {

    public RunInfo {
        userTypes = List.copyOf(userTypes);
    }
}
