package io.stampede.slo;

import io.stampede.engine.RunListener;
import io.stampede.slo.threshold.Status;
import io.stampede.slo.threshold.ThresholdResult;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges the plan's k6-style thresholds: over the whole run, and — for those with a
 * {@code window} tag — over every full window of that many seconds as the run goes (sliding by one
 * interval), failing when any window fails and showing the worst window with its time. A window
 * is full when its intervals span its length, less {@link #FULL_WINDOW_SLACK_MILLIS}: the stub of a
 * second a run ends with is not judged as a whole second ({@code count>750} would fail on it alone).
 * Follow the run as a listener, then call {@link #judge(RunStats)}.
 */
public final class Thresholds implements RunListener {

    /** How much shorter than its length a window may span and still be full: timer jitter, not a stub. */
    static final long FULL_WINDOW_SLACK_MILLIS = 100;

    private final List<PlanThreshold> thresholds;
    private final Deque<IntervalStats> recent = new ArrayDeque<>();
    private final int longestWindowSeconds;
    private final Map<PlanThreshold, Worst> worst = new HashMap<>();
    private final Map<PlanThreshold, Integer> windowsJudged = new HashMap<>();
    private final Map<PlanThreshold, Integer> windowsFailed = new HashMap<>();
    private long runStartMillis = -1;

    /** The worst window so far: its result and its span from the run's start, in seconds. */
    private record Worst(ThresholdResult result, double fromSeconds, double toSeconds) {
    }

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
        if (runStartMillis < 0) {
            runStartMillis = interval.startEpochMillis();
        }
        recent.addLast(interval);
        while (recent.size() > longestWindowSeconds) {
            recent.removeFirst();
        }
        for (PlanThreshold t : thresholds) {
            int seconds = t.window().map(w -> (int) w.toSeconds()).orElse(0);
            if (seconds == 0 || recent.size() < seconds) {
                continue;
            }
            List<IntervalStats> window = new ArrayList<>(recent).subList(recent.size() - seconds, recent.size());
            long from = window.get(0).startEpochMillis();
            long to = window.get(window.size() - 1).endEpochMillis();
            if (to - from < seconds * 1000L - FULL_WINDOW_SLACK_MILLIS) {
                continue; // not a full window: the run's last stub of a second
            }
            ThresholdResult result = t.spec().evaluate(stats(window));
            windowsJudged.merge(t, 1, Integer::sum);
            if (result.status() == Status.FAIL) {
                windowsFailed.merge(t, 1, Integer::sum);
            }
            Worst current = worst.get(t);
            if (current == null || worse(t, result, current.result())) {
                worst.put(t, new Worst(result, (from - runStartMillis) / 1000.0, (to - runStartMillis) / 1000.0));
            }
        }
    }

    /** Is {@code a} worse than {@code b}: failing before passing before no data, then farther past the bound. */
    static boolean worse(PlanThreshold t, ThresholdResult a, ThresholdResult b) {
        int rankA = rank(a.status());
        int rankB = rank(b.status());
        if (rankA != rankB) {
            return rankA > rankB;
        }
        if (a.observed().isEmpty() || b.observed().isEmpty()) {
            return false;
        }
        return badness(t, a.observed().getAsDouble()) > badness(t, b.observed().getAsDouble());
    }

    private static int rank(Status status) {
        return status == Status.FAIL ? 2 : status == Status.PASS ? 1 : 0;
    }

    /** How far past (or short of) the bound a value lies; larger is worse. */
    private static double badness(PlanThreshold t, double observed) {
        double bound = t.spec().threshold().bound();
        return switch (t.spec().threshold().operator()) {
            case LESS, LESS_OR_EQUAL -> observed - bound;
            case GREATER, GREATER_OR_EQUAL -> bound - observed;
            case EQUAL, STRICTLY_EQUAL -> Math.abs(observed - bound);
            case NOT_EQUAL -> -Math.abs(observed - bound);
        };
    }

    private static RunStats stats(List<IntervalStats> window) {
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
            int failed = windowsFailed.getOrDefault(t, 0);
            Worst w = worst.get(t);
            if (judged == 0) {
                outcomes.add(new ThresholdOutcome(t.key(), t.spec().threshold().expression(), null, Status.NO_DATA,
                        "the run is shorter than one full window"));
                continue;
            }
            String where = String.format(Locale.ROOT, "worst window %.1f–%.1f s: %s",
                    w.fromSeconds(), w.toSeconds(), w.result().detail());
            if (failed > 0) {
                outcomes.add(new ThresholdOutcome(t.key(), w.result().expression(), w.result().observedOrNull(), Status.FAIL,
                        "failed in " + failed + " of " + judged + " windows; " + where));
            } else {
                outcomes.add(new ThresholdOutcome(t.key(), w.result().expression(), w.result().observedOrNull(),
                        w.result().status(), "held in all " + judged + " windows; " + where));
            }
        }
        return outcomes;
    }
}
