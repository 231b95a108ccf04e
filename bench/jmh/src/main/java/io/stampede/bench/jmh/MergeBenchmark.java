package io.stampede.bench.jmh;

import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Exact merging: (e) {@link EntryStats#add} and (f) {@link IntervalStats#merge}, with histograms
 * as {@code StatsRecorder.takeInterval} really produces them (10 keys x ~1,000 log-normal
 * latencies, 1% failures).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MergeBenchmark {

    /** How many seconds the running total of {@link #entryAdd} starts with. */
    static final int TOTAL_SECONDS = 60;

    IntervalStats left;
    IntervalStats right;
    EntryStats intervalEntry;
    EntryStats runTotal;

    @Setup(Level.Trial)
    public void setUp() {
        long start = System.currentTimeMillis();
        left = new Intervals(1).interval(start);
        right = new Intervals(2).interval(start);
        // The first key in order, not in Map.copyOf's per-JVM randomized iteration order: same entry every run.
        RequestKey key = Collections.min(left.entries().keySet());
        intervalEntry = left.entries().get(key);
        // A minute of the same key, as RunStats.add accumulates it: its histogram spans the
        // minute's largest latency, wider than one second's, as in a real run.
        runTotal = new EntryStats();
        for (int second = 0; second < TOTAL_SECONDS; second++) {
            runTotal.add(new Intervals(100 + second).interval(start).entries().get(key));
        }
    }

    /**
     * (e) One interval's entry into a run total, as {@code RunStats.add} does every second per key.
     * Mutates the total (counts only grow; no resizing after the first call), so this is the
     * steady-state cost.
     */
    @Benchmark
    public EntryStats entryAdd() {
        return runTotal.add(intervalEntry);
    }

    /** (e') {@link EntryStats#copy}: a new histogram plus an add, as every merge and snapshot does per key. */
    @Benchmark
    public EntryStats entryCopy() {
        return intervalEntry.copy();
    }

    /** (f) Two workers' intervals for the same second, 10 keys each. */
    @Benchmark
    public IntervalStats intervalMerge() {
        return left.merge(right);
    }
}
