package io.stampede.web;

import io.stampede.engine.LoadModel;
import io.stampede.engine.RunInfo;
import io.stampede.engine.Scenario;
import io.stampede.http.HttpOptions;
import io.stampede.plan.Plan;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import io.stampede.stats.StatsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A run fed by hand to a listener: real recorder, real intervals, no runner. */
final class LiveRuns {

    final long start;
    final RunInfo info;
    final StatsRecorder recorder;
    final RunStats stats;
    private int second;

    LiveRuns(String name, long start) {
        this(plan(name), start);
    }

    /** A run of {@code plan} that started at {@code start}. */
    LiveRuns(Plan plan, long start) {
        this.start = start;
        this.info = RunInfo.of(plan.run(), start, List.of("WebsiteUser"));
        this.recorder = new StatsRecorder(start);
        this.stats = new RunStats(start);
    }

    private static Plan plan(String name) {
        return new Plan(name, "http://127.0.0.1:5001", new LoadModel.Closed(10, 1, List.of()),
                Optional.of(Duration.ofMinutes(1)), new Scenario.Declared(List.of()), HttpOptions.defaults(),
                Set.of(), Set.of(), new Plan.Output(Optional.empty(), Optional.empty(), false),
                Duration.ofSeconds(10), List.of(), List.of(), Plan.Judgement.none());
    }

    /** Ends the next second with what was recorded since the last one and hands it to {@code ui}. */
    IntervalStats tick(WebUi ui, int users) {
        second++;
        IntervalStats interval = recorder.takeInterval(start + second * 1000L, users);
        stats.add(interval);
        ui.onInterval(interval, stats);
        return interval;
    }

    /** {@code n} requests of {@code latencyMicros}, every {@code failEvery}-th one failed (0: none). */
    void record(String method, String name, int n, long latencyMicros, int failEvery, String error) {
        for (int i = 1; i <= n; i++) {
            boolean failed = failEvery > 0 && i % failEvery == 0;
            recorder.record(method, name, latencyMicros + i, 100, failed ? error : null);
        }
    }
}
