package io.stampede.slo;

import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows the run second by second for its SLOs and, when it ends, judges it. Runs before the
 * console and results listeners, so they can show and store the verdict.
 */
public final class SloTracker implements RunListener {

    private final List<SliSeries> series = new ArrayList<>();
    /** The server-side SLOs' pollers, by their series' index; null for an SLO over the users' requests. */
    private final List<ServerSli> servers = new ArrayList<>();
    private final EventLog events;
    private final int recoverySeconds;
    private final Function<RunStats, List<ThresholdOutcome>> thresholds;
    private final Consumer<Verdict> onVerdict;
    private volatile Verdict verdict;

    /**
     * @param thresholds judges the thresholds over the finished run
     * @param onVerdict  receives the verdict before later listeners finish
     */
    public SloTracker(List<SloSpec> slos, EventLog events, int recoverySeconds,
                      Function<RunStats, List<ThresholdOutcome>> thresholds, Consumer<Verdict> onVerdict) {
        slos.forEach(slo -> {
            series.add(new SliSeries(slo));
            servers.add(slo.prometheus().isPresent() ? new ServerSli(slo, events) : null);
        });
        this.events = events;
        this.recoverySeconds = recoverySeconds;
        this.thresholds = thresholds;
        this.onVerdict = onVerdict;
    }

    /**
     * Before the users start: each server-side SLO reads the baseline it counts from, once Prometheus
     * has scraped since now (at most a few steps).
     */
    public void baseline() {
        servers.stream().filter(Objects::nonNull).forEach(ServerSli::baseline);
    }

    /**
     * The users have stopped, the targets not yet: each server-side SLO reads its counters once more
     * after Prometheus's next scrape, so the run's last events count (in its last second).
     */
    public void settle() {
        servers.stream().filter(Objects::nonNull).forEach(ServerSli::settle);
    }

    /** The server-side SLOs start polling with the run's clock. */
    @Override
    public void onStart(RunInfo run) {
        servers.stream().filter(Objects::nonNull).forEach(ServerSli::start);
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        for (int i = 0; i < series.size(); i++) {
            ServerSli server = servers.get(i);
            if (server == null) {
                series.get(i).add(interval);
            } else {
                ServerSli.Increase second = server.second(interval.endEpochMillis());
                series.get(i).add(interval.endEpochMillis(), second.total(), second.good());
            }
        }
    }

    @Override
    public void onFinish(RunStats stats) {
        onFinish(stats, null);
    }

    /** The server-side SLOs' pollers, for their cost. */
    public List<ServerSli> serverSlis() {
        return servers.stream().filter(Objects::nonNull).toList();
    }

    /** Judges the run; one that was aborted, or stopped before its planned end, does not pass. */
    @Override
    public void onFinish(RunStats stats, RunEnd end) {
        serverSlis().forEach(ServerSli::close);
        for (int i = 0; i < series.size(); i++) {
            ServerSli server = servers.get(i);
            if (server != null) {
                ServerSli.Increase tail = server.take(); // read after the last second, by settle(): it belongs to the run's end
                series.get(i).addToLast(events.clock().millis(), tail.total(), tail.good());
            }
        }
        Analysis analysis = new Analysis(series, stats.points(), stats.slots(), events.events(), recoverySeconds);
        List<FaultImpact> faults = analysis.faults();
        Verdict judged = Verdict.of(withPollingCost(analysis.slos()), thresholds.apply(stats), faults, analysis.steadyState(faults));
        judged = chaosHalted().map(judged::chaosHalted).orElse(judged);
        verdict = end != null && end.cutShort() ? judged.stoppedEarly(end.describe()) : judged;
        onVerdict.accept(verdict);
    }

    /**
     * The verdict as if the run ended now, for a live view; call on the listener thread, between
     * intervals. Costs one analysis of the run so far.
     */
    public Verdict interim(RunStats stats) {
        Analysis analysis = new Analysis(series, stats.points(), stats.slots(), events.events(), recoverySeconds);
        List<FaultImpact> faults = analysis.faults();
        Verdict judged = Verdict.of(withPollingCost(analysis.slos()), thresholds.apply(stats), faults, analysis.steadyState(faults));
        return chaosHalted().map(judged::chaosHalted).orElse(judged);
    }

    /** A server-side SLO says what reading it cost: queries sent and their mean time. */
    private List<SloResult> withPollingCost(List<SloResult> results) {
        List<SloResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            ServerSli server = servers.get(i);
            SloResult result = results.get(i);
            if (server != null) {
                for (String note : server.notes()) {
                    result = result.withNote(note);
                }
            }
            out.add(server == null || server.queries() == 0 ? result : result.withNote(String.format(Locale.ROOT,
                    "read from Prometheus at %s: %d queries, %.1f ms each on average", server.slo().prometheus().get().url(),
                    server.queries(), server.queryTime().toNanos() / 1e6 / server.queries())));
        }
        return out;
    }

    /** The halt event's "chaos halted at 0:42 by ...", if a halt condition fired. */
    private Optional<String> chaosHalted() {
        return events.events().stream().filter(e -> e.kind() == Event.Kind.CHAOS_HALTED)
                .map(Event::detail).findFirst();
    }

    /** The verdict once the run finished, else null. */
    public Verdict verdict() {
        return verdict;
    }

    /** SLOs whose filter matched no request of the run: a mistake in the plan, not a result. */
    public List<String> filtersMatchingNothing() {
        return series.stream().filter(s -> !s.matchedAnyRequest() && !s.slo().filterText().isEmpty())
                .map(s -> s.slo().where() + ": SLO " + s.slo().name() + ": the filter '" + s.slo().filterText()
                        + "' names no request of this run").toList();
    }
}
