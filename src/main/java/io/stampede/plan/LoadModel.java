package io.stampede.plan;

import java.time.Duration;
import java.util.List;

/** How the number of users (or arrivals) changes over a run. */
public sealed interface LoadModel {

    /**
     * Locust's model: a fixed population of users, each looping over its tasks; users are started
     * at {@code spawnRate} per second until there are {@code users}. With stages, each stage moves
     * the population towards its own target at its own rate, then holds it until the stage ends.
     */
    record Closed(int users, double spawnRate, List<Stage> stages) implements LoadModel {
        public Closed {
            stages = List.copyOf(stages);
        }

        /** Total length of the stages, or zero when there are none. */
        public Duration stagesDuration() {
            return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** One step of a staged load: reach {@code users} at {@code spawnRate}/s and hold until {@code duration} ends. */
    record Stage(Duration duration, int users, double spawnRate) {
    }
}
