package io.stampede.bench.jmh;

import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * The hot path: {@link StatsRecorder#record} as every user thread calls it after every request.
 * Goal: at most 100 ns and no allocation per sample, single-threaded.
 *
 * <p>All threads share one recorder and one request key, the worst case for contention (every
 * user hitting the same endpoint). The recorder is never asked for an interval here, so each run
 * measures steady-state recording into warmed-up, already-sized buckets; the per-second bucket
 * swap is measured by {@link IntervalBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RecordBenchmark {

    static final String METHOD = "GET";
    static final String NAME = "/items/{id}";
    static final long CONTENT_BYTES = 1_234;
    static final String ERROR = "HTTP 503 Service Unavailable";

    StatsRecorder recorder;

    @Setup(Level.Trial)
    public void setUp() {
        recorder = new StatsRecorder(System.currentTimeMillis());
    }

    /** Each thread walks its own sequence of latencies: varied, but no shared state in the harness. */
    @State(Scope.Thread)
    public static class Samples {
        long[] latencies;
        int next;
        /** One holder per thread, reused as a user's HTTP session reuses its own. */
        final PhaseTimes phases = new PhaseTimes();

        @Setup(Level.Trial)
        public void setUp() {
            latencies = Latencies.sample(Latencies.SAMPLE_SIZE, Thread.currentThread().threadId());
        }

        long nextLatency() {
            return latencies[next++ & (Latencies.SAMPLE_SIZE - 1)];
        }

        /** When the request ended, as the user thread read it for the latency: 1 µs apart. */
        long endNanoTime() {
            return start + next * 1_000L;
        }

        long start = System.nanoTime();
    }

    /** (a) One user thread, successful requests. */
    @Benchmark
    @Threads(1)
    public void recordSuccess(Samples samples) {
        recorder.record(METHOD, NAME, samples.nextLatency(), CONTENT_BYTES, null, samples.endNanoTime());
    }

    /**
     * (a') The same with the request's five phase times, as the HTTP client records every request:
     * the phases' cost is this minus {@link #recordSuccess}. The times vary with the latency.
     */
    @Benchmark
    @Threads(1)
    public void recordSuccessWithPhases(Samples samples) {
        long latency = samples.nextLatency();
        PhaseTimes phases = samples.phases;
        phases.reset();
        phases.add(Phase.SENDING, 20_000);
        phases.add(Phase.WAITING, latency * 900);         // nanoseconds: 90% of the latency
        phases.add(Phase.RECEIVING, latency * 100);
        recorder.record(METHOD, NAME, latency, CONTENT_BYTES, null, samples.endNanoTime(), phases);
    }

    /** (b) Two threads on one key: on a 2-core machine, one per core. */
    @Benchmark
    @Threads(2)
    public void recordSuccess2Threads(Samples samples) {
        recorder.record(METHOD, NAME, samples.nextLatency(), CONTENT_BYTES, null, samples.endNanoTime());
    }

    /** (b) Four threads on one key: oversubscribed on 2 cores, so also preemption inside the phaser. */
    @Benchmark
    @Threads(4)
    public void recordSuccess4Threads(Samples samples) {
        recorder.record(METHOD, NAME, samples.nextLatency(), CONTENT_BYTES, null, samples.endNanoTime());
    }

    /** (c) One user thread, every request failing with the same error text. */
    @Benchmark
    @Threads(1)
    public void recordFailure(Samples samples) {
        recorder.record(METHOD, NAME, samples.nextLatency(), 0, ERROR, samples.endNanoTime());
    }
}
