package io.stampede.cli;

import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.GuardSpec;
import io.stampede.chaos.HaltCondition;
import io.stampede.chaos.HaltGuard;
import io.stampede.events.EventLog;
import io.stampede.plan.Plan;
import io.stampede.slo.LiveSli;
import io.stampede.slo.ServerSli;
import io.stampede.slo.SloSpec;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * The run's chaos behind its guard: the plan's halt conditions and steady state read from the SLIs
 * as the run goes. Wires the SLO side ({@link LiveSli}) to the chaos side ({@link HaltGuard}), which
 * know nothing of each other.
 */
final class GuardedChaos implements AutoCloseable {

    private final LiveSli sli;
    private final HaltGuard guard;
    private final boolean guarded;
    private final Duration steadyWithin;

    /**
     * @param plan      the plan as run: a probe's path is resolved against its host, the one the users reach
     * @param servers   the server-side SLOs' pollers, which the verdict reads too
     * @param stopUsers stops the run, given why, when a condition fires with {@code then: stop}
     */
    GuardedChaos(Plan plan, ChaosEngine chaos, List<ServerSli> servers, EventLog events, Consumer<String> stopUsers) {
        this(plan.judgement().guard(), plan.host(), plan.judgement().slos(), chaos, servers, events, stopUsers);
    }

    /**
     * @param spec the halt conditions and steady state
     * @param host what a probe's path is resolved against
     * @param slos the SLOs the conditions and the steady state read
     */
    GuardedChaos(GuardSpec spec, String host, List<SloSpec> slos, ChaosEngine chaos, List<ServerSli> servers, EventLog events,
                 Consumer<String> stopUsers) {
        spec = resolved(spec, host);
        Map<String, Map.Entry<ThresholdSpec, Optional<Duration>>> thresholds = new LinkedHashMap<>();
        for (HaltCondition c : spec.halt()) {
            if (c instanceof HaltCondition.ThresholdFails t) {
                thresholds.put(t.describe(), new AbstractMap.SimpleEntry<>(ThresholdSpec.of(t.metric(), t.expression()), t.window()));
            }
        }
        sli = new LiveSli(slos, servers, thresholds);
        guard = new HaltGuard(spec, chaos, readings(sli), events, stopUsers);
        try {
            guard.check(); // a query Prometheus refuses ends the run here, before any user or fault
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        guarded = !spec.isEmpty();
        steadyWithin = spec.steady().map(GuardSpec.Steady::within).orElse(Duration.ZERO);
    }

    private static HaltGuard.Readings readings(LiveSli sli) {
        return new HaltGuard.Readings() {
            @Override
            public OptionalDouble budgetLeftPercent(String slo) {
                return sli.budgetLeftPercent(slo);
            }

            @Override
            public OptionalDouble burnRate(String slo, Duration window) {
                return sli.burnRate(slo, window);
            }

            @Override
            public Optional<String> thresholdFailing(HaltCondition.ThresholdFails threshold) {
                return sli.thresholdFailing(threshold.describe());
            }

            @Override
            public int secondsAllSlosHeld() {
                return sli.secondsAllSlosHeld();
            }

            @Override
            public String lastBreach() {
                return sli.lastBreach();
            }
        };
    }

    /** A probe written as a path gets the users' host. */
    private static GuardSpec resolved(GuardSpec spec, String host) {
        List<HaltCondition> conditions = spec.halt().stream().map(c -> c instanceof HaltCondition.ProbeFails p && !p.url().isAbsolute()
                ? new HaltCondition.ProbeFails(URI.create(host + p.url()), p.inARow(), p.timeout(), p.where()) : c).toList();
        return new GuardSpec(conditions, spec.stop(), spec.steady());
    }

    /** Why no fault was injected when the steady state was not reached, or null. */
    String notSteady() {
        return guard.notSteady();
    }

    /** The longest the steady state may hold the schedule back: its {@code within}, or zero without one. */
    Duration steadyWithin() {
        return steadyWithin;
    }

    /** The guard's conditions with their values, its steady state and decision, for the live page. */
    HaltGuard.Status status() {
        return guard.status();
    }

    /** The run starts: the chaos starts now, or once the steady state is reached. */
    void start() {
        guard.start();
    }

    /** A new second of statistics: the SLIs move, the guard evaluates at once. */
    void onInterval(IntervalStats interval, RunStats stats) {
        if (guarded) {
            sli.add(interval, stats);
            guard.evaluate();
        }
    }

    @Override
    public void close() {
        guard.close();
    }
}
