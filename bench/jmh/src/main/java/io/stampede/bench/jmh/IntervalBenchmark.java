package io.stampede.bench.jmh;

import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
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
 * (d) {@link StatsRecorder#takeInterval}: what the ticker thread pays once a second to close an
 * interval of 10 keys holding about 1,000 samples each.
 *
 * <p>Each invocation needs a freshly filled recorder, so the filling runs in a
 * {@code Level.Invocation} setup: excluded from the time (the operation takes tens of
 * microseconds, far above the per-invocation timestamp overhead JMH warns about), but included in
 * {@code gc.alloc.rate.norm}, which is fine because recording allocates nothing in steady state
 * (see {@link RecordBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class IntervalBenchmark {

    Intervals intervals;
    StatsRecorder recorder;
    long clockMillis;

    @Setup(Level.Trial)
    public void setUp() {
        intervals = new Intervals(42);
        clockMillis = System.currentTimeMillis();
        recorder = new StatsRecorder(clockMillis);
        // Two rounds so both of each key's buckets have met every value (histograms sized, no resizing).
        for (int round = 0; round < 2; round++) {
            intervals.fill(recorder);
            recorder.takeInterval(clockMillis += Intervals.INTERVAL_MILLIS, Intervals.USERS);
        }
    }

    @Setup(Level.Invocation)
    public void fill() {
        intervals.fill(recorder);
    }

    @Benchmark
    public IntervalStats takeInterval() {
        return recorder.takeInterval(clockMillis += Intervals.INTERVAL_MILLIS, Intervals.USERS);
    }
}
