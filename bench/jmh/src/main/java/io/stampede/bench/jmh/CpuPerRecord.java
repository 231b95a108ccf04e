package io.stampede.bench.jmh;

import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.StatsRecorder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The thread's CPU time per {@link StatsRecorder#record} call, one thread, 8 rounds of 10 M samples:
 * on a machine shared with other work, JMH's wall-clock averages also count the time the thread
 * waited for a core, CPU time does not. Not a JMH benchmark; run it from the shaded jar:
 *
 * <pre>java -cp target/benchmarks.jar io.stampede.bench.jmh.CpuPerRecord [success|failure|inflight|phases]</pre>
 *
 * <p>{@code failure}: every sample fails with the same error text, the path that also records the
 * failures' own latency histogram. {@code inflight}: successes, each preceded by its
 * {@link StatsRecorder#started} as the HTTP session calls it (the in-flight count's cost).
 * {@code phases}: as {@code inflight}, each sample with its five phase times, as the HTTP session
 * records every request (the phases' cost is this less {@code inflight}).
 */
public final class CpuPerRecord {

    private CpuPerRecord() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "success";
        boolean failure = mode.equals("failure");
        boolean withPhases = mode.equals("phases");
        boolean inFlight = mode.equals("inflight") || withPhases;
        PhaseTimes phases = withPhases ? new PhaseTimes() : null;
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
                long latency = latencies[i & (Latencies.SAMPLE_SIZE - 1)];
                if (withPhases) {
                    phases.reset();
                    phases.add(Phase.SENDING, 20_000);
                    phases.add(Phase.WAITING, latency * 900); // nanoseconds: 90% of the latency
                    phases.add(Phase.RECEIVING, latency * 100);
                }
                recorder.record(RecordBenchmark.METHOD, RecordBenchmark.NAME, latency, RecordBenchmark.CONTENT_BYTES, error,
                        start + i * 1_000L, phases);
            }
            long cpu = threads.getCurrentThreadCpuTime() - before;
            System.out.printf("%s round %d: %.1f ns of CPU per record%n", mode, round, cpu / (double) n);
        }
    }
}
