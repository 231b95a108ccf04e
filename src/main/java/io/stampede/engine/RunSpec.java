package io.stampede.engine;

import io.stampede.http.HttpOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's part of a plan: what the users hit, how many of them over time, for how long, and
 * how they stop. The plan layer makes one from what the user wrote ({@code Plan.run()}); the
 * engine reads nothing else of the plan.
 *
 * @param name        the run's name, told to the listeners
 * @param host        base URL of the service, with scheme
 * @param load        how many users over time
 * @param runTime     stop after this long; empty means until stopped (or until the stages end)
 * @param http        the users' connection behaviour
 * @param tags        run only tasks with one of these tags (empty: all)
 * @param excludeTags skip tasks with one of these tags
 * @param stopTimeout how long users may finish their current task when the run stops
 */
public record RunSpec(String name, String host, LoadModel load, Optional<Duration> runTime, HttpOptions http,
                      Set<String> tags, Set<String> excludeTags, Duration stopTimeout) {

    public RunSpec {
        tags = Set.copyOf(tags);
        excludeTags = Set.copyOf(excludeTags);
    }

    /** The same run with users pointed at another base URL and another share of the load (a worker's). */
    public RunSpec withHostAndLoad(String newHost, LoadModel newLoad, Optional<Duration> newRunTime) {
        return new RunSpec(name, newHost, newLoad, newRunTime, http, tags, excludeTags, stopTimeout);
    }

    /** The planned length: the run time, else the stages' total; empty for an open-ended run. */
    public Optional<Duration> plannedLength() {
        if (runTime.isPresent()) {
            return runTime;
        }
        Duration stages = load.stagesDuration();
        return stages.isZero() ? Optional.empty() : Optional.of(stages);
    }
}
