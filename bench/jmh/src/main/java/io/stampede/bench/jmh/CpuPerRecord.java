package io.stampede.bench.jmh;

import io.stampede.stats.StatsRecorder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The thread's CPU time per {@link StatsRecorder#record} call, one thread, 8 rounds of 10 M samples:
 * on a machine shared with other work, JMH's wall-clock averages also count the time the thread
 * waited for a core, CPU time does not. Not a JMH benchmark; run it from the shaded jar:
 *
 * <pre>java -cp target/benchmarks.jar io.stampede.bench.jmh.CpuPerRecord</pre>
 */
public final class CpuPerRecord {

    private CpuPerRecord() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StatsRecorder recorder = new StatsRecorder(System.currentTimeMillis());
        long[] latencies = Latencies.sample(Latencies.SAMPLE_SIZE, 1);
        long start = System.nanoTime();
        int n = 10_000_000;
        for (int round = 0; round < 8; round++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                recorder.record(RecordBenchmark.METHOD, RecordBenchmark.NAME, latencies[i & (Latencies.SAMPLE_SIZE - 1)],
                        RecordBenchmark.CONTENT_BYTES, null, start + i * 1_000L);
            }
            long cpu = threads.getCurrentThreadCpuTime() - before;
            System.out.printf("round %d: %.1f ns of CPU per record%n", round, cpu / (double) n);
        }
    }
}
