package io.stampede.web;

import io.stampede.prometheus.LatencyBuckets;
import io.stampede.stats.EntryStats;
import io.stampede.stats.RunStats;
import io.stampede.stats.StatsRecorder;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the latency histogram adds to a {@code GET /metrics} render: the whole render, and the part
 * of it that fills the histogram's buckets from the run's HdrHistograms, per scrape. A run of
 * {@code KEYS} request names, {@code SECONDS} seconds of log-normal latencies (median 5 ms, tail to
 * seconds). In package web to reach the renderer; see run.sh.
 */
public final class MetricsRenderBench {

    private static final int KEYS = Integer.getInteger("keys", 20);
    private static final int SECONDS = 60;
    private static final int PER_KEY_PER_SECOND = 1_000;
    private static final int WARMUP_ROUNDS = 2_000;
    private static final int ROUNDS = 5_000;

    public static void main(String[] args) {
        long start = System.currentTimeMillis();
        StatsRecorder recorder = new StatsRecorder(start);
        RunStats stats = new RunStats(start);
        SplittableRandom random = new SplittableRandom(13);
        for (int s = 1; s <= SECONDS; s++) {
            for (int k = 0; k < KEYS; k++) {
                for (int i = 0; i < PER_KEY_PER_SECOND; i++) {
                    long micros = Math.round(Math.exp(Math.log(5_000) + random.nextGaussian() * 0.9));
                    recorder.record("GET", "/item/" + k, micros, 100, i % 100 == 0 ? "HTTP 503" : null);
                }
            }
            stats.add(recorder.takeInterval(start + s * 1000L, 50));
        }
        Map<LiveRun.FaultOn, Integer> faults = Map.of(new LiveRun.FaultOn("latency", "app"), 1);
        Map<String, String> targets = Map.of("app", "up");
        int bytes = PrometheusMetrics.render(stats, faults, targets).length;
        long sink = 0;
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            sink += PrometheusMetrics.render(stats, faults, targets).length + buckets(stats);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += PrometheusMetrics.render(stats, faults, targets).length;
        }
        long renderNanos = (System.nanoTime() - t0) / ROUNDS;
        t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += buckets(stats);
        }
        long bucketNanos = (System.nanoTime() - t0) / ROUNDS;
        t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += quantiles(stats);
        }
        long quantileNanos = (System.nanoTime() - t0) / ROUNDS;
        System.out.printf("%d keys, %d s of %,d requests/s per key, /metrics %,d bytes%n", KEYS, SECONDS, PER_KEY_PER_SECOND, bytes);
        System.out.printf("whole render:          %,8d us per scrape%n", renderNanos / 1000);
        System.out.printf("histogram buckets:     %,8d us per scrape (%d%% of the render)%n", bucketNanos / 1000, 100 * bucketNanos / renderNanos);
        System.out.printf("summary's 3 quantiles: %,8d us per scrape (for comparison)%n", quantileNanos / 1000);
        System.out.println(sink == 42 ? "" : "(sink " + (sink & 1) + ")");
    }

    private static long buckets(RunStats stats) {
        long n = 0;
        for (EntryStats e : stats.totals().values()) {
            n += LatencyBuckets.of(e.histogram()).size();
        }
        return n;
    }

    private static long quantiles(RunStats stats) {
        double n = 0;
        for (EntryStats e : stats.totals().values()) {
            n += e.percentileMillis(50) + e.percentileMillis(95) + e.percentileMillis(99);
        }
        return (long) n;
    }
}
