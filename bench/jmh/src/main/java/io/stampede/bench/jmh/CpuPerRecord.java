package io.stampede.bench.jmh;

import io.stampede.stats.StatsRecorder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The thread's CPU time per {@link StatsRecorder#record} call, one thread, 8 rounds of 10 M samples:
 * on a machine shared with other work, JMH's wall-clock averages also count the time the thread
 * waited for a core, CPU time does not. Not a JMH benchmark; run it from the shaded jar:
 *
 * <pre>java -cp target/benchmarks.jar io.stampede.bench.jmh.CpuPerRecord [success|failure|inflight]</pre>
 *
 * <p>{@code failure}: every sample fails with the same error text, the path that also records the
 * failures' own latency histogram. {@code inflight}: successes, each preceded by its
 * {@link StatsRecorder#started} as the HTTP session calls it (the in-flight count's cost).
 */
public final class CpuPerRecord {

    private CpuPerRecord() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "success";
        boolean failure = mode.equals("failure");
        boolean inFlight = mode.equals("inflight");
        String error = failure ? RecordBenchmark.ERROR : null;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StatsRecorder recorder = new StatsRecorder(System.currentTimeMillis());
        long[] latencies = Latencies.sample(Latencies.SAMPLE_SIZE, 1);
        long start = System.nanoTime();
        int n = 10_000_000;
        for (int round = 0; round < 8; round++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                if (inFlight) {
                    recorder.started(start + i * 1_000L - 500);
                }
                recorder.record(RecordBenchmark.METHOD, RecordBenchmark.NAME, latencies[i & (Latencies.SAMPLE_SIZE - 1)],
                        RecordBenchmark.CONTENT_BYTES, error, start + i * 1_000L);
            }
            long cpu = threads.getCurrentThreadCpuTime() - before;
            System.out.printf("%s round %d: %.1f ns of CPU per record%n", mode, round, cpu / (double) n);
        }
    }
}
