package io.stampede.os;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.util.Optional;
import javax.management.NotificationEmitter;

/**
 * A soft bound on the Serial collector's old generation: once it holds more than {@link #LIVE_FACTOR}
 * times what was live after the last full collection (at least {@link #FLOOR_BYTES}), a full
 * collection runs; {@link #GROWING_FACTOR} times after one that found the old generation mostly live.
 *
 * <p>Why: Serial collects its old generation only when it cannot grow any more, and it may grow to
 * the maximum heap (a quarter of the RAM). Users that wait seconds between requests keep objects
 * over a young collection (a timer, their connection's last response), which are promoted and die
 * there: with 10,000 users waiting 10-30 s about 420 bytes a request (881 before the connection let go
 * of its last response), with no full collection in a 150 s run, so the heap and RSS climbed all run
 * (README, "Waiting users and the old generation"). Serial is what a process pinned to one CPU gets, and
 * what worker processes are started with.
 *
 * <p>A full collection stops the process for a time in proportion to its live bytes, and is worth it
 * for the garbage it frees. While the users are still being started (and for a while after, as their
 * objects are promoted) the old generation grows with live data: a collection then frees little, and
 * the next bound at 1.5 times would come soon for as little. So after a collection that freed less than
 * {@link #WASTED_SHARE} of the live bytes the next bound is {@link #GROWING_FACTOR} times them, and
 * after one that freed more it is back to {@link #LIVE_FACTOR} (README, "Waiting users and the old
 * generation").
 */
public final class OldGenerationBound {

    /** The old generation's pool under {@code -XX:+UseSerialGC}. */
    static final String SERIAL_OLD_POOL = "Tenured Gen";
    /** No full collection below this: a small run never pays for one. */
    static final long FLOOR_BYTES = 64L * 1024 * 1024;
    /** The old generation may hold this many times its live bytes, the rest being garbage, before a full collection. */
    static final double LIVE_FACTOR = 1.5;
    /** The factor after a collection that freed less than {@link #WASTED_SHARE} of the live bytes. */
    static final double GROWING_FACTOR = 2.0;
    /** A collection that freed less than this share of the bytes it found live is taken as a sign of a growing live set. */
    static final double WASTED_SHARE = 1.0 / 3;

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
                long before = old.getUsage().getUsed();
                System.gc();
                old.setUsageThreshold(Math.min(threshold(before, old.getCollectionUsage().getUsed()), max));
            }
        }, null, null);
        return true;
    }

    /** The next bound, given the old generation's bytes right before and right after a full collection. */
    static long threshold(long beforeBytes, long liveBytes) {
        boolean freedLittle = beforeBytes - liveBytes < liveBytes * WASTED_SHARE;
        return Math.max(FLOOR_BYTES, (long) (liveBytes * (freedLittle ? GROWING_FACTOR : LIVE_FACTOR)));
    }
}
