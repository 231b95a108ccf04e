package io.stampede.os;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.util.Optional;
import javax.management.NotificationEmitter;

/**
 * A soft bound on the Serial collector's old generation: once it holds more than {@link #LIVE_FACTOR}
 * times what was live after the last full collection (at least {@link #FLOOR_BYTES}), a full
 * collection runs.
 *
 * <p>Why: Serial collects its old generation only when it cannot grow any more, and it may grow to
 * the maximum heap (a quarter of the RAM). Users that wait seconds between requests keep objects
 * over a young collection (a timer, their connection's last response), which are promoted and die
 * there: with 10,000 users waiting 10-30 s about 420 bytes a request (881 before the connection let go
 * of its last response), with no full collection in a 150 s run, so the heap and RSS climbed all run
 * (README, "Waiting users and the old generation"). Serial is what a process pinned to one CPU gets, and
 * what worker processes are started with.
 *
 * <p>How often it stops a worker is the garbage it allows (0.5 times the live bytes) over the rate that
 * garbage is promoted. A larger factor after a collection that freed little was measured and not kept:
 * fewer stops, but the old generation, and RSS with it, climbing for longer than a 10-minute run
 * (README, "Waiting users and the old generation").
 */
public final class OldGenerationBound {

    /** The old generation's pool under {@code -XX:+UseSerialGC}. */
    static final String SERIAL_OLD_POOL = "Tenured Gen";
    /** No full collection below this: a small run never pays for one. */
    static final long FLOOR_BYTES = 64L * 1024 * 1024;
    /** The old generation may hold this many times its live bytes, the rest being garbage, before a full collection. */
    static final double LIVE_FACTOR = 1.5;

    private OldGenerationBound() {
    }

    /** Starts bounding when the JVM runs the Serial collector; returns whether it does. */
    public static boolean install() {
        Optional<MemoryPoolMXBean> found = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getName().equals(SERIAL_OLD_POOL) && pool.isUsageThresholdSupported())
                .findFirst();
        if (found.isEmpty()) {
            return false;
        }
        MemoryPoolMXBean old = found.get();
        // the pool refuses a threshold above its maximum, where the collector runs full collections itself
        long max = old.getUsage().getMax() < 0 ? Long.MAX_VALUE : old.getUsage().getMax();
        if (max <= FLOOR_BYTES) {
            return false; // a heap this small bounds its old generation itself
        }
        old.setUsageThreshold(FLOOR_BYTES);
        // The JVM checks the threshold after a collection and tells this listener once per crossing, on
        // its own service thread, so the full collection below never runs on a user's thread.
        NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener((notification, handback) -> {
            if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                System.gc();
                old.setUsageThreshold(Math.min(threshold(old.getCollectionUsage().getUsed()), max));
            }
        }, null, null);
        return true;
    }

    /** The next bound, given the old generation's bytes right after a full collection. */
    static long threshold(long liveBytes) {
        return Math.max(FLOOR_BYTES, (long) (liveBytes * LIVE_FACTOR));
    }
}
