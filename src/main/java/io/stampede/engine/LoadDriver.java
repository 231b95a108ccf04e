package io.stampede.engine;

import io.stampede.stats.IntervalStats;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Where a run's load comes from: users looping in this process (the closed model), iterations
 * started on a clock in this process (the open model), or worker processes that run either model
 * and send what they measured (Locust's Local and Master runners). {@link Runner} owns the clock,
 * the statistics intervals and the listeners, and asks a driver only this; it never asks which
 * driver it has.
 *
 * <p>Calls come in this order: {@link #prepare()}, {@link #begin}, {@link #drive}, {@link #stop()},
 * {@link #close()}; {@link #takeInterval} from the statistics thread between begin and close,
 * {@link #changeUsers} from any thread while driving.
 */
sealed interface LoadDriver extends AutoCloseable permits LocalDriver, WorkersDriver {

    /** The driver for the plan's load model, in this process or, with {@code workers}, in theirs. */
    static LoadDriver of(RunSpec spec, List<UserType> types, Runner.Workforce workers, TaskErrors errors) {
        if (workers != null) {
            return new WorkersDriver(spec, workers, errors);
        }
        return switch (spec.load()) {
            case LoadModel.Closed closed -> new PopulationDriver(spec, closed, types, errors);
            case LoadModel.Open open -> new ArrivalDriver(spec, open, types, errors);
        };
    }

    /** Gets ready before the clock starts (worker processes start and compile the scenario); may throw. */
    default void prepare() {
    }

    /**
     * The clock started at {@code startEpochMillis} on {@code clock}, the run's wall clock: what is
     * measured from now belongs to the run.
     */
    void begin(long startEpochMillis, InstantSource clock);

    /**
     * Applies the load from {@code startNanos} until {@code endNanos}, the end of the model's stages,
     * or {@code stop}, whichever comes first; the users are still running when it returns.
     */
    void drive(long startNanos, long endNanos, CountDownLatch stop);

    /**
     * What was measured since the last call, up to {@code endEpochMillis}, with the users running
     * now; the {@code last} interval, after {@link #stop()}, counts none.
     */
    IntervalStats takeInterval(long endEpochMillis, boolean last);

    /** Users running now: the closed model's population, the open model's allocated users. */
    int users();

    /** The networked workers that make the load, as they are now; none when the load is made on this machine. */
    default List<WorkerStatus> workers() {
        return List.of();
    }

    /** Iterations the open model dropped (no idle user, the concurrency cap reached); 0 for the closed model. */
    long droppedIterations();

    /**
     * Moves the closed model to {@code target} from now to the run's end, in place of its stages.
     *
     * @throws IllegalStateException for the open model, which has no user count
     */
    void changeUsers(Spawner.Target target);

    /**
     * Stops every user within the plan's stop timeout and {@link Runner#ABANDON_AFTER}; returns
     * those still running then, abandoned, by class and task.
     */
    List<RunEnd.Abandoned> stop();

    /** Releases what the driver holds beyond its users (threads, processes); safe to call twice. */
    @Override
    default void close() {
    }

    /** The open model's refusal of a user count, one message for every driver. */
    static IllegalStateException noUserCount() {
        return new IllegalStateException("this run uses the open model (arrival rate): it has no user count to change");
    }
}
