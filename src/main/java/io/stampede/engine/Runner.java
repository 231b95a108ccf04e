package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.events.EventLog;
import io.stampede.input.Authority;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link RunSpec}: its {@link LoadDriver} applies the load (in this process or in worker processes),
 * while this closes a statistics interval every second and hands it to the listeners, and stops on
 * run time, at the end of the stages, or on {@link #stop()}, with all results complete.
 */
public final class Runner {

    private static final System.Logger LOG = System.getLogger(Runner.class.getName());

    /** Statistics resolution: one interval per second, the unit of every chart and CSV row. */
    public static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    /** How often the closed model adjusts the number of users. */
    static final Duration SPAWN_TICK = Duration.ofMillis(10);
    /**
     * After the stop timeout, users still busy are interrupted and get this long to end; those still
     * running then are abandoned (counted, named, left to the process's exit). With the last
     * interval's writing, a run ends within run time + stop timeout + 1 s.
     */
    public static final Duration ABANDON_AFTER = Duration.ofMillis(900);

    /**
     * Where the users run when not in this process: {@code count} worker processes, each started as
     * {@code command} plus {@code --worker i/count} (see {@link Worker}).
     */
    public record Workers(List<String> command, int count) implements Workforce {
        public Workers {
            command = List.copyOf(command);
        }
    }

    /** Where the users run when not in this process: worker processes here, or workers on other machines. */
    public sealed interface Workforce permits Workers, Cluster {
        /** How many workers the load is split over at the start. */
        int count();
    }

    /**
     * Workers on other machines ({@code stampede worker}) that dial in to this coordinator over
     * WebSocket; the run starts when {@code expect} of them are ready (see {@link ClusterPool}).
     *
     * @param bindHost the address to listen on; anything but loopback needs a token
     * @param token    the shared secret a worker must present; null for none (loopback only)
     * @param scenario what the workers' users do: a Java file they are sent to compile, or the plan's users
     * @param events   where joins, refusals and losses of workers go (the run's timeline)
     * @param expectWait how long to wait for {@code expect} ready workers before giving up
     */
    public record Cluster(String bindHost, int bindPort, int expect, String token, Scenario scenario, EventLog events,
                          Duration expectWait) implements Workforce {

        /** How long a coordinator waits for its expected workers unless told ({@code --expect-workers-max-wait}). */
        public static final Duration DEFAULT_EXPECT_WAIT = Duration.ofSeconds(120);

        public Cluster(String bindHost, int bindPort, int expect, String token, Scenario scenario, EventLog events) {
            this(bindHost, bindPort, expect, token, scenario, events, DEFAULT_EXPECT_WAIT);
        }

        @Override
        public int count() {
            return expect;
        }

        /** The same cluster reporting to the run's timeline. */
        public Cluster withEvents(EventLog timeline) {
            return new Cluster(bindHost, bindPort, expect, token, scenario, timeline, expectWait);
        }

        /** The same cluster giving up on its expected workers after {@code wait}. */
        public Cluster waitingAtMost(Duration wait) {
            return new Cluster(bindHost, bindPort, expect, token, scenario, events, wait);
        }
    }

    /** The first stop asked for, with its moment. */
    private record StopRequest(RunEnd.Cause cause, String reason, long atNanos) {
    }

    private final RunSpec spec;
    private final List<UserType> types;
    private final List<RunListener> listeners;
    private final TaskErrors taskErrors = new TaskErrors();
    private final LoadDriver load;
    /** Dates the run: its start, and each statistics interval's end. Durations are measured with {@code System.nanoTime()}. */
    private final InstantSource clock;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Null while no stop was asked for. */
    private final AtomicReference<StopRequest> stopRequest = new AtomicReference<>();
    private volatile RunEnd end;
    /** The spawn rate last set while running; null while the plan's applies. */
    private volatile Double spawnRateSet;
    private volatile boolean resetRequested;
    /** How far into the schedule a worker that joined a running load starts. */
    private long joinedAtNanos;

    public Runner(RunSpec spec, List<UserType> types, List<RunListener> listeners) {
        this(spec, types, listeners, null);
    }

    /** @param workers where the users run, or null for this process */
    public Runner(RunSpec spec, List<UserType> types, List<RunListener> listeners, Workforce workers) {
        this(spec, types, listeners, workers, InstantSource.system());
    }

    /**
     * @param workers where the users run, or null for this process
     * @param clock   the run's wall clock (the timeline's, so intervals and events share one axis)
     */
    public Runner(RunSpec spec, List<UserType> types, List<RunListener> listeners, Workforce workers, InstantSource clock) {
        this.spec = spec;
        this.clock = clock;
        this.types = types.stream().map(t -> t.withTags(spec.tags(), spec.excludeTags())).toList();
        this.listeners = List.copyOf(listeners);
        for (UserType type : this.types) {
            if (type.tasks().stream().allMatch(t -> t.weight() == 0)) {
                throw new StampedeException.BadInput("user " + type.name() + " has no task to run"
                        + (spec.tags().isEmpty() && spec.excludeTags().isEmpty() ? "" : " with the given tags"));
            }
        }
        if (this.types.stream().allMatch(t -> t.weight() == 0)) {
            throw new StampedeException.BadInput("every user class has weight 0");
        }
        this.load = LoadDriver.of(spec, this.types, workers, taskErrors);
    }

    /**
     * Runs {@code slice} of the load, starting {@code joinedAt} into its schedule: a worker's part of a
     * coordinator's run. Call before {@link #run()}.
     */
    void slice(Segment slice, Duration joinedAt) {
        if (load instanceof LocalDriver local) {
            local.slice(slice, Duration.ZERO);
            local.joinAt(joinedAt);
            joinedAtNanos = joinedAt.toNanos();
        }
    }

    /** Takes {@code slice} of the load from {@code from} into the schedule on. */
    void reslice(Segment slice, Duration from) {
        if (load instanceof LocalDriver local) {
            local.slice(slice, from);
        }
    }

    /**
     * Decisions of the load wait, from now on, for the coordinator's promises of no earlier slice (a worker
     * of a coordinator; see {@link Slices}); the first reaches {@code until}.
     */
    void horizon(Duration until) {
        if (load instanceof LocalDriver local) {
            local.horizon(until);
        }
    }

    /** The coordinator promises no slice dated before {@code until} (its beat). */
    void promised(Duration until) {
        if (load instanceof LocalDriver local) {
            local.promised(until);
        }
    }

    /** Iterations the open model had to drop (no idle user, concurrency cap reached); 0 for the closed model. */
    public long droppedIterations() {
        return load.droppedIterations();
    }

    /** The networked workers of a {@code --master} run as they are now (safe from any thread); none otherwise. */
    public List<WorkerStatus> workers() {
        return load.workers();
    }

    /** Asks a running {@link #run()} to stop now, as interrupted; safe from any thread, e.g. a signal handler. */
    public void stop() {
        stop(RunEnd.Cause.INTERRUPTED, "");
    }

    /**
     * Asks a running {@link #run()} to stop now, saying why: {@code INTERRUPTED} (a signal, the
     * page's Stop) or {@code ABORTED} (a threshold). The first call's cause counts. Safe from any thread.
     */
    public void stop(RunEnd.Cause cause, String reason) {
        stopRequest.compareAndSet(null, new StopRequest(cause, reason, System.nanoTime()));
        stopSignal.countDown();
        if (load instanceof LocalDriver local) {
            local.releaseSlices(); // a decision waiting for the coordinator's promise: the run stops instead
        }
    }

    /** How the run ended, once {@link #run()} has returned (also when it threw); null before. */
    public RunEnd end() {
        return end;
    }

    /**
     * Moves the closed model to {@code users} at {@code spawnRate} users per second, from now to the
     * end of the run: the plan's stages no longer apply. Locust's "Edit" of a running test.
     *
     * @throws IllegalStateException for an open-model run, which has no user count to set
     * @throws IllegalArgumentException if users is negative or the rate not positive
     */
    public void changeUsers(int users, double spawnRate) {
        if (users < 0) {
            throw new IllegalArgumentException("users must be 0 or more, got " + users);
        }
        if (!(spawnRate > 0) || Double.isInfinite(spawnRate)) {
            throw new IllegalArgumentException("spawn rate must be a number above 0, got " + spawnRate);
        }
        load.changeUsers(new Spawner.Target(users, spawnRate));
        spawnRateSet = spawnRate;
    }

    /** The closed model's spawn rate now: the last one set, else the plan's (its first stage's). */
    public double spawnRate() {
        Double set = spawnRateSet;
        if (set != null) {
            return set;
        }
        if (spec.load() instanceof LoadModel.Closed closed) {
            return closed.stages().isEmpty() ? closed.spawnRate() : closed.stages().get(0).spawnRate();
        }
        return 0;
    }

    /**
     * Clears the totals (request table, failures, current rates) at the next statistics interval; the
     * per-second history, the SLOs and the events are kept. Locust's "Reset stats".
     */
    public void resetStats() {
        resetRequested = true;
    }

    public TaskErrors taskErrors() {
        return taskErrors;
    }

    /** Runs to the end (run time, end of stages, or {@link #stop()}) and returns the final statistics. */
    public RunStats run() {
        checkReachable(URI.create(spec.host()), spec.http().connectTimeout());
        try (load) {
            load.prepare(); // worker processes compile and get ready before the clock starts
            return runReady();
        }
    }

    private RunStats runReady() {
        RunInfo info = RunInfo.of(spec, clock.millis(), types.stream().map(UserType::name).toList());
        listeners.forEach(l -> l.onStart(info));
        // The clock starts once the listeners are ready, so the first interval is a whole second.
        long startMillis = clock.millis();
        long startNanos = System.nanoTime();
        boolean currentFigures = listeners.isEmpty() || listeners.stream().anyMatch(RunListener::readsCurrentFigures);
        RunStats stats = new RunStats(startMillis, currentFigures);
        load.begin(startMillis, clock);
        ScheduledExecutorService statsThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stampede-stats");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = STATS_INTERVAL.toMillis();
        ScheduledFuture<?> ticks = statsThread.scheduleAtFixedRate(() -> {
            IntervalStats interval = load.takeInterval(clock.millis(), false);
            if (resetRequested) {
                resetRequested = false;
                stats.resetTotals(interval.startEpochMillis());
            }
            publish(interval, stats);
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        try {
            load.drive(startNanos - joinedAtNanos, spec.runTime().map(d -> startNanos + d.toNanos()).orElse(Long.MAX_VALUE), stopSignal);
        } finally {
            long loopEndNanos = System.nanoTime();
            abandoned.addAll(load.stop());
            RunEnd runEnd = runEnd(startNanos, loopEndNanos, abandoned);
            end = runEnd;
            ticks.cancel(false);
            try {
                statsThread.submit(() -> finish(stats, runEnd)).get();
            } catch (Exception e) {
                throw new IllegalStateException("finishing the run failed", e);
            } finally {
                statsThread.shutdownNow();
            }
        }
        return stats;
    }

    /** The last interval, then every listener's onFinish, on the statistics thread after its last tick. */
    private void finish(RunStats stats, RunEnd runEnd) {
        publish(load.takeInterval(clock.millis(), true), stats);
        for (RunListener listener : listeners) {
            try {
                listener.onFinish(stats, runEnd);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, listener.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    /** Completed unless a stop came before the planned end; a stop after it changes nothing. */
    private RunEnd runEnd(long startNanos, long loopEndNanos, List<RunEnd.Abandoned> abandoned) {
        Optional<Duration> planned = spec.plannedLength();
        StopRequest stop = stopRequest.get();
        boolean early = stop != null && stop.atNanos() <= loopEndNanos
                && planned.map(p -> stop.atNanos() - startNanos < p.toNanos()).orElse(true);
        if (!early) {
            return new RunEnd(RunEnd.Cause.COMPLETED, "", Duration.ofNanos(loopEndNanos - startNanos), planned, abandoned);
        }
        return new RunEnd(stop.cause(), stop.reason(), Duration.ofNanos(Math.max(0, stop.atNanos() - startNanos)), planned, abandoned);
    }

    private void publish(IntervalStats interval, RunStats stats) {
        stats.add(interval);
        for (RunListener listener : listeners) {
            try {
                listener.onInterval(interval, stats);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, listener.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    /** A run against a host that refuses connections would only produce failures: say so and stop. */
    public static void checkReachable(URI host, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(Authority.of(host).socketAddress(), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new StampedeException.CannotRun("cannot reach " + host + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
