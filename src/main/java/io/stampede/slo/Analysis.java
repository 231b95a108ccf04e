package io.stampede.slo;

import io.stampede.events.Event;
import io.stampede.stats.IntervalPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a finished run from its per-second series and its timeline: each SLO's budget and burn
 * rates, what each fault cost and how long the service took to recover, and the steady state.
 *
 * <p>A second is <em>bad</em> when any SLO's share of good requests in it is below objective, or
 * when no request completed in it although requests completed before the fault (a stall: a paused
 * service answers nothing, it does not fail). Recovery is the start of the first run of
 * {@code recoverySeconds} consecutive good seconds after the fault ended, refined by the target's
 * health probe when it saw the target healthy again during the last bad second.
 */
public final class Analysis {

    /** Default K: consecutive good seconds that count as recovered. */
    public static final int DEFAULT_RECOVERY_SECONDS = 3;
    /** Seconds before an injection used as its latency baseline. */
    static final int BASELINE_SECONDS = 10;
    /** Rolling windows for the reported burn rates. */
    static final Map<String, Integer> BURN_WINDOWS_SECONDS = burnWindows();

    private final List<SliSeries> series;
    private final List<IntervalPoint> points;
    private final List<Event> events;
    private final int recoverySeconds;
    private final long[] ends;

    public Analysis(List<SliSeries> series, List<IntervalPoint> points, List<Event> events, int recoverySeconds) {
        this.series = series;
        this.points = points;
        this.events = events;
        this.recoverySeconds = recoverySeconds;
        this.ends = points.stream().mapToLong(IntervalPoint::endEpochMillis).toArray();
    }

    private static Map<String, Integer> burnWindows() {
        Map<String, Integer> windows = new LinkedHashMap<>();
        windows.put("10s", 10);
        windows.put("1m", 60);
        windows.put("5m", 300);
        return windows;
    }

    // ---- SLOs ------------------------------------------------------------------------------------

    public List<SloResult> slos() {
        return series.stream().map(this::slo).toList();
    }

    private SloResult slo(SliSeries s) {
        long total = s.total(0, s.size());
        long bad = s.bad(0, s.size());
        double allowedRatio = s.slo().allowedBadRatio();
        double budget = allowedRatio * total;
        double sli = total == 0 ? 0 : 100.0 * (total - bad) / total;
        Status status = total == 0 ? Status.NO_DATA : sli >= s.slo().objectivePercent() ? Status.PASS : Status.FAIL;
        Map<String, Double> burn = new LinkedHashMap<>();
        BURN_WINDOWS_SECONDS.forEach((label, window) -> burn.put(label, maxBurn(s, window)));
        List<SloResult.BudgetPoint> budgetSeries = new ArrayList<>();
        long spent = 0;
        for (int i = 0; i < s.size(); i++) {
            spent += s.bad(i);
            budgetSeries.add(new SloResult.BudgetPoint(s.endMillis(i), budget == 0 ? (spent == 0 ? 100 : -100)
                    : 100.0 * (budget - spent) / budget));
        }
        return new SloResult(s.slo().name(), s.slo().isLatency() ? "latency" : "availability", s.slo().objectivePercent(),
                s.slo().latencyBelow().map(d -> d.toNanos() / 1e6).orElse(null), s.slo().filterText(), total, total - bad,
                sli, budget, bad, budget == 0 ? (bad == 0 ? 100 : -100) : 100.0 * (budget - bad) / budget, status,
                burn, alerts(s), budgetSeries);
    }

    /** The highest burn rate over any {@code window}-second stretch (a shorter run counts whole). */
    private static double maxBurn(SliSeries s, int window) {
        double allowed = s.slo().allowedBadRatio();
        double max = 0;
        int span = Math.min(window, s.size());
        for (int end = span; end <= s.size(); end++) {
            long total = s.total(end - span, end);
            if (total > 0) {
                max = Math.max(max, (double) s.bad(end - span, end) / total / allowed);
            }
        }
        return max;
    }

    /**
     * The SRE Workbook's multi-window, multi-burn-rate alerts with the run as the SLO period: a 30-day
     * period's 1 h / 6 h / 3 d long windows become 1/720, 1/120 and 1/10 of the run, each with a short
     * window a twelfth as long (at least one second), firing when both burn faster than 14.4 / 6 / 1.
     */
    private List<String> alerts(SliSeries s) {
        double[][] rules = {{720, 14.4}, {120, 6}, {10, 1}};
        List<String> fired = new ArrayList<>();
        double allowed = s.slo().allowedBadRatio();
        for (double[] rule : rules) {
            int longWindow = Math.max(1, (int) Math.round(s.size() / rule[0]));
            int shortWindow = Math.max(1, longWindow / 12);
            for (int end = longWindow; end <= s.size(); end++) {
                if (burn(s, end - longWindow, end, allowed) > rule[1] && burn(s, end - shortWindow, end, allowed) > rule[1]) {
                    fired.add("burn rate above " + rule[1] + " over " + longWindow + " s and " + shortWindow
                            + " s, first at second " + end);
                    break;
                }
            }
        }
        return fired;
    }

    private static double burn(SliSeries s, int from, int to, double allowed) {
        long total = s.total(from, to);
        return total == 0 ? 0 : (double) s.bad(from, to) / total / allowed;
    }

    // ---- per-fault impact --------------------------------------------------------------------------

    public List<FaultImpact> faults() {
        List<Event> injections = events.stream().filter(e -> e.kind() == Event.Kind.FAULT_INJECTED).toList();
        List<FaultImpact> impacts = new ArrayList<>();
        boolean[] bad = badSeconds();
        for (int f = 0; f < injections.size(); f++) {
            Event injected = injections.get(f);
            long end = events.stream()
                    .filter(e -> e.kind() == Event.Kind.FAULT_ROLLED_BACK && e.injection().equals(injected.injection()))
                    .mapToLong(Event::epochMillis).findFirst().orElse(injected.epochMillis());
            long next = f + 1 < injections.size() ? injections.get(f + 1).epochMillis() : Long.MAX_VALUE;
            int from = indexAt(injected.epochMillis());
            int until = next == Long.MAX_VALUE ? points.size() : indexAt(next);
            until = Math.min(until, lastWholeSecond());

            Double detect = null;
            for (int i = from; i < until; i++) {
                if (bad[i]) {
                    detect = Math.max(0, ends[i] - injected.epochMillis()) / 1000.0;
                    break;
                }
            }
            int recoveredAt = -1;
            for (int i = Math.max(from, indexAt(end)); i + recoverySeconds <= until; i++) {
                boolean streak = true;
                for (int k = i; k < i + recoverySeconds; k++) {
                    streak &= !bad[k];
                }
                if (streak) {
                    recoveredAt = i;
                    break;
                }
            }
            boolean recovered = recoveredAt >= 0;
            Double recoverSeconds = null;
            if (recovered) {
                long recoveryMillis = recoveredAt == 0 ? ends[0] - 1000 : ends[recoveredAt - 1];
                recoverSeconds = Math.max(0, healthyWithin(injected.target(), recoveredAt - 1, end).orElse(recoveryMillis) - end) / 1000.0;
            }
            int windowEnd = recovered ? recoveredAt : until;
            long failed = 0;
            for (int i = from; i < windowEnd; i++) {
                failed += points.get(i).failures();
            }
            Double spent = null;
            Double spentPercent = null;
            if (!series.isEmpty()) {
                SliSeries primary = series.get(0);
                spent = (double) primary.bad(from, windowEnd);
                double budget = primary.slo().allowedBadRatio() * primary.total(0, primary.size());
                spentPercent = budget == 0 ? null : 100 * spent / budget;
            }
            int[] baseline = baselineWindow(from, impacts, injections);
            impacts.add(new FaultImpact(injected.injection(), injected.fault(), injected.target(), injected.epochMillis(),
                    end, failed, spent, spentPercent,
                    median(baseline, IntervalPoint::p95Millis), peak(from, Math.max(windowEnd, from + 1), IntervalPoint::p95Millis),
                    median(baseline, IntervalPoint::p99Millis), peak(from, Math.max(windowEnd, from + 1), IntervalPoint::p99Millis),
                    detect, recoverSeconds, recovered));
        }
        return impacts;
    }

    /**
     * Seconds are coarse: when the target's health probe saw it healthy again inside the last bad
     * second, that moment (exact to the probe interval) is the recovery, not the second's end.
     */
    private java.util.Optional<Long> healthyWithin(String target, int second, long after) {
        if (second < 0) {
            return java.util.Optional.empty();
        }
        long from = second == 0 ? ends[0] - 1000 : ends[second - 1];
        long to = ends[second];
        return events.stream()
                .filter(e -> e.kind() == Event.Kind.TARGET_HEALTHY && e.target().equals(target))
                .map(Event::epochMillis)
                .filter(t -> t > Math.max(from, after) && t <= to)
                .findFirst();
    }

    /** Per second: is it bad (an SLO below objective, or a stall)? Without SLOs: any failure is bad. */
    boolean[] badSeconds() {
        boolean[] bad = new boolean[points.size()];
        boolean seenTraffic = false;
        for (int i = 0; i < points.size(); i++) {
            IntervalPoint p = points.get(i);
            if (p.requests() == 0) {
                bad[i] = seenTraffic && p.users() > 0;
                continue;
            }
            seenTraffic = true;
            if (series.isEmpty()) {
                bad[i] = p.failures() > 0;
            }
            for (SliSeries s : series) {
                if (i < s.size() && s.total(i) > 0 && !s.withinObjective(i)) {
                    bad[i] = true;
                }
            }
        }
        return bad;
    }

    /** Up to {@link #BASELINE_SECONDS} seconds before {@code from}, after the previous fault recovered. */
    private int[] baselineWindow(int from, List<FaultImpact> earlier, List<Event> injections) {
        int start = Math.max(0, from - BASELINE_SECONDS);
        if (!earlier.isEmpty()) {
            FaultImpact previous = earlier.get(earlier.size() - 1);
            long recoveredMillis = previous.recovered()
                    ? previous.endedAtEpochMillis() + (long) (previous.timeToRecoverSeconds() * 1000) : Long.MAX_VALUE;
            start = Math.max(start, recoveredMillis == Long.MAX_VALUE ? from : indexAt(recoveredMillis) + 1);
        }
        return new int[] {Math.min(start, from), from};
    }

    private double median(int[] window, java.util.function.ToDoubleFunction<IntervalPoint> metric) {
        double[] values = java.util.stream.IntStream.range(window[0], window[1])
                .filter(i -> points.get(i).requests() > 0).mapToDouble(i -> metric.applyAsDouble(points.get(i))).sorted().toArray();
        return values.length == 0 ? 0 : values[values.length / 2];
    }

    private double peak(int from, int to, java.util.function.ToDoubleFunction<IntervalPoint> metric) {
        double max = 0;
        for (int i = from; i < Math.min(to, points.size()); i++) {
            max = Math.max(max, metric.applyAsDouble(points.get(i)));
        }
        return max;
    }

    // ---- steady state ------------------------------------------------------------------------------

    public SteadyState steadyState(List<FaultImpact> impacts) {
        if (impacts.isEmpty()) {
            return new SteadyState("no data", "no fault was injected");
        }
        int firstFault = indexAt(impacts.get(0).injectedAtEpochMillis());
        FaultImpact last = impacts.get(impacts.size() - 1);
        if (!last.recovered()) {
            return new SteadyState("deviated", "the service had not recovered from " + last.injection() + " when the run ended");
        }
        int afterFrom = indexAt(last.endedAtEpochMillis() + (long) (last.timeToRecoverSeconds() * 1000)) + 1;
        int afterTo = lastWholeSecond();
        int beforeFrom = Math.min(2, firstFault); // the first seconds are the ramp-up
        String before = holds(beforeFrom, firstFault);
        String after = holds(afterFrom, afterTo);
        if (before == null || after == null) {
            return new SteadyState("no data", before == null ? "no requests before the first fault" : "no requests after the last recovery");
        }
        if (!before.isEmpty()) {
            return new SteadyState("not steady before", "before the first fault: " + before);
        }
        return after.isEmpty() ? new SteadyState("pass", "SLOs held before the first fault and after the last recovery")
                : new SteadyState("deviated", "after the last recovery: " + after);
    }

    /** "" when every SLO holds over seconds [from, to), null without data, else what broke. */
    private String holds(int from, int to) {
        long requests = 0;
        for (int i = Math.max(0, from); i < Math.min(to, points.size()); i++) {
            requests += points.get(i).requests();
        }
        if (requests == 0) {
            return null;
        }
        List<String> broken = new ArrayList<>();
        for (SliSeries s : series) {
            long total = s.total(from, to);
            if (total > 0 && 100.0 * (total - s.bad(from, to)) / total < s.slo().objectivePercent()) {
                broken.add(s.slo().name() + " " + String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * (total - s.bad(from, to)) / total)
                        + " < " + s.slo().objectivePercent() + "%");
            }
        }
        if (series.isEmpty()) {
            long failures = 0;
            for (int i = Math.max(0, from); i < Math.min(to, points.size()); i++) {
                failures += points.get(i).failures();
            }
            if (failures > 0) {
                broken.add(failures + " failed requests");
            }
        }
        return String.join("; ", broken);
    }

    // ---- time <-> second index --------------------------------------------------------------------

    /** The second that contains {@code epochMillis}: the first whose end is at or after it. */
    int indexAt(long epochMillis) {
        int i = Arrays.binarySearch(ends, epochMillis);
        return i >= 0 ? i : Math.min(-i - 1, ends.length);
    }

    /** The last interval is usually a partial second at stop: leave it out of streaks and windows. */
    private int lastWholeSecond() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).seconds() < 0.9 ? points.size() - 1 : points.size();
    }
}
