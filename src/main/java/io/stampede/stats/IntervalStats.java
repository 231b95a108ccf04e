package io.stampede.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything recorded during one interval (normally one second) of a run: per request key, and
 * failures by error. Intervals from different threads or machines covering the same second merge
 * exactly with {@link #merge}.
 *
 * @param startEpochMillis when the interval began (wall clock)
 * @param endEpochMillis   when it ended
 * @param users            users running at the end of the interval
 * @param entries          per request key; never contains the aggregate (see {@link #total()})
 * @param failures         occurrences per (request, error)
 * @param droppedIterations open model: iterations that found no idle user within the concurrency cap
 * @param slots            the same requests' outcomes by {@link Slots#SLOT_MILLIS} slot; a slot may lie
 *                         outside [start, end) (a sample is counted where it was recorded, a stall where it began)
 */
public record IntervalStats(long startEpochMillis, long endEpochMillis, int users,
                            Map<RequestKey, EntryStats> entries, Map<FailureKey, Long> failures,
                            long droppedIterations, Slots slots) {

    public IntervalStats {
        entries = Map.copyOf(entries);
        failures = Map.copyOf(failures);
        slots = slots == null ? Slots.EMPTY : slots;
    }

    public IntervalStats(long startEpochMillis, long endEpochMillis, int users,
                         Map<RequestKey, EntryStats> entries, Map<FailureKey, Long> failures, long droppedIterations) {
        this(startEpochMillis, endEpochMillis, users, entries, failures, droppedIterations, Slots.EMPTY);
    }

    public IntervalStats(long startEpochMillis, long endEpochMillis, int users,
                         Map<RequestKey, EntryStats> entries, Map<FailureKey, Long> failures) {
        this(startEpochMillis, endEpochMillis, users, entries, failures, 0);
    }

    /** The aggregate over all request keys, computed exactly from the entries. */
    public EntryStats total() {
        EntryStats total = new EntryStats();
        entries.values().forEach(total::add);
        return total;
    }

    public double seconds() {
        return Math.max(1, endEpochMillis - startEpochMillis) / 1000.0;
    }

    /** Sums two intervals of the same span (e.g. from two workers); users add up too. */
    public IntervalStats merge(IntervalStats other) {
        Map<RequestKey, EntryStats> mergedEntries = new TreeMap<>();
        entries.forEach((key, entry) -> mergedEntries.put(key, entry.copy()));
        other.entries.forEach((key, entry) -> {
            EntryStats mine = mergedEntries.get(key);
            if (mine == null) {
                mergedEntries.put(key, entry.copy());
            } else {
                mine.add(entry);
            }
        });
        Map<FailureKey, Long> mergedFailures = new TreeMap<>(failures);
        other.failures.forEach((key, n) -> mergedFailures.merge(key, n, Long::sum));
        return new IntervalStats(Math.min(startEpochMillis, other.startEpochMillis),
                Math.max(endEpochMillis, other.endEpochMillis), users + other.users,
                mergedEntries, mergedFailures, droppedIterations + other.droppedIterations, slots.merge(other.slots));
    }
}
