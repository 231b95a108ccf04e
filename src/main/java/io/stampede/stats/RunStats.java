package io.stampede.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's statistics, built only by adding intervals: totals per request key and overall, failures
 * by error, a short window of recent intervals for "current" figures, and one compact point per
 * interval for charts. Memory is bounded by the number of keys, not the number of requests.
 *
 * <p>Not thread-safe: one thread adds, readers get copies through {@link #snapshot()}.
 */
public final class RunStats {

    /** Locust computes "current" req/s and percentiles over the last 10 seconds; so do we. */
    public static final int CURRENT_WINDOW_SECONDS = 10;

    private final long startEpochMillis;
    private final Map<RequestKey, EntryStats> totals = new TreeMap<>();
    private EntryStats total = new EntryStats();
    /** Where the totals start: the run's start, or the last {@link #resetTotals}. */
    private long totalsStartEpochMillis;
    private final Map<FailureKey, Long> failures = new TreeMap<>();
    private final Deque<IntervalStats> window = new ArrayDeque<>();
    private final boolean currentWindow;
    private final List<IntervalPoint> points = new ArrayList<>();
    /** The run's slots so far, and intervals' slots not yet merged into them (merged when asked). */
    private Slots slots = Slots.EMPTY;
    private final List<Slots> pendingSlots = new ArrayList<>();
    private long endEpochMillis;
    private int users;
    private long droppedIterations;

    public RunStats(long startEpochMillis) {
        this(startEpochMillis, true);
    }

    /**
     * @param currentWindow whether to keep the recent intervals for {@link #current}; without it the
     *                      current figures are empty (a worker process, which only sends its intervals on)
     */
    public RunStats(long startEpochMillis, boolean currentWindow) {
        this.startEpochMillis = startEpochMillis;
        this.endEpochMillis = startEpochMillis;
        this.totalsStartEpochMillis = startEpochMillis;
        this.currentWindow = currentWindow;
    }

    /**
     * Starts the totals afresh from {@code fromEpochMillis} (Locust's reset stats): request and
     * failure tables, the current window and the rates. The per-second points stay, so the charts
     * and the SLOs keep the whole run.
     */
    public void resetTotals(long fromEpochMillis) {
        totals.clear();
        total = new EntryStats();
        failures.clear();
        window.clear();
        totalsStartEpochMillis = fromEpochMillis;
    }

    /** Seconds the totals cover, for their average rates: since the start or the last reset. */
    public double totalsSeconds() {
        return Math.max(1, endEpochMillis - totalsStartEpochMillis) / 1000.0;
    }

    public void add(IntervalStats interval) {
        interval.entries().forEach((key, entry) -> totals.computeIfAbsent(key, k -> new EntryStats()).add(entry));
        EntryStats intervalTotal = interval.total();
        total.add(intervalTotal);
        interval.failures().forEach((key, n) -> failures.merge(key, n, Long::sum));
        if (currentWindow) {
            window.addLast(forWindow(interval));
            while (window.size() > CURRENT_WINDOW_SECONDS) {
                window.removeFirst();
            }
        }
        endEpochMillis = Math.max(endEpochMillis, interval.endEpochMillis());
        users = interval.users();
        droppedIterations += interval.droppedIterations();
        points.add(IntervalPoint.of(interval, intervalTotal));
        if (interval.slots().size() > 0) {
            pendingSlots.add(interval.slots());
        }
    }

    /**
     * What the current window keeps of an interval: {@link #current} reads counts and latencies only.
     * An interval's phase times (five histograms a key), its failures' latencies apart, failures and
     * slots kept 10 s would outlive a young collection and die in the old generation, every second of
     * the run, in every process.
     */
    private static IntervalStats forWindow(IntervalStats interval) {
        Map<RequestKey, EntryStats> entries = new HashMap<>();
        interval.entries().forEach((key, entry) -> entries.put(key, entry.countsAndLatencies()));
        return new IntervalStats(interval.startEpochMillis(), interval.endEpochMillis(), interval.users(), entries, Map.of());
    }

    /**
     * Every request's outcome by {@link Slots#SLOT_MILLIS} slot over the whole run (not reset with the
     * totals). About 1.2 KB per second of run under steady load.
     */
    public Slots slots() {
        if (!pendingSlots.isEmpty()) {
            pendingSlots.add(0, slots);
            slots = Slots.mergeAll(pendingSlots);
            pendingSlots.clear();
        }
        return slots;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Where the totals start: the run's start, or the last {@link #resetTotals}. */
    public long totalsStartEpochMillis() {
        return totalsStartEpochMillis;
    }

    public long endEpochMillis() {
        return endEpochMillis;
    }

    public double elapsedSeconds() {
        return Math.max(1, endEpochMillis - startEpochMillis) / 1000.0;
    }

    public int users() {
        return users;
    }

    /** Open model: iterations dropped so far because every user was busy and the cap was reached. */
    public long droppedIterations() {
        return droppedIterations;
    }

    public Map<RequestKey, EntryStats> totals() {
        return Collections.unmodifiableMap(totals);
    }

    public EntryStats total() {
        return total;
    }

    public Map<FailureKey, Long> failures() {
        return Collections.unmodifiableMap(failures);
    }

    public List<IntervalPoint> points() {
        return Collections.unmodifiableList(points);
    }

    /**
     * The recent window for one key, or for the aggregate when {@code key} is null: counts and the
     * latencies of all requests; no phase times, and no failures' latencies apart.
     */
    public EntryStats current(RequestKey key) {
        EntryStats sum = new EntryStats();
        for (IntervalStats interval : window) {
            if (key == null) {
                interval.entries().values().forEach(sum::add);
            } else {
                EntryStats entry = interval.entries().get(key);
                if (entry != null) {
                    sum.add(entry);
                }
            }
        }
        return sum;
    }

    /** Seconds covered by the current window. */
    public double currentWindowSeconds() {
        if (window.isEmpty()) {
            return 1;
        }
        return Math.max(1, window.getLast().endEpochMillis() - window.getFirst().startEpochMillis()) / 1000.0;
    }

    /** A deep copy, safe to hand to another thread. */
    public RunStats snapshot() {
        RunStats copy = new RunStats(startEpochMillis, currentWindow);
        totals.forEach((key, entry) -> copy.totals.put(key, entry.copy()));
        copy.total.add(total);
        copy.failures.putAll(failures);
        copy.window.addAll(window);
        copy.points.addAll(points);
        copy.slots = slots;
        copy.pendingSlots.addAll(pendingSlots);
        copy.endEpochMillis = endEpochMillis;
        copy.totalsStartEpochMillis = totalsStartEpochMillis;
        copy.users = users;
        copy.droppedIterations = droppedIterations;
        return copy;
    }
}
