package io.stampede.engine;

import io.stampede.api.User;
import io.stampede.api.WaitTime;
import io.stampede.http.UserHttpSession;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The life of one simulated user on its own virtual thread: onStart, then task, wait, task, wait...
 * until stopped, then onStop. Stopping interrupts the thread: a request in flight is abandoned and
 * not recorded, a wait ends at once.
 */
final class UserLoop implements Runnable {

    private final UserType type;
    private final User user;
    private final UserHttpSession http;
    private final TaskErrors errors;
    private volatile boolean stopRequested;
    private volatile Thread thread;

    UserLoop(UserType type, User user, UserHttpSession http, TaskErrors errors) {
        this.type = type;
        this.user = user;
        this.http = http;
        this.errors = errors;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            user.attach(http, random);
            WaitTime wait = user.waitTime();
            TaskPicker picker = new TaskPicker(type.tasks(), type.sequential());
            if (!runHook("onStart", user::onStart)) {
                return;
            }
            // Constant pacing keeps a beat: a late task does not move the next beat, and the first
            // request of each task is measured from its beat (see UserHttpSession.intendedStart).
            long beat = System.nanoTime();
            long period = wait instanceof WaitTime.ConstantPacing pacing ? pacing.period().toNanos() : 0;
            while (!stopRequested && !Thread.currentThread().isInterrupted()) {
                UserType.TaskDef task = picker.next(random);
                long start = System.nanoTime();
                if (period > 0) {
                    http.intendedStart(beat);
                }
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
                if (!pause(waitNanos)) {
                    break;
                }
            }
            Thread.interrupted(); // onStop may still talk to the service
            runHook("onStop", user::onStop);
        } finally {
            http.close();
        }
    }

    /** Asks the user to stop; {@code now} also interrupts a request in flight. */
    void stop(boolean now) {
        stopRequested = true;
        Thread t = thread;
        if (t != null && now) {
            t.interrupt();
        } else if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private boolean runHook(String name, Runnable hook) {
        try {
            hook.run();
            return true;
        } catch (CancellationException stopped) {
            return false;
        } catch (Throwable e) {
            errors.record(type.name(), name, e);
            return !stopRequested;
        }
    }

    /** Waits, returning false when asked to stop meanwhile. */
    private boolean pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            if (stopRequested || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            left = deadline - System.nanoTime();
        }
        return !stopRequested;
    }
}
