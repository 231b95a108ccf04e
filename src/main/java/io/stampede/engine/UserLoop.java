package io.stampede.engine;

import io.stampede.api.User;
import io.stampede.api.WaitTime;
import io.stampede.http.UserHttpSession;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The life of one simulated user: onStart, then task, wait, task, wait... until stopped, then onStop.
 *
 * <p>A user runs on a virtual thread only while it works. Its wait between tasks is a timer, and
 * the timer starts a new virtual thread for the next task: a waiting user holds no thread and no
 * stack. Why: a virtual thread parked for seconds keeps its frozen stack on the heap in chunks sized
 * by the deepest call it made (an HTTP read), and a new chunk is promoted to the old generation on
 * every wait. With 16,000 users waiting 10-30 s that was 4.5 KiB a user, 37% of the live heap, and
 * ~8 MB/s of old-generation garbage (README, Measurements). So scenario code must not count on one
 * thread across waits (no {@code ThreadLocal} state between tasks).
 *
 * <p>Stopping: {@link #stop(boolean) stop(true)} interrupts a task in flight (its request is
 * abandoned, not recorded); a waiting user ends at once; either way onStop runs.
 */
final class UserLoop {

    private static final int WORKING = 0;
    private static final int WAITING = 1;
    private static final int ENDING = 2;

    private final UserType type;
    private final User user;
    private final UserHttpSession http;
    private final TaskErrors errors;
    private final WaitTimer timers;
    /** Set for each wait; the same one every time, so a wait allocates nothing (see {@link WaitTimer}). */
    private final WaitTimer.Wake wake;
    private final String name;
    private final Consumer<UserLoop> onEnd;
    private final AtomicInteger state = new AtomicInteger(WORKING);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Thread thread;
    /** What the user is in: a task's name, onStart or onStop; for naming a user the stop abandoned. */
    private volatile String doing = "onStart";

    // The loop's state between tasks, handed from one virtual thread to the next through the timer.
    private WaitTime wait;
    private TaskPicker picker;
    private long beat;
    private long period;

    /**
     * @param timers ends the users' waits; a wake only starts a virtual thread, so one platform
     *               thread serves any number of users
     * @param onEnd  told once the user has ended
     */
    UserLoop(UserType type, User user, UserHttpSession http, TaskErrors errors, WaitTimer timers,
             String name, Consumer<UserLoop> onEnd) {
        this.type = type;
        this.user = user;
        this.http = http;
        this.errors = errors;
        this.timers = timers;
        this.wake = timers.wake(this::wake);
        this.name = name;
        this.onEnd = onEnd;
    }

    String typeName() {
        return type.name();
    }

    /** The task (or hook) the user is in now, or was in last. */
    String doing() {
        return doing;
    }

    void start() {
        startThread(this::begin);
    }

    /** Asks the user to stop; {@code now} also interrupts a task in flight. */
    void stop(boolean now) {
        stopRequested = true;
        if (state.compareAndSet(WAITING, ENDING)) {
            cancelWake();
            startThread(this::end);
            return;
        }
        Thread t = thread;
        if (t != null && now) {
            t.interrupt();
        }
    }

    /** Waits until onStop has run and the connection is closed; false if that took longer than {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void startThread(Runnable body) {
        Thread t = Thread.ofVirtual().name(name).unstarted(body);
        thread = t;
        t.start();
    }

    private void begin() {
        user.attach(http, ThreadLocalRandom.current());
        wait = user.waitTime();
        picker = new TaskPicker(type.tasks(), type.sequential());
        if (!runHook("onStart", user::onStart)) {
            state.set(ENDING);
            end();
            return;
        }
        // Constant pacing keeps a beat: a late task does not move the next beat, and the first
        // request of each task is measured from its beat (see UserHttpSession.intendedStart).
        beat = System.nanoTime();
        period = wait instanceof WaitTime.ConstantPacing pacing ? pacing.period().toNanos() : 0;
        work();
    }

    /** Runs tasks until the user waits (this thread then ends) or is stopped. */
    private void work() {
        ThreadLocalRandom random = ThreadLocalRandom.current(); // seeds this thread's generator, which user.random() uses
        while (!stopRequested && !Thread.currentThread().isInterrupted()) {
            UserType.TaskDef task = picker.next(random);
            long start = System.nanoTime();
            if (period > 0) {
                http.intendedStart(beat);
            }
            doing = task.name();
            try {
                task.body().run(user);
            } catch (CancellationException stopped) {
                break;
            } catch (Throwable e) {
                if (stopRequested) {
                    break;
                }
                errors.record(type.name(), task.name(), e);
            }
            long waitNanos;
            if (period > 0) {
                beat += period;
                waitNanos = beat - System.nanoTime();
            } else {
                waitNanos = wait.nextWaitNanos(System.nanoTime() - start, random);
            }
            if (waitNanos > 0) {
                if (waitOnTimer(waitNanos)) {
                    return;
                }
                break;
            }
        }
        state.set(ENDING);
        end();
    }

    /**
     * Sets the timer that starts the next task and lets this thread end: true. False when a stop came
     * in meanwhile and this thread is to run onStop itself.
     */
    private boolean waitOnTimer(long nanos) {
        thread = null; // a waiting user holds no thread, not even an ended one; only this thread writes it now
        http.idle(); // before the timer is set: once it is, the next task may start on another thread
        state.set(WAITING);
        if (!timers.set(wake, nanos)) {
            return !state.compareAndSet(WAITING, ENDING); // the run has ended: this user ends too
        }
        // A stop that came before WAITING was set found a working user and only asked it to stop.
        if (stopRequested && state.compareAndSet(WAITING, ENDING)) {
            cancelWake();
            return false;
        }
        return true;
    }

    private void wake() {
        if (state.compareAndSet(WAITING, WORKING)) {
            startThread(this::work);
        }
    }

    private void cancelWake() {
        timers.cancel(wake);
    }

    private void end() {
        try {
            Thread.interrupted(); // onStop may still talk to the service
            doing = "onStop";
            runHook("onStop", user::onStop);
        } finally {
            http.close();
            ended.countDown();
            onEnd.accept(this);
        }
    }

    private boolean runHook(String hookName, Runnable hook) {
        try {
            hook.run();
            return true;
        } catch (CancellationException stopped) {
            return false;
        } catch (Throwable e) {
            errors.record(type.name(), hookName, e);
            return !stopRequested;
        }
    }
}
