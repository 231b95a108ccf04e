package io.stampede.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.WriterReaderPhaser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Where {@link RecordBenchmark}'s time goes: each building block of {@code KeyRecorder.record}
 * alone, with one thread and with two threads sharing it. Not a goal in itself; it tells which
 * part to change when contention matters. {@code KeyRecorder} records latencies and phases into
 * fixed-range {@code AtomicHistogram}s; {@code ConcurrentHistogram}, which it used before for the
 * latencies, is kept here for comparison.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RecordPartsBenchmark {

    /** One hour in microseconds: a fixed range wide enough for any request's latency. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    final WriterReaderPhaser phaser = new WriterReaderPhaser();
    final ConcurrentHistogram concurrentHistogram = new ConcurrentHistogram(3);
    final AtomicHistogram atomicHistogram = new AtomicHistogram(HIGHEST_MICROS, 3);
    final LongAdder adder = new LongAdder();

    @Benchmark
    @Threads(1)
    public void phaser1(RecordBenchmark.Samples samples) {
        phaser.writerCriticalSectionExit(phaser.writerCriticalSectionEnter());
    }

    @Benchmark
    @Threads(2)
    public void phaser2(RecordBenchmark.Samples samples) {
        phaser.writerCriticalSectionExit(phaser.writerCriticalSectionEnter());
    }

    @Benchmark
    @Threads(1)
    public void concurrentHistogram1(RecordBenchmark.Samples samples) {
        concurrentHistogram.recordValue(samples.nextLatency());
    }

    @Benchmark
    @Threads(2)
    public void concurrentHistogram2(RecordBenchmark.Samples samples) {
        concurrentHistogram.recordValue(samples.nextLatency());
    }

    @Benchmark
    @Threads(1)
    public void atomicHistogram1(RecordBenchmark.Samples samples) {
        atomicHistogram.recordValue(samples.nextLatency());
    }

    @Benchmark
    @Threads(2)
    public void atomicHistogram2(RecordBenchmark.Samples samples) {
        atomicHistogram.recordValue(samples.nextLatency());
    }

    @Benchmark
    @Threads(1)
    public void longAdder1(RecordBenchmark.Samples samples) {
        adder.add(samples.nextLatency());
    }

    @Benchmark
    @Threads(2)
    public void longAdder2(RecordBenchmark.Samples samples) {
        adder.add(samples.nextLatency());
    }
}
