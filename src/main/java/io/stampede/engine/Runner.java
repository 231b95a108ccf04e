package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.api.User;
import io.stampede.http.UserHttpSession;
import io.stampede.plan.Plan;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import io.stampede.stats.StatsRecorder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a plan: spawns users on virtual threads by the load model, closes a statistics interval
 * every second and hands it to the listeners, and stops on run time or on {@link #stop()} with all
 * results complete.
 */
public final class Runner {

    /** Statistics resolution: one interval per second, the unit of every chart and CSV row. */
    public static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    /** How often the spawner adjusts the number of users. */
    static final Duration SPAWN_TICK = Duration.ofMillis(10);
    /**
     * After the stop timeout, users still busy are interrupted and get this long to end; those still
     * running then are abandoned (counted, named, left to the process's exit). With the last
     * interval's writing, a run ends within run time + stop timeout + 1 s.
     */
    public static final Duration ABANDON_AFTER = Duration.ofMillis(900);
    /** Beyond a worker's own stop bound, how long the coordinator waits for it to say it is done. */
    static final Duration WORKER_DONE_SLACK = Duration.ofMillis(500);

    /**
     * Where the users run when not in this process: {@code count} worker processes, each started as
     * {@code command} plus {@code --worker i/count} (see {@link Worker}).
     */
    public record Workers(List<String> command, int count) {
        public Workers {
            command = List.copyOf(command);
        }
    }

    private final Plan plan;
    private final Workers workers;
    private volatile WorkerPool pool;
    private volatile long workersDropped;
    private final List<UserType> types;
    private final List<RunListener> listeners;
    private final TaskErrors taskErrors = new TaskErrors();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** The first stop asked for, with its moment; null while none was. */
    private final java.util.concurrent.atomic.AtomicReference<StopRequest> stopRequest = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile RunEnd end;

    private record StopRequest(RunEnd.Cause cause, String reason, long atNanos) {
    }
    private final AtomicInteger userCount = new AtomicInteger();
    private final List<Deque<UserLoop>> runningByType = new ArrayList<>();
    /** Every user started and not yet ended, for the final stop to wait on. */
    private final java.util.Set<UserLoop> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Ends the users' waits between tasks (see {@link UserLoop}); made when the closed model starts. */
    private java.util.concurrent.ScheduledThreadPoolExecutor waits;
    private long userSerial;
    private volatile ArrivalDriver arrivals;
    /** A population set while running (web UI, API); replaces the plan's schedule from then on. */
    private volatile Spawner.Target override;
    private volatile boolean resetRequested;

    /** Users running now: the closed model's population, or the open model's allocated users. */
    private int users() {
        WorkerPool remote = pool;
        if (remote != null) {
            return remote.users();
        }
        ArrivalDriver open = arrivals;
        return open != null ? open.users() : userCount.get();
    }

    /** Iterations the open model had to drop (no idle user, concurrency cap reached); 0 for the closed model. */
    public long droppedIterations() {
        if (workers != null) {
            return workersDropped;
        }
        ArrivalDriver open = arrivals;
        return open == null ? 0 : open.dropped();
    }

    public Runner(Plan plan, List<UserType> types, List<RunListener> listeners) {
        this(plan, types, listeners, null);
    }

    /** @param workers where the users run, or null for this process */
    public Runner(Plan plan, List<UserType> types, List<RunListener> listeners, Workers workers) {
        this.plan = plan;
        this.workers = workers;
        this.types = types.stream().map(t -> t.withTags(plan.tags(), plan.excludeTags())).toList();
        this.listeners = List.copyOf(listeners);
        for (UserType type : this.types) {
            if (type.tasks().stream().allMatch(t -> t.weight() == 0)) {
                throw new StampedeException.BadInput("user " + type.name() + " has no task to run"
                        + (plan.tags().isEmpty() && plan.excludeTags().isEmpty() ? "" : " with the given tags"));
            }
            runningByType.add(new ArrayDeque<>());
        }
        if (this.types.stream().allMatch(t -> t.weight() == 0)) {
            throw new StampedeException.BadInput("every user class has weight 0");
        }
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
    }

    /** How the run ended, once {@link #run()} has returned (also when it threw); null before. */
    public RunEnd end() {
        return end;
    }

    /** The planned length: the run time, else the stages' total; empty for an open-ended run. */
    private java.util.Optional<Duration> plannedLength() {
        if (plan.runTime().isPresent()) {
            return plan.runTime();
        }
        Duration stages = switch (plan.load()) {
            case LoadModel.Closed closed -> closed.stagesDuration();
            case LoadModel.Open open -> open.stagesDuration();
        };
        return stages.isZero() ? java.util.Optional.empty() : java.util.Optional.of(stages);
    }

    /**
     * Moves the closed model to {@code users} at {@code spawnRate} users per second, from now to the
     * end of the run: the plan's stages no longer apply. Locust's "Edit" of a running test.
     *
     * @throws IllegalStateException for an open-model run, which has no user count to set
     * @throws IllegalArgumentException if users is negative or the rate not positive
     */
    public void changeUsers(int users, double spawnRate) {
        if (plan.load() instanceof LoadModel.Open) {
            throw new IllegalStateException("this run uses the open model (arrival rate): it has no user count to change");
        }
        if (users < 0) {
            throw new IllegalArgumentException("users must be 0 or more, got " + users);
        }
        if (!(spawnRate > 0) || Double.isInfinite(spawnRate)) {
            throw new IllegalArgumentException("spawn rate must be a number above 0, got " + spawnRate);
        }
        override = new Spawner.Target(users, spawnRate);
        WorkerPool remote = pool;
        if (remote != null) {
            remote.changeUsers(users, spawnRate);
        }
    }

    /** The closed model's spawn rate now: the last one set, else the plan's (its first stage's). */
    public double spawnRate() {
        Spawner.Target set = override;
        if (set != null) {
            return set.ratePerSecond();
        }
        if (plan.load() instanceof LoadModel.Closed closed) {
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
        URI host = URI.create(plan.host());
        checkReachable(host, plan.http().connectTimeout());
        // Workers compile and get ready before the clock starts.
        WorkerPool remote = workers == null ? null : WorkerPool.start(workers.command(), workers.count(), taskErrors);
        pool = remote;
        try {
            return runReady(host, remote);
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }

    private RunStats runReady(URI host, WorkerPool remote) {
        RunInfo info = new RunInfo(plan, System.currentTimeMillis(), types.stream().map(UserType::name).toList());
        listeners.forEach(l -> l.onStart(info));
        // The clock starts once the listeners are ready, so the first interval is a whole second.
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        StatsRecorder recorder = new StatsRecorder(startMillis);
        RunStats stats = new RunStats(startMillis);
        arrivals = remote == null && plan.load() instanceof LoadModel.Open
                ? new ArrivalDriver(plan, types, host, recorder, taskErrors) : null;
        long[] intervalStart = {startMillis};

        ScheduledExecutorService statsThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stampede-stats");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = STATS_INTERVAL.toMillis();
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        ScheduledFuture<?> ticks = statsThread.scheduleAtFixedRate(() -> {
            IntervalStats interval = take(remote, recorder, intervalStart, users());
            if (resetRequested) {
                resetRequested = false;
                stats.resetTotals(interval.startEpochMillis());
            }
            publish(interval, stats);
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        try {
            long end = plan.runTime().map(d -> startNanos + d.toNanos()).orElse(Long.MAX_VALUE);
            if (remote != null) {
                runWorkers(remote, end);
            } else if (arrivals != null) {
                arrivals.run(startNanos, end, stopSignal);
            } else {
                waits = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                        Thread.ofPlatform().name("stampede-waits").daemon().factory());
                waits.setRemoveOnCancelPolicy(true);
                spawnUntilDone(host, recorder, startNanos);
            }
        } finally {
            long loopEndNanos = System.nanoTime();
            if (remote != null) {
                // a worker stops its users within its stop timeout and ABANDON_AFTER, then says so
                abandoned.addAll(remote.stop(plan.stopTimeout().plus(ABANDON_AFTER).plus(WORKER_DONE_SLACK)));
            } else if (arrivals != null) {
                abandoned.addAll(arrivals.stop(plan.stopTimeout(), ABANDON_AFTER));
            } else if (waits != null) {
                abandoned.addAll(stopAllUsers());
                waits.shutdownNow();
            }
            RunEnd runEnd = runEnd(startNanos, loopEndNanos, abandoned);
            end = runEnd;
            ticks.cancel(false);
            try {
                statsThread.submit(() -> {
                    publish(take(remote, recorder, intervalStart, 0), stats);
                    for (RunListener listener : listeners) {
                        try {
                            listener.onFinish(stats, runEnd);
                        } catch (RuntimeException e) {
                            System.err.println("stampede: " + listener.getClass().getSimpleName() + " failed: " + e);
                        }
                    }
                }).get();
            } catch (Exception e) {
                throw new IllegalStateException("finishing the run failed", e);
            } finally {
                statsThread.shutdownNow();
            }
        }
        return stats;
    }

    /** Completed unless a stop came before the planned end; a stop after it changes nothing. */
    private RunEnd runEnd(long startNanos, long loopEndNanos, List<RunEnd.Abandoned> abandoned) {
        java.util.Optional<Duration> planned = plannedLength();
        StopRequest stop = stopRequest.get();
        boolean early = stop != null && stop.atNanos() <= loopEndNanos
                && planned.map(p -> stop.atNanos() - startNanos < p.toNanos()).orElse(true);
        if (!early) {
            return new RunEnd(RunEnd.Cause.COMPLETED, "", Duration.ofNanos(loopEndNanos - startNanos), planned, abandoned);
        }
        return new RunEnd(stop.cause(), stop.reason(), Duration.ofNanos(Math.max(0, stop.atNanos() - startNanos)), planned, abandoned);
    }

    /** The interval that just ended: this process's recorder, or what the workers sent. */
    private IntervalStats take(WorkerPool remote, StatsRecorder recorder, long[] intervalStart, int users) {
        long now = System.currentTimeMillis();
        if (remote == null) {
            return recorder.takeInterval(now, users);
        }
        IntervalStats interval = remote.takeInterval(intervalStart[0], now);
        intervalStart[0] = now;
        workersDropped += interval.droppedIterations();
        return interval;
    }

    /** Starts the workers on their parts of the load and waits for the end: run time, stop, or all done. */
    private void runWorkers(WorkerPool remote, long endNanos) {
        remote.go(plan.host(), plan.load(), plan.runTime());
        try {
            while (System.nanoTime() < endNanos && !remote.allDone()) {
                long waitNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(50), endNanos - System.nanoTime());
                if (waitNanos > 0 && stopSignal.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(IntervalStats interval, RunStats stats) {
        stats.add(interval);
        for (RunListener listener : listeners) {
            try {
                listener.onInterval(interval, stats);
            } catch (RuntimeException e) {
                System.err.println("stampede: " + listener.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    private void spawnUntilDone(URI host, StatsRecorder recorder, long startNanos) {
        LoadModel.Closed model = (LoadModel.Closed) plan.load();
        Spawner spawner = new Spawner(model);
        long endNanos = plan.runTime().map(d -> startNanos + d.toNanos()).orElse(Long.MAX_VALUE);
        double tickSeconds = SPAWN_TICK.toNanos() / 1e9;
        while (true) {
            long now = System.nanoTime();
            if (now >= endNanos) {
                return;
            }
            Spawner.Target set = override;
            Spawner.Target target = set != null ? set : spawner.targetAt(Duration.ofNanos(now - startNanos));
            if (target == null) {
                return;
            }
            int change = spawner.step(target, userCount.get(), tickSeconds);
            for (int i = 0; i < change; i++) {
                startUser(host, recorder);
            }
            for (int i = 0; i > change; i--) {
                stopOneUser();
            }
            try {
                long waitNanos = Math.min(SPAWN_TICK.toNanos(), endNanos - System.nanoTime());
                if (waitNanos > 0 && stopSignal.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startUser(URI host, StatsRecorder recorder) {
        int typeIndex = nextTypeToStart();
        UserType type = types.get(typeIndex);
        User user;
        try {
            user = type.factory().get();
        } catch (RuntimeException e) {
            taskErrors.record(type.name(), "<constructor>", e.getCause() == null ? e : e.getCause());
            return;
        }
        UserLoop loop = new UserLoop(type, user, new UserHttpSession(host, plan.http(), recorder), taskErrors,
                waits, type.name() + "-" + (++userSerial), live::remove);
        runningByType.get(typeIndex).addLast(loop);
        userCount.incrementAndGet();
        live.add(loop);
        loop.start();
    }

    private void stopOneUser() {
        int typeIndex = nextTypeToStop();
        UserLoop loop = runningByType.get(typeIndex).pollLast();
        if (loop != null) {
            loop.stop(true);
            userCount.decrementAndGet();
        }
    }

    /** The type furthest below its weighted share, so 100 users at weights 3:1 are exactly 75 and 25. */
    private int nextTypeToStart() {
        int total = userCount.get() + 1;
        return mostOff(total, +1);
    }

    private int nextTypeToStop() {
        return mostOff(userCount.get() - 1, -1);
    }

    private int mostOff(int population, int sign) {
        int weightSum = types.stream().mapToInt(UserType::weight).sum();
        int best = -1;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).weight() == 0 || (sign < 0 && runningByType.get(i).isEmpty())) {
                continue;
            }
            double share = (double) population * types.get(i).weight() / weightSum;
            double gap = sign * (share - runningByType.get(i).size());
            if (gap > bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        return best;
    }

    /**
     * Stops every user: at once with no stop timeout, else each may finish its task for up to the
     * stop timeout; then the busy ones are interrupted, and those still running after
     * {@link #ABANDON_AFTER} are abandoned and returned, by class and task.
     */
    private List<RunEnd.Abandoned> stopAllUsers() {
        boolean now = plan.stopTimeout().isZero();
        for (Deque<UserLoop> running : runningByType) {
            running.forEach(loop -> loop.stop(now));
        }
        if (!now && !awaitUsers(System.nanoTime() + plan.stopTimeout().toNanos())) {
            live.forEach(loop -> loop.stop(true)); // busy past the stop timeout: cut off mid-task
        }
        awaitUsers(System.nanoTime() + ABANDON_AFTER.toNanos());
        runningByType.forEach(Deque::clear);
        userCount.set(0);
        java.util.Map<List<String>, Integer> busy = new java.util.TreeMap<>(java.util.Comparator.comparing(Object::toString));
        for (UserLoop loop : List.copyOf(live)) {
            busy.merge(List.of(loop.typeName(), loop.doing()), 1, Integer::sum);
        }
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        busy.forEach((key, n) -> abandoned.add(new RunEnd.Abandoned(key.get(0), key.get(1), n)));
        return abandoned;
    }

    /** Waits until every user has ended or {@code deadlineNanos} passed; true if all ended. */
    private boolean awaitUsers(long deadlineNanos) {
        for (UserLoop loop : List.copyOf(live)) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left <= 0 || !loop.awaitEnd(Duration.ofNanos(left))) {
                    return live.isEmpty();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live.isEmpty();
            }
        }
        return true;
    }

    /** A run against a host that refuses connections would only produce failures: say so and stop. */
    public static void checkReachable(URI host, Duration timeout) {
        int port = host.getPort() >= 0 ? host.getPort() : "https".equals(host.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host.getHost(), port), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new StampedeException.CannotRun("cannot reach " + host + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
