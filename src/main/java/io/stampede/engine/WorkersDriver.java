package io.stampede.engine;

import io.stampede.stats.IntervalStats;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Either model run by workers: processes on this machine ({@code --processes N}, {@link WorkerPool})
 * or on others that dialled in ({@code --master}, {@link ClusterPool}); each gets its share of the
 * load, and what they measure is merged into one interval a second.
 */
final class WorkersDriver implements LoadDriver {

    /**
     * Beyond a worker's own stop bound, how long the coordinator waits for it to say it is done. A
     * saturated worker's last word can take seconds (heartbeats tolerate 15 s of silence for the same
     * reason); a worker whose connection or pipe closes is not waited for, so only a hung one costs this.
     */
    static final Duration WORKER_DONE_SLACK = Duration.ofSeconds(5);
    /** How often the coordinator looks whether every worker's run is over. */
    private static final long DONE_POLL_MILLIS = 50;

    private final RunSpec spec;
    private final Runner.Workforce workers;
    private final TaskErrors errors;
    private volatile WorkerGroup pool;
    private long intervalStartMillis;
    private volatile long dropped;

    WorkersDriver(RunSpec spec, Runner.Workforce workers, TaskErrors errors) {
        this.spec = spec;
        this.workers = workers;
        this.errors = errors;
    }

    /** Starts the workers; each compiles the scenario and says it is ready before the clock starts. */
    @Override
    public void prepare() {
        pool = switch (workers) {
            case Runner.Workers local -> WorkerPool.start(local.command(), local.count(), errors);
            case Runner.Cluster cluster -> ClusterPool.start(spec, cluster, errors);
        };
    }

    @Override
    public void begin(long startEpochMillis, InstantSource clock) {
        intervalStartMillis = startEpochMillis;
    }

    /** What the workers sent; their own count of users, also in the last interval. */
    @Override
    public IntervalStats takeInterval(long endEpochMillis, boolean last) {
        IntervalStats interval = pool.takeInterval(intervalStartMillis, endEpochMillis);
        intervalStartMillis = endEpochMillis;
        dropped += interval.droppedIterations();
        return interval;
    }

    @Override
    public int users() {
        WorkerGroup started = pool;
        return started == null ? 0 : started.users();
    }

    @Override
    public List<WorkerStatus> workers() {
        WorkerGroup started = pool;
        return started == null ? List.of() : started.workers();
    }

    @Override
    public long droppedIterations() {
        return dropped;
    }

    @Override
    public void changeUsers(Spawner.Target target) {
        if (spec.load() instanceof LoadModel.Open) {
            throw LoadDriver.noUserCount();
        }
        pool.changeUsers(target.users(), target.ratePerSecond());
    }

    /** Starts the workers on their parts of the load and waits for the end: run time, stop, or all done. */
    @Override
    public void drive(long startNanos, long endNanos, CountDownLatch stop) {
        pool.go(spec.host(), spec.load(), spec.runTime());
        try {
            while (System.nanoTime() < endNanos && !pool.allDone()) {
                long waitNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(DONE_POLL_MILLIS), endNanos - System.nanoTime());
                if (waitNanos > 0 && stop.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker stops its users within its stop timeout and {@link Runner#ABANDON_AFTER}, then says so. */
    @Override
    public List<RunEnd.Abandoned> stop() {
        return pool.stop(spec.stopTimeout().plus(Runner.ABANDON_AFTER).plus(WORKER_DONE_SLACK));
    }

    /** Ends every worker still running. */
    @Override
    public void close() {
        WorkerGroup started = pool;
        if (started != null) {
            started.close();
        }
    }
}
