package io.stampede.chaos.proxy;

import java.util.function.BooleanSupplier;

/** Polls a condition that becomes true asynchronously (threads ending), for at most a bound. */
public final class Eventually {

    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    /** Whether {@code condition} held within {@code millis}. */
    public static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return condition.getAsBoolean();
    }
}
