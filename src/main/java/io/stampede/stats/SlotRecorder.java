package io.stampede.stats;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Records request outcomes into {@link Slots} from many threads, never blocking them: one ring of
 * counters indexed by slot number modulo {@link #RING_SLOTS}. Slots carry their own time, so no
 * interval swap is needed: the reader takes each counter with an atomic get-and-set to zero, and
 * an increment that comes after it is simply in the next take. A sample costs one atomic increment
 * (two for a stalled request), a request's start one more, and neither allocates.
 */
final class SlotRecorder {

    /** Slots the ring holds: how far back a stalled request's onset may lie (40.96 s at 10 ms). */
    static final int RING_SLOTS = 4096;
    private static final int MASK = RING_SLOTS - 1;
    /** Writers may read the clock a little after the reader did: slots up to this far ahead are kept. */
    private static final long AHEAD_SLOTS = 100;

    /** Counters per slot: ok, failed, stalled, started. */
    private static final int WIDTH = 4;
    private static final int STARTED = 3;

    private final AtomicIntegerArray ring = new AtomicIntegerArray(WIDTH * RING_SLOTS);

    void record(long endEpochMillis, long latencyMicros, boolean failed) {
        long slot = endEpochMillis / Slots.SLOT_MILLIS;
        ring.getAndIncrement(WIDTH * (int) (slot & MASK) + (failed ? 1 : 0));
        if (latencyMicros >= Slots.STALL_MILLIS * 1000) {
            long onset = (endEpochMillis * 1000 - latencyMicros + Slots.STALL_MILLIS * 1000) / (Slots.SLOT_MILLIS * 1000);
            if (slot - onset < RING_SLOTS - 2 * AHEAD_SLOTS) {
                ring.getAndIncrement(WIDTH * (int) (onset & MASK) + 2);
            }
        }
    }

    /** A request was sent: in flight from this slot until its sample is recorded. */
    void started(long epochMillis) {
        ring.getAndIncrement(WIDTH * (int) ((epochMillis / Slots.SLOT_MILLIS) & MASK) + STARTED);
    }

    /** A request that started ended without an outcome (its user was stopped): no longer in flight. */
    void cancelled(long epochMillis) {
        ring.getAndDecrement(WIDTH * (int) ((epochMillis / Slots.SLOT_MILLIS) & MASK) + STARTED);
    }

    /** Takes everything recorded since the previous call. Single reader, called about once a second. */
    synchronized Slots take(long nowEpochMillis) {
        // Slot numbers back from their ring position: the newest slot a writer can have used is
        // just after now, and the ring reaches RING_SLOTS back from there.
        long newest = nowEpochMillis / Slots.SLOT_MILLIS + AHEAD_SLOTS;
        int newestPos = (int) (newest & MASK);
        Slots.Builder out = new Slots.Builder(128);
        for (int k = RING_SLOTS - 1; k >= 0; k--) {
            int pos = (newestPos - k) & MASK;
            int ok = take(WIDTH * pos);
            int failed = take(WIDTH * pos + 1);
            int stalled = take(WIDTH * pos + 2);
            int started = take(WIDTH * pos + STARTED);
            out.add(newest - k, ok, failed, stalled, started);
        }
        return out.build();
    }

    private int take(int index) {
        return ring.get(index) == 0 ? 0 : ring.getAndSet(index, 0);
    }
}
