package io.stampede.slo;

import io.stampede.events.Event;
import io.stampede.slo.threshold.Status;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.Slots;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Judges a finished run from its per-second series, its {@link Slots} and its timeline: each SLO's
 * budget and burn rates, what each fault cost and how long the service took to detect and recover,
 * and the steady state.
 *
 * <p>A second is <em>bad</em> when any SLO's share of good requests in it is below objective (judged
 * over enough requests to mean something: {@link SliSeries#badAt}), or when it is a <em>stall</em>:
 * no request completed in it, and at least one request was in flight all through it (at the end of
 * every 10 ms slot in it: {@link Slots#minInFlight}). A paused service answers nothing, it does not
 * fail; users in their think time have nothing in flight, and their quiet second is not a stall. A fault is <em>recovered</em> at the first run of
 * {@code recoverySeconds} consecutive good seconds after it ended. The times themselves come from
 * the slots, exact to {@link Slots#SLOT_MILLIS}: detection is the first slot after the injection with
 * a failed or stalled request (or the target's health probe failing, if earlier); recovery is the
 * first slot with a successful request after the last bad slot before that good run, never before a
 * request succeeded. Without slots (an old summary) both fall back to whole seconds.
 *
 * <p>A fault's cost is what it added: the bad requests from its injection to its recovery, less what
 * the failure rate of the {@link #BASELINE_SECONDS} before it predicts for as many requests.
 */
public final class Analysis {

    /** Default K: consecutive good seconds that count as recovered. */
    public static final int DEFAULT_RECOVERY_SECONDS = 3;
    /** Seconds before an injection used as its latency baseline. */
    static final int BASELINE_SECONDS = 10;
    /** Rolling windows for the reported burn rates. */
    static final Map<String, Integer> BURN_WINDOWS_SECONDS = burnWindows();
    /** A burn-rate alert's short window is a twelfth of its long one and must be at least this. */
    static final int MIN_SHORT_WINDOW_SECONDS = 1;

    private final List<SliSeries> series;
    private final List<IntervalPoint> points;
    private final Slots slots;
    private final List<Event> events;
    private final int recoverySeconds;
    private final long[] ends;

    public Analysis(List<SliSeries> series, List<IntervalPoint> points, List<Event> events, int recoverySeconds) {
        this(series, points, Slots.EMPTY, events, recoverySeconds);
    }

    public Analysis(List<SliSeries> series, List<IntervalPoint> points, Slots slots, List<Event> events,
                    int recoverySeconds) {
        this.series = series;
        this.points = points;
        this.slots = slots;
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
        List<String> notes = new ArrayList<>();
        List<String> tooLong = new ArrayList<>();
        BURN_WINDOWS_SECONDS.forEach((label, window) -> {
            if (window <= s.size()) {
                burn.put(label, maxBurn(s, window));
            } else {
                tooLong.add(label);
            }
        });
        if (!tooLong.isEmpty()) { // one line for all of them: a short run would otherwise read as a list of excuses
            notes.add("burn rate over " + String.join(" and ", tooLong) + ": not applicable (run shorter than the "
                    + (tooLong.size() == 1 ? "window" : "windows") + ")");
        }
        List<String> alerts = alerts(s, notes);
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
                burn, alerts, notes, budgetSeries, !s.slo().isLatency() ? null
                        : s.slo().failures() == SloSpec.FailedRequests.BAD ? "bad" : "excluded", s.slo().source());
    }

    /** The highest burn rate over any {@code window}-second stretch (the run must be at least that long). */
    private static double maxBurn(SliSeries s, int window) {
        double allowed = s.slo().allowedBadRatio();
        double max = 0;
        for (int end = window; end <= s.size(); end++) {
            long total = s.total(end - window, end);
            if (total > 0) {
                max = Math.max(max, (double) s.bad(end - window, end) / total / allowed);
            }
        }
        return max;
    }

    /**
     * The SRE Workbook's multi-window, multi-burn-rate alerts with the run as the SLO period: a 30-day
     * period's 1 h / 6 h / 3 d long windows become 1/720, 1/120 and 1/10 of the run, each with a short
     * window a twelfth as long, firing when both burn faster than 14.4 / 6 / 1. A rule whose short
     * window would be under {@link #MIN_SHORT_WINDOW_SECONDS} (the run is too short), or whose factor
     * the objective cannot reach (at 90% the burn rate is at most 10), is not applicable, and says so
     * in {@code notes} rather than firing on windows collapsed to one second.
     */
    private List<String> alerts(SliSeries s, List<String> notes) {
        double[][] rules = {{720, 14.4}, {120, 6}, {10, 1}};
        List<String> fired = new ArrayList<>();
        double allowed = s.slo().allowedBadRatio();
        double maxPossible = allowed == 0 ? Double.POSITIVE_INFINITY : 1 / allowed;
        List<String> tooShort = new ArrayList<>();
        long shortestNeeded = Long.MAX_VALUE;
        for (double[] rule : rules) {
            String name = "burn-rate alert " + factor(rule[1]) + " over 1/" + (int) rule[0] + " of the run";
            int longWindow = (int) Math.round(s.size() / rule[0]);
            int shortWindow = longWindow / 12;
            if (rule[1] >= maxPossible) {
                notes.add(name + ": not applicable (at a " + factor(s.slo().objectivePercent()) + "% objective the burn rate is at most "
                        + factor(maxPossible) + ")");
                continue;
            }
            if (shortWindow < MIN_SHORT_WINDOW_SECONDS) {
                tooShort.add(factor(rule[1]) + " over 1/" + (int) rule[0]);
                shortestNeeded = Math.min(shortestNeeded, (long) (rule[0] * 12 * MIN_SHORT_WINDOW_SECONDS));
                continue;
            }
            for (int end = longWindow; end <= s.size(); end++) {
                if (burn(s, end - longWindow, end, allowed) > rule[1] && burn(s, end - shortWindow, end, allowed) > rule[1]) {
                    fired.add("burn rate above " + factor(rule[1]) + " over " + longWindow + " s and " + shortWindow
                            + " s (1/" + (int) rule[0] + " and 1/" + (int) (rule[0] * 12) + " of the run), first at second " + end);
                    break;
                }
            }
        }
        if (!tooShort.isEmpty()) {
            notes.add("burn-rate " + (tooShort.size() == 1 ? "alert " : "alerts ") + String.join(", ", tooShort)
                    + " of the run: not applicable (a run needs " + shortestNeeded + " s or more for a "
                    + MIN_SHORT_WINDOW_SECONDS + " s short window)");
        }
        return fired;
    }

    /** 14.4, 10, 99.9: four significant digits, no trailing zeros. */
    private static String factor(double value) {
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static double burn(SliSeries s, int from, int to, double allowed) {
        long total = s.total(from, to);
        return total == 0 ? 0 : (double) s.bad(from, to) / total / allowed;
    }

    // ---- per-fault impact --------------------------------------------------------------------------

    public List<FaultImpact> faults() {
        List<Event> injections = events.stream().filter(e -> e.kind() == Event.Kind.FAULT_INJECTED).toList();
        List<FaultImpact> impacts = new ArrayList<>();
        boolean[] stalls = stallSeconds();
        boolean[] bad = badSeconds();
        boolean fine = slots.size() > 0;
        for (int f = 0; f < injections.size(); f++) {
            Event injected = injections.get(f);
            long injectedAt = injected.epochMillis();
            long end = events.stream()
                    .filter(e -> e.kind() == Event.Kind.FAULT_ROLLED_BACK && e.injection().equals(injected.injection()))
                    .mapToLong(Event::epochMillis).findFirst().orElse(injectedAt);
            long next = f + 1 < injections.size() ? injections.get(f + 1).epochMillis() : Long.MAX_VALUE;
            int from = indexAt(injectedAt);
            int until = next == Long.MAX_VALUE ? points.size() : indexAt(next);
            until = Math.min(until, lastWholeSecond());

            int firstBadSecond = -1;
            for (int i = from; i < until; i++) {
                if (bad[i]) {
                    firstBadSecond = i;
                    break;
                }
            }
            int recoveredAt = -1;
            // a good stretch counts once the fault has ended and, when it had an effect, after it began
            // (a killed master's workers may serve on for seconds before anything fails)
            int searchFrom = Math.max(Math.max(from, indexAt(end)), firstBadSecond);
            for (int i = searchFrom; i + recoverySeconds <= until; i++) {
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
            Long recoveryMillis = null;
            if (recovered) {
                long stretchSecondStart = recoveredAt == 0 ? ends[0] - 1000 : ends[recoveredAt - 1];
                Optional<Long> fineRecovery = !fine ? Optional.empty()
                        : recoveredAt <= indexAt(end)
                        // the second the fault ended in is good: its failures after the end are still the fault's
                        ? firstCleanSuccessFrom(firstBadSlotEnd(injectedAt, end, true).isPresent() ? end
                                // an effect that had not shown by the fault's end (an instant fault's) starts after it
                                : firstBadSlotEnd(end, ends[recoveredAt], true).orElse(end))
                        : firstSuccessAfterLastBadSlot(end, stretchSecondStart);
                recoveryMillis = fineRecovery.isPresent() ? fineRecovery.get() : fine ? stretchSecondStart
                        : healthyWithin(injected.target(), recoveredAt - 1, end).orElse(stretchSecondStart);
            }
            // the fault's window: from its second to the one it recovered in (inclusive), or to the next fault or the end
            int windowEnd = recovered ? Math.max(recoveredAt, Math.min(indexAt(recoveryMillis - 1) + 1, until)) : until;
            windowEnd = Math.max(windowEnd, from);
            long failed = 0;
            long requests = 0;
            for (int i = from; i < windowEnd; i++) {
                failed += points.get(i).failures();
                requests += points.get(i).requests();
            }
            int[] baseline = baselineWindow(from, impacts, injections);
            double baselineFailureRatio = failureRatio(baseline[0], baseline[1]);
            int costEnd = windowEnd;
            List<FaultImpact.SloCost> costs = series.stream().map(sli -> cost(sli, baseline, from, costEnd)).toList();
            double excessFailures = Math.max(0, failed - baselineFailureRatio * requests);
            double excess = costs.isEmpty() ? excessFailures : costs.get(0).excessBadRequests();

            long horizon = Math.min(next, windowEnd < ends.length ? ends[windowEnd] : Long.MAX_VALUE);
            Optional<Long> unhealthy = firstEvent(Event.Kind.TARGET_UNHEALTHY, injected.target(), injectedAt, horizon);
            // Failures count as the fault's effect only above the baseline: a service failing all along
            // shows nothing new. A stall (requests waiting, nothing answered) always does.
            boolean failing = excessFailures > 0 || costs.stream().anyMatch(c -> c.excessBadRequests() > 0);
            int stalledSeconds = 0;
            for (int i = from; i < Math.max(windowEnd, from + 1) && i < points.size(); i++) {
                stalledSeconds += stalls[i] ? 1 : 0;
            }
            boolean stalled = stalledSeconds > 0 || firstBadSlotEnd(injectedAt, horizon, false).isPresent();
            for (int i = from; i < until && !stalled; i++) {
                stalled = stalls[i];
            }
            Double detect = null;
            if (failing || stalled || unhealthy.isPresent()) {
                long detectedAt = Math.min(firstBadSlotEnd(injectedAt, horizon, failing).orElse(Long.MAX_VALUE),
                        unhealthy.orElse(Long.MAX_VALUE));
                if (detectedAt == Long.MAX_VALUE && firstBadSecond >= 0) {
                    detectedAt = ends[firstBadSecond]; // no slots, or a stall no request came back from
                }
                detect = detectedAt == Long.MAX_VALUE ? null : Math.max(0, detectedAt - injectedAt) / 1000.0;
            }
            Double recoverSeconds = recovered ? Math.max(0, recoveryMillis - end) / 1000.0 : null;
            impacts.add(new FaultImpact(injected.injection(), injected.fault(), injected.target(), injectedAt,
                    end, failed, 100 * baselineFailureRatio,
                    costs.isEmpty() ? null : excess, costs.isEmpty() ? null : costs.get(0).budgetPercent(), costs,
                    median(baseline, IntervalPoint::okP95Millis), peak(from, Math.max(windowEnd, from + 1), IntervalPoint::okP95Millis),
                    median(baseline, IntervalPoint::okP99Millis), peak(from, Math.max(windowEnd, from + 1), IntervalPoint::okP99Millis),
                    peak(from, Math.max(windowEnd, from + 1), IntervalPoint::failedP95Millis),
                    detect, recoverSeconds, recovered, fine ? Slots.SLOT_MILLIS : 1000, stalledSeconds));
        }
        return impacts;
    }

    /** One SLO's bad requests over seconds [from, to) above its bad share in the baseline window. */
    private static FaultImpact.SloCost cost(SliSeries sli, int[] baseline, int from, int to) {
        long baseTotal = sli.total(baseline[0], baseline[1]);
        double baseRatio = baseTotal == 0 ? 0 : (double) sli.bad(baseline[0], baseline[1]) / baseTotal;
        long badRequests = sli.bad(from, to);
        double excess = Math.max(0, badRequests - baseRatio * sli.total(from, to));
        double budget = sli.slo().allowedBadRatio() * sli.total(0, sli.size());
        return new FaultImpact.SloCost(sli.slo().name(), 100 * baseRatio, badRequests, excess,
                budget == 0 ? null : 100 * excess / budget);
    }

    private double failureRatio(int from, int to) {
        long requests = 0;
        long failures = 0;
        for (int i = Math.max(0, from); i < Math.min(to, points.size()); i++) {
            requests += points.get(i).requests();
            failures += points.get(i).failures();
        }
        return requests == 0 ? 0 : (double) failures / requests;
    }

    /**
     * The end of the first slot in [from, to) with a stalled request, or a failed one when
     * {@code failures} count: by then it was seen.
     */
    private Optional<Long> firstBadSlotEnd(long fromMillis, long toMillis, boolean failures) {
        for (int i = slots.indexFrom(fromMillis / Slots.SLOT_MILLIS); i < slots.size(); i++) {
            long start = Slots.startMillis(slots.slot()[i]);
            if (start >= toMillis) {
                break;
            }
            if ((failures && slots.failed()[i] > 0) || slots.stalled()[i] > 0) {
                return Optional.of(start + Slots.SLOT_MILLIS);
            }
        }
        return Optional.empty();
    }

    /**
     * The end of the first slot with a successful request after the last bad slot in [from, until):
     * the success that starts the good stretch, never earlier than a request that succeeded.
     */
    private Optional<Long> firstSuccessAfterLastBadSlot(long fromMillis, long untilMillis) {
        int first = slots.indexFrom(fromMillis / Slots.SLOT_MILLIS);
        int after = first;
        for (int i = first; i < slots.size() && Slots.startMillis(slots.slot()[i]) < untilMillis; i++) {
            if (slots.failed()[i] > 0 || slots.stalled()[i] > 0) {
                after = i + 1;
            }
        }
        for (int i = after; i < slots.size(); i++) {
            if (slots.ok()[i] > 0) {
                return Optional.of(Slots.startMillis(slots.slot()[i]) + Slots.SLOT_MILLIS);
            }
        }
        return Optional.empty();
    }

    /** The end of the first slot from {@code from} on with successes and nothing bad: the service answered again. */
    private Optional<Long> firstCleanSuccessFrom(long fromMillis) {
        for (int i = slots.indexFrom(Math.ceilDiv(fromMillis, Slots.SLOT_MILLIS)); i < slots.size(); i++) {
            if (slots.ok()[i] > 0 && slots.failed()[i] == 0 && slots.stalled()[i] == 0) {
                return Optional.of(Slots.startMillis(slots.slot()[i]) + Slots.SLOT_MILLIS);
            }
        }
        return Optional.empty();
    }

    private Optional<Long> firstEvent(Event.Kind kind, String target, long fromMillis, long toMillis) {
        return events.stream().filter(e -> e.kind() == kind && e.target().equals(target))
                .map(Event::epochMillis).filter(t -> t >= fromMillis && t < toMillis).findFirst();
    }

    /**
     * Seconds are coarse: when the target's health probe saw it healthy again inside the last bad
     * second, that moment (exact to the probe interval) is the recovery, not the second's end.
     */
    private Optional<Long> healthyWithin(String target, int second, long after) {
        if (second < 0) {
            return Optional.empty();
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
        boolean[] bad = stallSeconds();
        for (int i = 0; i < points.size(); i++) {
            IntervalPoint p = points.get(i);
            if (bad[i] || p.requests() == 0) {
                continue;
            }
            if (series.isEmpty()) {
                bad[i] = p.failures() > 0;
            }
            for (SliSeries s : series) {
                if (i < s.size() && s.badAt(i)) {
                    bad[i] = true;
                }
            }
        }
        return bad;
    }

    /**
     * Per second: was it a stall, no request completed in it and one in flight all through it? Both
     * from the slots, which place every start and completion in time exactly (a second's point counts
     * what reached the coordinator in it, a worker's line may come a tick late); without slots nothing
     * is known to be in flight, and no second is a stall.
     */
    boolean[] stallSeconds() {
        boolean[] stalls = new boolean[points.size()];
        long[] inFlight = slots.inFlight();
        for (int i = 0; i < points.size(); i++) {
            long end = ends[i];
            long start = end - Math.round(points.get(i).seconds() * 1000);
            stalls[i] = slots.completed(start, end) == 0 && slots.minInFlight(inFlight, start, end) > 0;
        }
        return stalls;
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

    /** The median over the window's seconds with a successful request (the metrics are successes' latencies). */
    private double median(int[] window, ToDoubleFunction<IntervalPoint> metric) {
        double[] values = IntStream.range(window[0], window[1])
                .filter(i -> points.get(i).requests() > points.get(i).failures()).mapToDouble(i -> metric.applyAsDouble(points.get(i))).sorted().toArray();
        return values.length == 0 ? 0 : values[values.length / 2];
    }

    private double peak(int from, int to, ToDoubleFunction<IntervalPoint> metric) {
        double max = 0;
        for (int i = from; i < Math.min(to, points.size()); i++) {
            max = Math.max(max, metric.applyAsDouble(points.get(i)));
        }
        return max;
    }

    // ---- steady state ------------------------------------------------------------------------------

    public SteadyState steadyState(List<FaultImpact> impacts) {
        for (Event e : events) {
            if (e.kind() == Event.Kind.STEADY_STATE_NOT_REACHED) {
                return new SteadyState(SteadyState.Result.NOT_STEADY, e.detail());
            }
        }
        if (impacts.isEmpty()) {
            return new SteadyState(SteadyState.Result.NO_DATA, "no fault was injected");
        }
        int firstFault = indexAt(impacts.get(0).injectedAtEpochMillis());
        FaultImpact last = impacts.get(impacts.size() - 1);
        if (!last.recovered()) {
            return new SteadyState(SteadyState.Result.DEVIATED, "the service had not recovered from " + last.injection() + " when the run ended");
        }
        int afterFrom = indexAt(last.endedAtEpochMillis() + (long) (last.timeToRecoverSeconds() * 1000)) + 1;
        int afterTo = lastWholeSecond();
        int beforeFrom = Math.min(2, firstFault); // the first seconds are the ramp-up
        String before = holds(beforeFrom, firstFault);
        String after = holds(afterFrom, afterTo);
        if (before == null || after == null) {
            return new SteadyState(SteadyState.Result.NO_DATA, before == null ? "no requests before the first fault" : "no requests after the last recovery");
        }
        if (!before.isEmpty()) {
            return new SteadyState(SteadyState.Result.NOT_STEADY_BEFORE, "before the first fault: " + before);
        }
        return after.isEmpty() ? new SteadyState(SteadyState.Result.PASS, "SLOs held before the first fault and after the last recovery")
                : new SteadyState(SteadyState.Result.DEVIATED, "after the last recovery: " + after);
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
                broken.add(s.slo().name() + " " + String.format(Locale.ROOT, "%.2f%%", 100.0 * (total - s.bad(from, to)) / total)
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

    /** The second that contains {@code epochMillis}: the first whose end is after it (seconds are [start, end)). */
    int indexAt(long epochMillis) {
        int i = Arrays.binarySearch(ends, epochMillis);
        return i >= 0 ? Math.min(i + 1, ends.length) : Math.min(-i - 1, ends.length);
    }

    /** The last interval is usually a partial second at stop: leave it out of streaks and windows. */
    private int lastWholeSecond() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).seconds() < 0.9 ? points.size() - 1 : points.size();
    }
}
