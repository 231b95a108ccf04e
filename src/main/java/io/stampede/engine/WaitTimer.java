package io.stampede.engine;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Ends the users' waits between tasks: one platform thread, and nothing allocated per wait.
 *
 * <p>Why not a {@code ScheduledExecutorService}: each {@code schedule} makes a task, its adapter
 * and a method reference (~110 bytes), which live as long as the wait (seconds) and so are
 * promoted to the old generation, where they die: at 100,000 waiting users that was most of what a
 * worker promoted after its ramp, and what brought its full collections (README, "Waiting users and
 * the old generation"). Here each user owns one {@link Wake}, set again for each wait, in the JDK's
 * {@link DelayQueue} (a heap in an array: no node a wait).
 *
 * <p>A cancelled wake is not taken out of the queue (that is a linear search under the queue's lock,
 * and a ramp-down cancels thousands): it forgets its action, so the user it belonged to is not kept,
 * and is dropped when its time comes.
 */
final class WaitTimer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WaitTimer.class.getName());

    /** One user's wake, reused for each of its waits; in the queue at most once at a time. */
    static final class Wake implements Delayed {
        private volatile Runnable action;
        private long deadline;
        private volatile boolean queued;

        private Wake(Runnable action) {
            this.action = action;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(deadline - ((Wake) other).deadline, 0); // nanoTime values compare by their difference
        }
    }

    private final DelayQueue<Wake> queue = new DelayQueue<>();
    private final String threadName;
    /** Started by the first wait, so that a run that never waits (or never starts) has no thread to end. */
    private Thread thread;
    private volatile boolean started;
    private volatile boolean closed;

    WaitTimer(String threadName) {
        this.threadName = threadName;
    }

    /** A wake that runs {@code action} on this timer's thread when set and due; the action should only hand off. */
    Wake wake(Runnable action) {
        return new Wake(action);
    }

    /**
     * Runs the wake's action in {@code nanos}; false, and nothing set, once the timer is closed.
     *
     * @throws IllegalStateException if the wake is already set
     */
    boolean set(Wake wake, long nanos) {
        if (wake.queued) {
            throw new IllegalStateException("a wake is set again before it fired");
        }
        if (!started) {
            start();
        }
        if (closed) {
            return false;
        }
        wake.deadline = System.nanoTime() + nanos; // before the offer, whose lock publishes it to the thread
        wake.queued = true;
        queue.offer(wake);
        if (closed) { // closed meanwhile: the thread may have gone without it
            queue.remove(wake);
            return false;
        }
        return true;
    }

    private synchronized void start() {
        if (!started && !closed) {
            thread = Thread.ofPlatform().name(threadName).daemon().start(this::fire);
            started = true;
        }
    }

    /** The wake's action will not run, now or ever; it stays in the queue, holding nothing, until due. */
    void cancel(Wake wake) {
        wake.action = null;
    }

    private void fire() {
        while (!closed) {
            Wake due;
            try {
                due = queue.take();
            } catch (InterruptedException closing) {
                return;
            }
            due.queued = false; // before the action: it may set the wake again at once
            Runnable action = due.action;
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) { // one user's failed wake must not end every other user's
                    LOG.log(System.Logger.Level.WARNING, "a user's wait could not end: " + e);
                }
            }
        }
    }

    /** Stops the thread; waits still set never fire, and {@link #set} refuses from now on. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
        queue.clear();
    }
}
