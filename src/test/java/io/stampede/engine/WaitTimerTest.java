package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WaitTimerTest {

    private static final long MS = 1_000_000;

    @Test
    void wakesFireInDeadlineOrderAndNeverEarly() throws InterruptedException {
        try (WaitTimer timer = new WaitTimer("test-waits")) {
            List<String> fired = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(3);
            long setAt = System.nanoTime();
            long[] firedAfter = new long[3];
            for (int i : new int[] {2, 0, 1}) {
                WaitTimer.Wake wake = timer.wake(() -> {
                    firedAfter[i] = System.nanoTime() - setAt;
                    fired.add("w" + i);
                    all.countDown();
                });
                assertThat(timer.set(wake, (i + 1) * 150 * MS)).isTrue();
            }
            assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(fired).containsExactly("w0", "w1", "w2");
            for (int i = 0; i < 3; i++) {
                assertThat(firedAfter[i]).as("wake %d", i).isGreaterThanOrEqualTo((i + 1) * 150 * MS);
            }
        }
    }

    @Test
    void aCancelledWakeNeverRunsAndTheOthersStillDo() throws InterruptedException {
        try (WaitTimer timer = new WaitTimer("test-waits")) {
            Semaphore ran = new Semaphore(0);
            WaitTimer.Wake cancelled = timer.wake(() -> ran.release(100));
            WaitTimer.Wake later = timer.wake(ran::release);
            timer.set(cancelled, 50 * MS);
            timer.set(later, 300 * MS);
            timer.cancel(cancelled);
            assertThat(ran.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.availablePermits()).isZero();
        }
    }

    @Test
    void aWakeSetAgainBeforeItFiredIsRefused() {
        try (WaitTimer timer = new WaitTimer("test-waits")) {
            WaitTimer.Wake wake = timer.wake(() -> { });
            timer.set(wake, TimeUnit.HOURS.toNanos(1));
            assertThatThrownBy(() -> timer.set(wake, MS)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() throws InterruptedException {
        try (WaitTimer timer = new WaitTimer("test-waits")) {
            CountDownLatch ran = new CountDownLatch(1);
            timer.set(timer.wake(() -> {
                throw new IllegalStateException("boom");
            }), MS);
            timer.set(timer.wake(ran::countDown), 100 * MS);
            assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closingEndsItsThreadAndRefusesWaits() throws InterruptedException {
        WaitTimer timer = new WaitTimer("test-waits-closing");
        assertThat(threadNamed("test-waits-closing")).as("no thread before the first wait").isNull();
        WaitTimer.Wake wake = timer.wake(() -> { });
        assertThat(timer.set(wake, TimeUnit.HOURS.toNanos(1))).isTrue();
        Thread thread = threadNamed("test-waits-closing");
        assertThat(thread).isNotNull();
        timer.close();
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).isFalse();
        assertThat(timer.set(timer.wake(() -> { }), MS)).isFalse();
    }

    /** The point of it: a wait set again and again allocates nothing on the user's side. */
    @Test
    void settingAWakeAllocatesNothing() throws InterruptedException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WaitTimer timer = new WaitTimer("test-waits")) {
            AtomicLong fired = new AtomicLong();
            WaitTimer.Wake wake = timer.wake(fired::incrementAndGet);
            int waits = 20_000;
            for (int i = 1; i <= 2_000; i++) { // the queue's array and the code paths settled first
                setAndAwait(timer, wake, fired, i);
            }
            long self = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 2_001; i <= 2_000 + waits; i++) {
                setAndAwait(timer, wake, fired, i);
            }
            long perWait = (threads.getThreadAllocatedBytes(self) - before) / waits;
            // a ScheduledExecutorService makes ~110 bytes a wait; a contended lock may make a rare node
            assertThat(perWait).isLessThan(16);
        }
    }

    /** Waits by spinning: a blocking wait would itself allocate a queue node on this thread. */
    private static void setAndAwait(WaitTimer timer, WaitTimer.Wake wake, AtomicLong fired, long count) {
        timer.set(wake, 0);
        while (fired.get() < count) {
            Thread.yield();
        }
    }

    private static Thread threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }
}
