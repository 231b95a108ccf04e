package io.stampede.api;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a user waits after each task, with Locust's four kinds.
 *
 * <pre>{@code
 * WaitTime.between(Duration.ofSeconds(1), Duration.ofSeconds(5))  // uniform in [1 s, 5 s]
 * WaitTime.constant(Duration.ofMillis(500))
 * WaitTime.constantPacing(Duration.ofSeconds(2))  // a task starts every 2 s, whatever it took
 * WaitTime.constantThroughput(0.5)                // 0.5 tasks per second per user
 * }</pre>
 */
public sealed interface WaitTime {

    /**
     * Nanoseconds to wait now.
     *
     * @param taskNanos how long the task that just ended took
     */
    long nextWaitNanos(long taskNanos, RandomGenerator random);

    static WaitTime between(Duration min, Duration max) {
        return new Between(min, max);
    }

    static WaitTime constant(Duration wait) {
        return new Constant(wait);
    }

    static WaitTime constantPacing(Duration period) {
        return new ConstantPacing(period);
    }

    static WaitTime constantThroughput(double tasksPerSecond) {
        if (!(tasksPerSecond > 0)) {
            throw new IllegalArgumentException("tasks per second must be positive, got " + tasksPerSecond);
        }
        return new ConstantPacing(Duration.ofNanos(Math.round(1e9 / tasksPerSecond)));
    }

    /** No wait at all: each user sends as fast as the service answers. */
    static WaitTime none() {
        return new Constant(Duration.ZERO);
    }

    record Between(Duration min, Duration max) implements WaitTime {
        public Between {
            requireNonNegative(min, "min");
            requireNonNegative(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max wait " + max + " is below min wait " + min);
            }
        }

        @Override
        public long nextWaitNanos(long taskNanos, RandomGenerator random) {
            long lo = min.toNanos();
            long hi = max.toNanos();
            return lo == hi ? lo : random.nextLong(lo, hi + 1);
        }
    }

    record Constant(Duration duration) implements WaitTime {
        public Constant {
            requireNonNegative(duration, "wait");
        }

        @Override
        public long nextWaitNanos(long taskNanos, RandomGenerator random) {
            return duration.toNanos();
        }
    }

    /** Waits so that tasks start {@code period} apart; a task longer than the period is followed by no wait. */
    record ConstantPacing(Duration period) implements WaitTime {
        public ConstantPacing {
            requireNonNegative(period, "period");
        }

        @Override
        public long nextWaitNanos(long taskNanos, RandomGenerator random) {
            return Math.max(0, period.toNanos() - taskNanos);
        }
    }

    private static void requireNonNegative(Duration duration, String what) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + duration);
        }
    }
}
