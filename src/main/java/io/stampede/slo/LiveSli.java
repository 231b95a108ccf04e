package io.stampede.slo;

import io.stampede.slo.threshold.Status;
import io.stampede.slo.threshold.ThresholdResult;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The SLIs as the run goes, for the chaos's halt conditions and steady state: fed each second of
 * statistics on the listener thread, read from the guard's. Budget and burn rate are read only once
 * the requests can tell the objective from a single bad one ({@link SliSeries#meaningfulRequests()}):
 * one failure among the first ten requests would otherwise read as the budget overspent ninefold.
 * A server-side SLO's seconds are its poller's ({@link ServerSli#second(long)}), the same the verdict
 * counts, so a halt or the steady state reads the service's own counters as the verdict will.
 */
public final class LiveSli {

    private final Map<String, SliSeries> series = new LinkedHashMap<>();
    private final Map<String, ServerSli> servers = new LinkedHashMap<>();
    private final Map<String, ThresholdSpec> thresholds = new LinkedHashMap<>();
    private final Map<String, Optional<Duration>> thresholdWindows = new LinkedHashMap<>();
    private final Map<String, Optional<String>> failing = new LinkedHashMap<>();
    private final Deque<IntervalStats> recent = new ArrayDeque<>();
    private final int longestWindowSeconds;

    /**
     * @param servers    the run's server-side SLOs' pollers, whose seconds their series take
     * @param thresholds the thresholds to judge as the run goes, by a name of the caller's, each with
     *                   its window (empty: over the run so far)
     */
    public LiveSli(List<SloSpec> slos, List<ServerSli> servers,
                   Map<String, Map.Entry<ThresholdSpec, Optional<Duration>>> thresholds) {
        slos.forEach(s -> series.put(s.name(), new SliSeries(s)));
        servers.forEach(s -> this.servers.put(s.slo().name(), s));
        thresholds.forEach((name, t) -> {
            this.thresholds.put(name, t.getKey());
            this.thresholdWindows.put(name, t.getValue());
            failing.put(name, Optional.empty());
        });
        longestWindowSeconds = thresholds.values().stream()
                .mapToInt(t -> t.getValue().map(w -> (int) w.toSeconds()).orElse(0)).max().orElse(0);
    }

    /** Adds one second; {@code soFar} is the run so far. Judges the thresholds now, on the caller's thread. */
    public synchronized void add(IntervalStats interval, RunStats soFar) {
        series.values().forEach(s -> {
            ServerSli server = servers.get(s.slo().name());
            if (server == null) {
                s.add(interval);
            } else {
                ServerSli.Increase second = server.second(interval.endEpochMillis());
                s.add(interval.endEpochMillis(), second.total(), second.good());
            }
        });
        if (longestWindowSeconds > 0) {
            recent.addLast(interval);
            while (recent.size() > longestWindowSeconds) {
                recent.removeFirst();
            }
        }
        thresholds.forEach((name, spec) -> {
            Optional<Duration> window = thresholdWindows.get(name);
            RunStats over = soFar;
            if (window.isPresent()) {
                int seconds = (int) window.get().toSeconds();
                if (recent.size() < seconds) {
                    return; // not a full window yet
                }
                List<IntervalStats> last = new ArrayList<>(recent).subList(recent.size() - seconds, recent.size());
                over = new RunStats(last.get(0).startEpochMillis());
                last.forEach(over::add);
            }
            ThresholdResult r = spec.evaluate(over);
            failing.put(name, r.status() == Status.FAIL && r.matchedRequests() > 0 ? Optional.of(r.detail()) : Optional.empty());
        });
    }

    /** What is left of the SLO's budget over the run so far, in percent; empty while too few requests tell. */
    public synchronized OptionalDouble budgetLeftPercent(String slo) {
        SliSeries s = series.get(slo);
        long total = s.total(0, s.size());
        if (total < s.meaningfulRequests()) {
            return OptionalDouble.empty();
        }
        double budget = s.slo().allowedBadRatio() * total;
        return OptionalDouble.of(100.0 * (budget - s.bad(0, s.size())) / budget);
    }

    /** The SLO's burn rate over the last {@code window}; empty before a full window or while too few requests tell. */
    public synchronized OptionalDouble burnRate(String slo, Duration window) {
        SliSeries s = series.get(slo);
        int seconds = (int) window.toSeconds();
        if (s.size() < seconds) {
            return OptionalDouble.empty();
        }
        long total = s.total(s.size() - seconds, s.size());
        if (total < s.meaningfulRequests()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) s.bad(s.size() - seconds, s.size()) / total / s.slo().allowedBadRatio());
    }

    /** The named threshold's value ("rate=31.00%") when it failed on the latest second, else empty. */
    public synchronized Optional<String> thresholdFailing(String name) {
        return failing.getOrDefault(name, Optional.empty());
    }

    /**
     * How many seconds in a row, up to the latest, every SLO held: a second holds when some SLO saw a
     * request in it and none is bad at it ({@link SliSeries#badAt}, which judges sparse traffic over
     * enough requests to tell).
     */
    public synchronized int secondsAllSlosHeld() {
        int size = series.values().stream().mapToInt(SliSeries::size).max().orElse(0);
        int held = 0;
        for (int i = size - 1; i >= 0 && holds(i); i--) {
            held++;
        }
        return held;
    }

    /** What broke the SLOs in the latest second that did not hold ("availability 70.10% < 99%"), or "". */
    public synchronized String lastBreach() {
        int size = series.values().stream().mapToInt(SliSeries::size).max().orElse(0);
        for (int i = size - 1; i >= 0; i--) {
            List<String> broken = new ArrayList<>();
            for (SliSeries s : series.values()) {
                if (i < s.size() && s.badAt(i)) {
                    broken.add(String.format(Locale.ROOT, "%s %.2f%% < %s%%", s.slo().name(),
                            100.0 * s.good(i) / s.total(i), plain(s.slo().objectivePercent())));
                }
            }
            if (!broken.isEmpty()) {
                return String.join("; ", broken) + " in its last bad second";
            }
        }
        return "";
    }

    private boolean holds(int i) {
        boolean anyRequest = false;
        for (SliSeries s : series.values()) {
            if (i >= s.size()) {
                return false;
            }
            anyRequest |= s.total(i) > 0;
            if (s.badAt(i)) {
                return false;
            }
        }
        return anyRequest;
    }

    /** 99.9, 95: a percentage as the plan writes it. */
    private static String plain(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
