package io.stampede.slo;

import io.stampede.engine.RunListener;
import io.stampede.plan.PlanThreshold;
import io.stampede.slo.threshold.ThresholdResult;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges the plan's k6-style thresholds: over the whole run, and — for those with a
 * {@code window} tag — over every full window of that many seconds as the run goes, failing when
 * any window fails. Follow the run as a listener, then call {@link #judge(RunStats)}.
 */
public final class Thresholds implements RunListener {

    private final List<PlanThreshold> thresholds;
    private final Deque<IntervalStats> recent = new ArrayDeque<>();
    private final int longestWindowSeconds;
    private final Map<PlanThreshold, ThresholdResult> firstFailure = new HashMap<>();
    private final Map<PlanThreshold, ThresholdResult> latest = new HashMap<>();
    private final Map<PlanThreshold, Integer> windowsJudged = new HashMap<>();

    public Thresholds(List<PlanThreshold> thresholds) {
        this.thresholds = List.copyOf(thresholds);
        this.longestWindowSeconds = thresholds.stream()
                .mapToInt(t -> t.window().map(w -> (int) w.toSeconds()).orElse(0)).max().orElse(0);
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        if (longestWindowSeconds == 0) {
            return;
        }
        recent.addLast(interval);
        while (recent.size() > longestWindowSeconds) {
            recent.removeFirst();
        }
        for (PlanThreshold t : thresholds) {
            if (t.window().isEmpty() || recent.size() < t.window().get().toSeconds()) {
                continue;
            }
            ThresholdResult result = t.spec().evaluate(lastSeconds((int) t.window().get().toSeconds()));
            windowsJudged.merge(t, 1, Integer::sum);
            latest.put(t, result);
            if (result.status() == Status.FAIL) {
                firstFailure.putIfAbsent(t, result);
            }
        }
    }

    private RunStats lastSeconds(int seconds) {
        List<IntervalStats> window = new ArrayList<>(recent).subList(recent.size() - seconds, recent.size());
        RunStats stats = new RunStats(window.get(0).startEpochMillis());
        window.forEach(stats::add);
        return stats;
    }

    /** The outcome of every threshold for the finished run {@code stats}. */
    public List<ThresholdOutcome> judge(RunStats stats) {
        List<ThresholdOutcome> outcomes = new ArrayList<>();
        for (PlanThreshold t : thresholds) {
            if (t.window().isEmpty()) {
                ThresholdResult r = t.spec().evaluate(stats);
                outcomes.add(new ThresholdOutcome(t.key(), r.expression(), r.observedOrNull(), r.status(), r.detail()));
                continue;
            }
            int judged = windowsJudged.getOrDefault(t, 0);
            ThresholdResult failed = firstFailure.get(t);
            if (judged == 0) {
                outcomes.add(new ThresholdOutcome(t.key(), t.spec().threshold().expression(), null, Status.NO_DATA,
                        "the run is shorter than one window"));
            } else if (failed != null) {
                outcomes.add(new ThresholdOutcome(t.key(), failed.expression(), failed.observedOrNull(), Status.FAIL,
                        "failed in a window: " + failed.detail()));
            } else {
                ThresholdResult last = latest.get(t);
                outcomes.add(new ThresholdOutcome(t.key(), last.expression(), last.observedOrNull(), last.status(),
                        "held in all " + judged + " windows; last: " + last.detail()));
            }
        }
        return outcomes;
    }
}
