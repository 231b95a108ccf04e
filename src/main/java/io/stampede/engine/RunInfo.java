package io.stampede.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What listeners know about a run when it starts.
 *
 * @param name             the run's name
 * @param host             the base URL the users reach (a fault proxy's when faults go through one)
 * @param planned          the planned length (run time, else the stages' total); empty for an open-ended run
 * @param startEpochMillis wall-clock start
 * @param userTypes        the user classes in play, with their weights
 */
public record RunInfo(String name, String host, Optional<Duration> planned, long startEpochMillis,
                      List<String> userTypes) {

    public RunInfo {
        userTypes = List.copyOf(userTypes);
    }

    /** What the listeners of {@code run} are told when it starts at {@code startEpochMillis}. */
    public static RunInfo of(RunSpec run, long startEpochMillis, List<String> userTypes) {
        return new RunInfo(run.name(), run.host(), run.plannedLength(), startEpochMillis, userTypes);
    }
}
