package io.stampede.web;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.stampede.prometheus.LatencyBuckets;
import io.stampede.slo.SloResult;
import io.stampede.slo.Verdict;
import io.stampede.slo.threshold.Status;
import io.stampede.stats.EntryStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics}: the run's figures as Prometheus snapshots, written by the Prometheus Java
 * client's text-format writer (format 0.0.4). The run already keeps exact per-request histograms,
 * so the figures are exported from them at scrape time rather than counted twice. Counters and the
 * latency histogram and summary cover the whole run (since the last reset, which Prometheus reads as
 * a counter reset); the summary's quantiles come from HdrHistogram, the histogram's buckets are
 * {@link LatencyBuckets}, so a dashboard can sum them over processes and take a quantile over a
 * window. Faults and targets are gauges a dashboard draws as annotations.
 *
 * <pre>
 * stampede_requests_total{method="GET",name="/"} 6840
 * stampede_request_duration_seconds_bucket{method="GET",name="/",le="0.005"} 6702
 * stampede_response_time_seconds{method="GET",name="/",quantile="0.95"} 0.0041
 * stampede_fault_active{fault="latency",target="app"} 1
 * stampede_target_up{target="app"} 1
 * </pre>
 */
final class PrometheusMetrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusMetrics() {
    }

    /**
     * Milliseconds as seconds to the microsecond, the histograms' unit: 5.563 ms is 0.005563, not the
     * 0.005562999999999999 that dividing by 1000 prints.
     */
    static double seconds(double millis) {
        return Math.round(millis * 1000) / 1_000_000.0;
    }

    /** The states a target's {@code stampede_target_state} shows, one series each. */
    static final List<LiveJson.TargetState> TARGET_STATES = List.of(LiveJson.TargetState.STARTING, LiveJson.TargetState.UP,
            LiveJson.TargetState.UNHEALTHY, LiveJson.TargetState.PAUSED, LiveJson.TargetState.DOWN);

    /**
     * @param stats   the published copy, or null before the run started
     * @param faults  each fault kind and target injected in the run, with its injections in effect now
     * @param targets each target's state, one of {@link #TARGET_STATES}
     */
    static byte[] render(RunStats stats, Map<LiveRun.FaultOn, Integer> faults, Map<String, LiveJson.TargetState> targets) {
        return render(stats, faults, targets, null, false);
    }

    /**
     * With the guard's side: {@code stampede_slo_budget_left_ratio{slo}} from the verdict so far (an SLO
     * without data yet has no series: 1.0 would claim an untouched budget), and
     * {@code stampede_chaos_halted}, 1 once a halt condition fired in this run.
     *
     * @param verdict the verdict as of the last snapshot, or null (no SLOs, or before the first second)
     */
    static byte[] render(RunStats stats, Map<LiveRun.FaultOn, Integer> faults, Map<String, LiveJson.TargetState> targets,
                         Verdict verdict, boolean halted) {
        Map<RequestKey, EntryStats> totals = stats == null ? Map.of() : stats.totals();
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("stampede_requests")
                .help("Requests completed, by request.");
        CounterSnapshot.Builder failures = CounterSnapshot.builder().name("stampede_failures")
                .help("Requests that failed, by request.");
        SummarySnapshot.Builder latency = SummarySnapshot.builder().name("stampede_response_time_seconds")
                .help("Response time over the run so far, by request.");
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name("stampede_request_duration_seconds")
                .help("Response time over the run so far, by request, in fixed buckets that sum across processes.");
        totals.forEach((key, e) -> {
            Labels labels = Labels.of("method", key.method(), "name", key.name());
            requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(e.count()).build());
            failures.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(e.failures()).build());
            Quantiles.Builder quantiles = Quantiles.builder();
            for (double q : QUANTILES) {
                quantiles.quantile(new Quantile(q, seconds(e.percentileMillis(q * 100))));
            }
            latency.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels).quantiles(quantiles.build())
                    .count(e.count()).sum(e.latencySumMicros() / 1_000_000.0).build());
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                    .classicHistogramBuckets(LatencyBuckets.of(e.histogram())).sum(e.latencySumMicros() / 1_000_000.0).build());
        });
        GaugeSnapshot users = GaugeSnapshot.builder().name("stampede_users").help("Users running.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(stats == null ? 0 : stats.users()).build()).build();
        int activeFaults = faults.values().stream().mapToInt(Integer::intValue).sum();
        GaugeSnapshot active = GaugeSnapshot.builder().name("stampede_active_faults").help("Faults in effect now.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(activeFaults).build()).build();
        GaugeSnapshot.Builder byFault = GaugeSnapshot.builder().name("stampede_fault_active")
                .help("Injections in effect now, by fault kind and target; 0 once they ended.");
        faults.forEach((f, n) -> byFault.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("fault", f.fault(), "target", f.target())).value(n).build()));
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("stampede_target_up")
                .help("1 while the target is healthy, else 0.");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("stampede_target_state")
                .help("1 for the target's current state, 0 for the others.");
        targets.forEach((target, now) -> {
            up.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("target", target))
                    .value(now == LiveJson.TargetState.UP ? 1 : 0).build());
            for (LiveJson.TargetState s : TARGET_STATES) {
                state.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("state", s.json(), "target", target))
                        .value(s == now ? 1 : 0).build());
            }
        });
        GaugeSnapshot.Builder budget = GaugeSnapshot.builder().name("stampede_slo_budget_left_ratio")
                .help("What is left of each SLO's error budget over the run so far: 1 untouched, 0 spent, below 0 overspent.");
        if (verdict != null) {
            for (SloResult slo : verdict.slos()) {
                if (slo.status() != Status.NO_DATA) {
                    budget.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("slo", slo.name()))
                            .value(slo.budgetLeftPercent() / 100).build());
                }
            }
        }
        GaugeSnapshot haltedNow = GaugeSnapshot.builder().name("stampede_chaos_halted")
                .help("1 once a halt condition stopped the chaos in this run, else 0.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(halted ? 1 : 0).build()).build();
        MetricSnapshots all = MetricSnapshots.of(requests.build(), failures.build(), histogram.build(), latency.build(), users,
                active, byFault.build(), up.build(), state.build(), budget.build(), haltedNow);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            WRITER.write(out, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
