package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's side of a run spread over worker processes (Locust's {@code --processes}): starts
 * them, hands each its part of the load, merges what they measured into one interval a second, and
 * stops them. Each worker is this program again with {@code --worker i/n}; the lines they exchange
 * are {@link WorkerProtocol}'s. A worker whose coordinator dies sees its input end and stops.
 */
final class WorkerPool implements WorkerGroup {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    /** How often the start looks at the workers not yet ready. */
    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final List<Worker> workers = new ArrayList<>();
    private final TaskErrors errors;

    private static final class Worker implements WorkerStops.Stopping {
        final int index;
        final Process process;
        final Writer input;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final ConcurrentLinkedQueue<IntervalStats> intervals = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<RunEnd.Abandoned> abandoned = new ConcurrentLinkedQueue<>();
        volatile int users;
        /** Why this worker cannot take part (another protocol version), once known; null otherwise. */
        volatile String refused;
        /** Its CPU time when it last made progress towards ready, and when that was (System.nanoTime). */
        private Duration progressCpu = Duration.ZERO;
        private long progressAt = System.nanoTime();

        Worker(int index, Process process) {
            this.index = index;
            this.process = process;
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public CountDownLatch stopped() {
            return done;
        }

        @Override
        public RunEnd.Abandoned late() {
            return new RunEnd.Abandoned("worker process " + (index + 1), "(did not stop in time)", users);
        }

        @Override
        public Collection<RunEnd.Abandoned> abandoned() {
            return abandoned;
        }

        /**
         * Why this worker, not yet ready, should no longer be waited for under {@code limits}: it
         * ended, stopped making progress, or used its CPU budget; null while it is still on its way.
         */
        String notReady(ReadyLimits limits, long now) {
            if (!process.isAlive()) {
                return "ended with exit code " + process.exitValue() + " before it was ready";
            }
            Optional<Duration> cpu = process.toHandle().info().totalCpuDuration();
            if (cpu.isPresent() && cpu.get().compareTo(limits.cpuBudget()) >= 0) {
                return "was not ready after " + limits.cpuBudget().toSeconds() + " s of CPU time";
            }
            if (cpu.isPresent() && cpu.get().minus(progressCpu).compareTo(limits.progressCpu()) >= 0) {
                progressCpu = cpu.get();
                progressAt = now;
            }
            if (now - progressAt < limits.stall().toNanos()) {
                return null;
            }
            return cpu.isEmpty() ? "was not ready within " + limits.stall().toSeconds() + " s"
                    : "was not ready and used less than " + limits.progressCpu().toMillis() + " ms of CPU in the last "
                    + limits.stall().toSeconds() + " s: it looks hung";
        }

        synchronized void send(String line) {
            try {
                input.write(line);
                input.write('\n');
                input.flush();
            } catch (IOException gone) {
                // the worker ended; its reader notices
            }
        }
    }

    private WorkerPool(TaskErrors errors) {
        this.errors = errors;
    }

    /**
     * Starts {@code count} workers, {@code command} plus {@code --worker i/count} each, and waits until
     * all are ready, for as long as each makes progress ({@link ReadyLimits#DEFAULT}).
     *
     * @throws StampedeException.CannotRun when one cannot start, ends before it is ready (its own
     *                                     message went to stderr, which workers share with us), looks
     *                                     hung or uses its CPU budget first
     */
    static WorkerPool start(List<String> command, int count, TaskErrors errors) {
        return start(command, count, errors, ReadyLimits.DEFAULT);
    }

    static WorkerPool start(List<String> command, int count, TaskErrors errors, ReadyLimits limits) {
        WorkerPool pool = new WorkerPool(errors);
        try {
            for (int i = 0; i < count; i++) {
                List<String> args = new ArrayList<>(command);
                args.add("--worker");
                args.add(i + "/" + count);
                Process process = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Worker worker = new Worker(i, process);
                pool.workers.add(worker);
                Thread.ofPlatform().daemon().name("stampede-worker-" + i).start(() -> pool.read(worker));
            }
            // every worker is watched on each round, so one that is slow to start does not hide another that hangs
            List<Worker> waiting = new ArrayList<>(pool.workers);
            while (!waiting.isEmpty()) {
                waiting.get(0).ready.await(READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                for (Worker worker : pool.workers) {
                    String why = worker.refused != null ? worker.refused
                            : worker.ready.getCount() == 0 ? null : worker.notReady(limits, now);
                    if (why != null) {
                        throw new StampedeException.CannotRun("worker process " + (worker.index + 1) + " of " + count + " " + why);
                    }
                }
                waiting.removeIf(w -> w.ready.getCount() == 0);
            }
            return pool;
        } catch (IOException e) {
            pool.close();
            throw new StampedeException.CannotRun("cannot start a worker process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            pool.close();
            Thread.currentThread().interrupt();
            throw new StampedeException.CannotRun("interrupted while the worker processes started");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private void read(Worker worker) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(worker.process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                WorkerProtocol.Message message;
                try {
                    message = WorkerProtocol.read(line);
                } catch (IOException notProtocol) {
                    if (worker.ready.getCount() > 0 && line.startsWith("{")) { // JSON, but not ours: another version
                        worker.refused = "does not speak worker protocol " + WorkerProtocol.VERSION + " (it said " + line
                                + "): run the same version of Stampede on both";
                        worker.ready.countDown();
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "worker " + (worker.index + 1) + ": " + line);
                    continue;
                }
                switch (message) {
                    case WorkerProtocol.Interval i -> {
                        IntervalStats interval = IntervalCodec.decode(i.interval());
                        worker.users = interval.users();
                        worker.intervals.add(interval);
                        errors.remote(worker.index, i.errors() == null ? Map.of() : new TreeMap<>(i.errors()));
                    }
                    case WorkerProtocol.Ready r -> {
                        if (r.protocol() != WorkerProtocol.VERSION) {
                            worker.refused = "speaks worker protocol " + r.protocol() + ", this coordinator "
                                    + WorkerProtocol.VERSION + ": run the same version of Stampede on both";
                        }
                        worker.ready.countDown();
                    }
                    case WorkerProtocol.Done d -> {
                        worker.abandoned.addAll(d.abandoned() == null ? List.of() : d.abandoned());
                        worker.done.countDown();
                    }
                    case WorkerProtocol.Hello h -> {
                        // only a networked worker says these
                    }
                    case WorkerProtocol.Heartbeat h -> {
                    }
                    case WorkerProtocol.ToWorker t ->
                            LOG.log(System.Logger.Level.WARNING, "worker " + (worker.index + 1) + " sent a coordinator's message: " + line);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "worker " + (worker.index + 1) + ": " + e.getMessage());
        } finally {
            worker.done.countDown();
            worker.users = 0;
        }
    }

    /** Starts every worker's run on its segment of {@code load}. */
    @Override
    public void go(String host, LoadModel load, Optional<Duration> runTime) {
        for (Worker worker : workers) {
            worker.send(WorkerProtocol.line(WorkerProtocol.go(host, load, runTime, Segment.of(worker.index, workers.size()),
                    Duration.ZERO)));
        }
    }

    /** Moves the closed model to {@code users} in all: each worker takes its segment's part. */
    @Override
    public void changeUsers(int users, double spawnRate) {
        for (Worker worker : workers) {
            worker.send(WorkerProtocol.line(new WorkerProtocol.Users(users, spawnRate)));
        }
    }

    /** Everything the workers sent since the last call, as one interval from {@code startMillis} to {@code endMillis}. */
    @Override
    public IntervalStats takeInterval(long startMillis, long endMillis) {
        IntervalStats merged = new IntervalStats(startMillis, endMillis, 0, Map.of(), Map.of());
        int users = 0;
        for (Worker worker : workers) {
            for (IntervalStats interval; (interval = worker.intervals.poll()) != null; ) {
                merged = merged.merge(interval);
            }
            users += worker.users;
        }
        return new IntervalStats(startMillis, endMillis, users, merged.entries(), merged.failures(), merged.droppedIterations(),
                merged.slots());
    }

    @Override
    public int users() {
        return workers.stream().mapToInt(w -> w.users).sum();
    }

    /** Whether every worker's run is over (its stages ended, or it died). */
    @Override
    public boolean allDone() {
        return workers.stream().allMatch(w -> w.done.getCount() == 0);
    }

    /**
     * Tells every worker to stop and waits up to {@code wait} for their last intervals; returns the
     * users they abandoned, and a worker that did not say it was done in time as abandoned whole.
     */
    @Override
    public List<RunEnd.Abandoned> stop(Duration wait) {
        workers.forEach(w -> w.send(WorkerProtocol.line(new WorkerProtocol.Stop())));
        return WorkerStops.await(workers, wait);
    }

    /** Ends every worker still running, by its PID. */
    @Override
    public void close() {
        for (Worker worker : workers) {
            try {
                worker.input.close();
            } catch (IOException ignored) {
                // already gone
            }
            if (worker.process.isAlive()) {
                worker.process.destroy();
            }
        }
        for (Worker worker : workers) {
            try {
                if (!worker.process.waitFor(2, TimeUnit.SECONDS)) {
                    worker.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                worker.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
