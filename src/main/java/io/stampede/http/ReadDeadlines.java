package io.stampede.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The read timeout of {@link ChannelWire}s, which a blocking channel does not have: one thread for
 * the process looks at the open wires' pending reads and closes a wire whose read is past its
 * deadline. It sleeps until the earliest deadline it saw, or for the shortest response timeout when
 * none is pending (a read started after a look ends no sooner than that), so it looks about once per
 * response timeout however many requests run, and a timed-out read fails at its deadline, as a
 * socket's read timeout would.
 */
final class ReadDeadlines {

    /** How long the sweeper sleeps at most when no wire is open. */
    private static final long IDLE_SLEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Set<ChannelWire> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile long shortestTimeoutNanos = Long.MAX_VALUE;
    private static Thread sweeper; // under ReadDeadlines.class

    private ReadDeadlines() {
    }

    /** Watches {@code wire}'s reads until it is closed. */
    static void watch(ChannelWire wire) {
        OPEN.add(wire);
        if (wire.timeoutNanos < shortestTimeoutNanos || sweeper == null) {
            synchronized (ReadDeadlines.class) {
                if (wire.timeoutNanos < shortestTimeoutNanos) {
                    shortestTimeoutNanos = wire.timeoutNanos;
                    if (sweeper != null) {
                        LockSupport.unpark(sweeper); // it may sleep longer than this timeout
                    }
                }
                if (sweeper == null) {
                    sweeper = Thread.ofPlatform().daemon().name("stampede-read-deadlines").start(ReadDeadlines::sweep);
                }
            }
        }
    }

    static void forget(ChannelWire wire) {
        OPEN.remove(wire);
    }

    /** How many wires are watched (for tests). */
    static int watched() {
        return OPEN.size();
    }

    private static void sweep() {
        while (true) {
            long now = System.nanoTime();
            long shortest = shortestTimeoutNanos;
            long wake = now + Math.min(shortest, IDLE_SLEEP_NANOS);
            for (ChannelWire wire : OPEN) {
                long due = wire.deadline();
                if (due == ChannelWire.IDLE || due == ChannelWire.TIMED_OUT) {
                    if (!wire.isOpen()) {
                        OPEN.remove(wire); // closed without close(): by an interrupt, say
                    }
                } else if (now - due >= 0) {
                    wire.expire(due);
                } else if (due - wake < 0) {
                    wake = due;
                }
            }
            long sleep = wake - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(ReadDeadlines.class, sleep);
            }
        }
    }
}
