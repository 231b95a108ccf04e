package io.stampede.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Request outcomes in {@link #SLOT_MILLIS}-millisecond slots of wall-clock time, beside the one-second
 * intervals: how many requests succeeded and failed, and how many became stalled, in each slot.
 * What times detection and recovery to the slot rather than to the second. Sparse (only slots with
 * something in them), sorted by slot, counts only: slots from threads, seconds and worker processes
 * sum exactly with {@link #merge}.
 *
 * <p>The requests in flight (sent, not yet answered) at the end of slot {@code k} are the requests
 * started in slots up to {@code k} less those completed in them: {@link #inFlight()}. Counting starts
 * beside completions makes this exact at every slot's end, after any merge, with no sampling.
 *
 * <p>Slot {@code i} covers epoch milliseconds {@code [i * SLOT_MILLIS, (i + 1) * SLOT_MILLIS)}. A
 * request counts as stalled in the slot where it had been in flight for {@link #STALL_MILLIS} without
 * an answer ({@code start + STALL_MILLIS}), whatever its outcome, so a paused service is seen while it
 * is paused, by the requests that wait on it, once they complete.
 *
 * @param slot    slot numbers, ascending, no duplicates
 * @param ok      successful requests that completed in each slot
 * @param failed  failed requests that completed in each slot
 * @param stalled requests whose wait reached {@link #STALL_MILLIS} in each slot
 * @param started requests sent in each slot, less those that ended in it without an outcome (a user
 *                stopped while it waited): may be negative in a slot, never summed over a run
 */
public record Slots(long[] slot, int[] ok, int[] failed, int[] stalled, int[] started) {

    /** Width of a slot: bounds how precisely detection and recovery are timed. */
    public static final long SLOT_MILLIS = 10;
    /** A request waiting this long for its answer is stalled: the service has stopped answering. */
    public static final long STALL_MILLIS = 1000;

    public static final Slots EMPTY = new Slots(new long[0], new int[0], new int[0], new int[0], new int[0]);

    public Slots {
        if (ok.length != slot.length || failed.length != slot.length || stalled.length != slot.length
                || started.length != slot.length) {
            throw new IllegalArgumentException("slot arrays differ in length");
        }
    }

    public int size() {
        return slot.length;
    }

    /** The first millisecond of slot {@code i}. */
    public static long startMillis(long slot) {
        return slot * SLOT_MILLIS;
    }

    /** Sums two sets of slots, slot by slot. */
    public Slots merge(Slots other) {
        if (other.size() == 0) {
            return this;
        }
        if (size() == 0) {
            return other;
        }
        Builder b = new Builder(size() + other.size());
        int i = 0;
        int j = 0;
        while (i < size() || j < other.size()) {
            if (j == other.size() || (i < size() && slot[i] < other.slot[j])) {
                b.add(slot[i], ok[i], failed[i], stalled[i], started[i]);
                i++;
            } else if (i == size() || other.slot[j] < slot[i]) {
                b.add(other.slot[j], other.ok[j], other.failed[j], other.stalled[j], other.started[j]);
                j++;
            } else {
                b.add(slot[i], ok[i] + other.ok[j], failed[i] + other.failed[j], stalled[i] + other.stalled[j],
                        started[i] + other.started[j]);
                i++;
                j++;
            }
        }
        return b.build();
    }

    /** Sums many sets of slots, pairwise (n log k rather than n k for a run's worth of intervals). */
    public static Slots mergeAll(List<Slots> all) {
        if (all.isEmpty()) {
            return EMPTY;
        }
        List<Slots> level = new ArrayList<>(all);
        while (level.size() > 1) {
            List<Slots> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? level.get(i).merge(level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }

    /** Index of the first slot at or after {@code slotNumber} ({@link #size()} when none). */
    public int indexFrom(long slotNumber) {
        int i = Arrays.binarySearch(slot, slotNumber);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * Requests in flight at the end of each slot: started in it or before, not completed by its end
     * (a running sum of {@code started - ok - failed} from the first slot). These slots must begin
     * where the run began, as a run's do. Never below 0: a sample recorded without its start (a sink
     * fed by hand) cannot make the count negative.
     */
    public long[] inFlight() {
        long[] out = new long[size()];
        long n = 0;
        for (int i = 0; i < size(); i++) {
            n = Math.max(0, n + started[i] - ok[i] - failed[i]);
            out[i] = n;
        }
        return out;
    }

    /**
     * The fewest requests in flight at the end of any slot from the one holding {@code fromMillis} to
     * the one holding {@code toMillis - 1}: at least 1 means a request was waiting all through that
     * span, to the slot.
     *
     * @param inFlight this run's {@link #inFlight()}
     */
    public long minInFlight(long[] inFlight, long fromMillis, long toMillis) {
        long first = Math.floorDiv(fromMillis, SLOT_MILLIS); // the slot holding the span's start
        long last = Math.floorDiv(toMillis - 1, SLOT_MILLIS);
        int i = indexFrom(first + 1);
        // the slots between those present keep the value of the last present one before them
        long min = i == 0 ? 0 : inFlight[i - 1];
        for (; i < size() && slot[i] <= last; i++) {
            min = Math.min(min, inFlight[i]);
        }
        return min;
    }

    /** Requests completed (ok or failed) in the same slots as {@link #minInFlight} looks at. */
    public long completed(long fromMillis, long toMillis) {
        long last = Math.floorDiv(toMillis - 1, SLOT_MILLIS);
        long n = 0;
        for (int i = indexFrom(Math.floorDiv(fromMillis, SLOT_MILLIS)); i < size() && slot[i] <= last; i++) {
            n += ok[i] + failed[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slots s && Arrays.equals(slot, s.slot) && Arrays.equals(ok, s.ok)
                && Arrays.equals(failed, s.failed) && Arrays.equals(stalled, s.stalled) && Arrays.equals(started, s.started);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(slot) * 31 + Arrays.hashCode(ok);
    }

    @Override
    public String toString() {
        return "Slots[" + size() + " slots]";
    }

    /** Builds slots in ascending order; a slot added twice in a row is summed. */
    public static final class Builder {
        private long[] slot;
        private int[] ok;
        private int[] failed;
        private int[] stalled;
        private int[] started;
        private int size;

        public Builder() {
            this(16);
        }

        public Builder(int capacity) {
            capacity = Math.max(1, capacity);
            slot = new long[capacity];
            ok = new int[capacity];
            failed = new int[capacity];
            stalled = new int[capacity];
            started = new int[capacity];
        }

        /** A slot with no start counted in it (a sink fed by hand): in flight stays as it was, never below 0. */
        public Builder add(long slotNumber, int okCount, int failedCount, int stalledCount) {
            return add(slotNumber, okCount, failedCount, stalledCount, 0);
        }

        public Builder add(long slotNumber, int okCount, int failedCount, int stalledCount, int startedCount) {
            if (okCount == 0 && failedCount == 0 && stalledCount == 0 && startedCount == 0) {
                return this;
            }
            if (size > 0 && slot[size - 1] == slotNumber) {
                ok[size - 1] += okCount;
                failed[size - 1] += failedCount;
                stalled[size - 1] += stalledCount;
                started[size - 1] += startedCount;
                return this;
            }
            if (size > 0 && slot[size - 1] > slotNumber) {
                throw new IllegalArgumentException("slots out of order: " + slotNumber + " after " + slot[size - 1]);
            }
            if (size == slot.length) {
                slot = Arrays.copyOf(slot, size * 2);
                ok = Arrays.copyOf(ok, size * 2);
                failed = Arrays.copyOf(failed, size * 2);
                stalled = Arrays.copyOf(stalled, size * 2);
                started = Arrays.copyOf(started, size * 2);
            }
            slot[size] = slotNumber;
            ok[size] = okCount;
            failed[size] = failedCount;
            stalled[size] = stalledCount;
            started[size] = startedCount;
            size++;
            return this;
        }

        public Slots build() {
            return size == 0 ? EMPTY : new Slots(Arrays.copyOf(slot, size), Arrays.copyOf(ok, size),
                    Arrays.copyOf(failed, size), Arrays.copyOf(stalled, size), Arrays.copyOf(started, size));
        }
    }
}
