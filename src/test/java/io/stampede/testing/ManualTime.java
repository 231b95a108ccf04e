package io.stampede.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when a test says so, and a scheduler on it: tasks run on the test's thread,
 * in time order, when {@link #advance} reaches them. Code that takes an {@link InstantSource} and a
 * {@link ScheduledExecutorService} is then tested for timing without sleeping:
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * engine = new ChaosEngine(schedule, targets, events, random, time, time);
 * engine.start();
 * time.advance(Duration.ofMillis(199));   // runs every task due by then, and those they schedule
 * }</pre>
 *
 * A task sees the clock at its own due time; a task may move the clock itself (to model work that
 * takes time). Not thread-safe beyond that: one test thread drives it.
 */
public final class ManualTime extends AbstractExecutorService implements ScheduledExecutorService, InstantSource {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;

    /** The clock starts at this instant, so events have plausible dates. */
    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public synchronized Instant instant() {
        return ORIGIN.plusNanos(nowNanos);
    }

    /** Time since the start. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    /** Moves the clock by {@code step}, running every task due by then (including ones they schedule) at its due time. */
    public void advance(Duration step) {
        long until;
        synchronized (this) {
            until = nowNanos + step.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNanos > until) {
                    nowNanos = Math.max(nowNanos, until);
                    return;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.dueNanos);
            }
            next.runOnce();
        }
    }

    /** Moves the clock forward without running anything: time a task spends working. */
    public synchronized void spend(Duration work) {
        nowNanos += work.toNanos();
    }

    /** Tasks waiting for their time. */
    public synchronized int pending() {
        return queue.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(this, Executors.callable(command, null), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(this, callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(this, Executors.callable(command, null), unit.toNanos(initialDelay),
                unit.toNanos(period)));
    }

    /** Same as a fixed rate here: tasks take no time unless they {@link #spend} it. */
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        task.dueNanos = nowNanos + Math.max(0, task.dueNanos);
        task.order = sequence++;
        queue.add(task);
        return task;
    }

    private synchronized void requeue(Task<?> task) {
        task.dueNanos += task.periodNanos;
        task.order = sequence++;
        queue.add(task);
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        queue.removeIf(t -> t.periodNanos > 0);
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    /** Nothing runs unless the test advances the clock: returns at once. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** A task due at a point on the manual clock; periodic ones come back {@code periodNanos} later. */
    private static final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final ManualTime time;
        private final long periodNanos;
        long dueNanos;
        long order;

        Task(ManualTime time, Callable<V> callable, long delayNanos, long periodNanos) {
            super(callable);
            this.time = time;
            this.dueNanos = delayNanos;
            this.periodNanos = periodNanos;
        }

        /** Runs the task; a task that throws fails the test here, where the clock was advanced. */
        void runOnce() {
            if (periodNanos == 0) {
                run();
            } else if (runAndReset() && !isCancelled()) {
                time.requeue(this);
                return;
            }
            Throwable failure = failure();
            if (failure != null) {
                throw new AssertionError("a scheduled task failed at " + Duration.ofNanos(dueNanos), failure);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            time.remove(this);
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            long now;
            synchronized (time) {
                now = time.nowNanos;
            }
            return unit.convert(dueNanos - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byTime = Long.compare(dueNanos, that.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }

        private Throwable failure() {
            try {
                get(0, TimeUnit.NANOSECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (Exception cancelledOrNotDone) {
                return null;
            }
        }
    }
}
