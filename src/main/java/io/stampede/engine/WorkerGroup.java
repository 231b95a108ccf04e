package io.stampede.engine;

import io.stampede.stats.IntervalStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The workers a {@link WorkersDriver} drives: processes it started on this machine ({@link WorkerPool})
 * or workers that dialled in over the network ({@link ClusterPool}). Each gets its share of the load
 * and sends its statistics each second; the group merges them.
 */
sealed interface WorkerGroup extends AutoCloseable permits WorkerPool, ClusterPool {

    /** Starts every worker's run on its part of {@code load}. */
    void go(String host, LoadModel load, Optional<Duration> runTime);

    /** Moves the closed model to {@code users} in all, split as the load was. */
    void changeUsers(int users, double spawnRate);

    /** Everything the workers sent since the last call, as one interval from {@code startMillis} to {@code endMillis}. */
    IntervalStats takeInterval(long startMillis, long endMillis);

    int users();

    /** The workers as they are now, for the page and the results; none for processes of this machine. */
    default List<WorkerStatus> workers() {
        return List.of();
    }

    /** Whether every worker's run is over (its stages ended, or it is gone). */
    boolean allDone();

    /**
     * Tells every worker to stop and waits up to {@code wait} for their last intervals; returns the
     * users they abandoned, and a worker that did not say it was done in time as abandoned whole.
     */
    List<RunEnd.Abandoned> stop(Duration wait);

    /** Ends what the group holds (processes, connections); safe to call twice. */
    @Override
    void close();
}
