package io.stampede.web;

import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.GuardSpec;
import io.stampede.chaos.HaltGuard;
import io.stampede.engine.Scenario;
import io.stampede.input.Durations;
import io.stampede.plan.Plan;
import io.stampede.slo.Verdict;
import io.stampede.slo.threshold.Status;
import io.stampede.target.TargetSpec;
import io.stampede.web.LiveJson.Judged;
import io.stampede.web.LiveJson.TargetState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot's chaos and SLO panels:
 *
 * <pre>
 * "chaos": { "targets": [ { "name": "app", "kind": "managed", "state": "up" } ],
 *            "faults":  [ { "index": 0, "kind": "kill", "target": "app", "describe": "...", "nextSeconds": 50.0 } ],
 *            "active":  [ { "injection": "pause#2", "target": "app" } ] },
 * "slo":   { "verdict": "pass", "slos": [ { "name": ..., "budgetLeftPercent": 62.5, "burnRates": {"10s": 3.1, ...}, "status": "pass" } ],
 *            "thresholds": [ { "metric": ..., "expression": ..., "value": ..., "status": ... } ] }
 * </pre>
 *
 * The SLO figures are the verdict as if the run ended now; burn rates are the highest seen so far
 * over each window. The fields are {@link LiveJson.Panels}'s.
 */
final class Panels {

    private Panels() {
    }

    static LiveJson.Panels of(Plan plan, double elapsedSeconds, Map<String, TargetState> targetStates,
                              Map<String, String> activeFaults, Verdict interim) {
        return of(plan, elapsedSeconds, targetStates, activeFaults, interim, false);
    }

    /**
     * @param plan the run's plan; null for a run shown without one (nothing declared: no target,
     *             fault, SLO or user class)
     * @param over the run has ended (finished or stopped): no entry fires again
     */
    static LiveJson.Panels of(Plan plan, double elapsedSeconds, Map<String, TargetState> targetStates,
                              Map<String, String> activeFaults, Verdict interim, boolean over) {
        if (plan == null) {
            return new LiveJson.Panels(new LiveJson.Chaos(List.of(), List.of(), List.of(), null),
                    new LiveJson.Slo(null, List.of(), List.of()), List.of(), null);
        }
        List<LiveJson.TargetRow> targets = plan.targets().stream()
                .map(target -> new LiveJson.TargetRow(target.name(), kind(target), targetStates.getOrDefault(target.name(),
                        target instanceof TargetSpec.Managed || target instanceof TargetSpec.Container
                                ? TargetState.STARTING : TargetState.NOT_PROBED)))
                .toList();
        List<LiveJson.FaultRow> faults = new ArrayList<>();
        List<ChaosSpec> schedule = plan.chaos();
        for (int i = 0; i < schedule.size(); i++) {
            ChaosSpec spec = schedule.get(i);
            LiveJson.Schedule when = new LiveJson.Schedule(spec.at().map(Panels::seconds).orElse(null),
                    spec.every().map(Panels::seconds).orElse(null),
                    spec.every().isPresent() ? seconds(spec.startAfter()) : null,
                    spec.count().isPresent() ? Integer.valueOf(spec.count().getAsInt()) : null);
            Double next = over ? null : nextFiring(spec, elapsedSeconds, plan.runTime().orElse(null));
            faults.add(new LiveJson.FaultRow(i, spec.kind(), spec.target(), spec.describe(), when, next));
        }
        List<LiveJson.ActiveFault> active = new ArrayList<>();
        activeFaults.forEach((id, target) -> active.add(new LiveJson.ActiveFault(id, target)));
        LiveJson.Chaos chaos = new LiveJson.Chaos(targets, List.copyOf(faults), List.copyOf(active), guard(plan.judgement().guard()));
        return new LiveJson.Panels(chaos, slo(plan, interim), ratio(plan), null);
    }

    /** The plan's guard before it is evaluated: its conditions without values, the steady state waiting. */
    private static LiveJson.Guard guard(GuardSpec spec) {
        if (spec.isEmpty()) {
            return null;
        }
        return new LiveJson.Guard(spec.halt().stream().map(c -> new LiveJson.HaltRow(c.describe(), null, false)).toList(),
                then(spec), spec.steady().map(s -> new LiveJson.SteadyRow(LiveJson.SteadyState.WAITING, 0,
                        (int) s.hold().toSeconds(), s.within().toSeconds())).orElse(null), null);
    }

    /** The guard as it stands during the run. */
    static LiveJson.Guard guard(GuardSpec spec, HaltGuard.Status status) {
        if (spec.isEmpty()) {
            return null;
        }
        return new LiveJson.Guard(status.conditions().stream()
                .map(c -> new LiveJson.HaltRow(c.condition(), c.value(), c.firing())).toList(),
                then(spec), status.steady().map(s -> new LiveJson.SteadyRow(LiveJson.SteadyState.of(s.state()),
                        s.heldSeconds(), s.holdSeconds(), s.withinSeconds())).orElse(null), status.haltedBy());
    }

    private static String then(GuardSpec spec) {
        return spec.stop() ? "stop" : "continue";
    }

    private static LiveJson.Slo slo(Plan plan, Verdict interim) {
        boolean judged = !plan.judgement().slos().isEmpty() || !plan.judgement().thresholds().isEmpty();
        Status verdict = interim == null || !judged ? null
                : interim.passed() ? Status.PASS
                : interim.slos().stream().anyMatch(s -> s.status() == Status.FAIL)
                        || interim.thresholds().stream().anyMatch(t -> t.status() == Status.FAIL) ? Status.FAIL
                : Status.NO_DATA;
        List<LiveJson.SloRow> slos;
        List<LiveJson.ThresholdRow> thresholds;
        if (interim == null) {
            // before the run: what will be judged, with nothing measured yet
            slos = plan.judgement().slos().stream()
                    .map(s -> new LiveJson.SloRow(s.name(), s.isLatency() ? "latency" : "availability", s.objectivePercent(),
                            s.latencyBelow().map(d -> "latency below " + Durations.format(d)).orElse("not failed")
                                    + (s.filterText().isEmpty() ? "" : " (" + s.filterText() + ")"),
                            null, null, null, null, Judged.NOT_STARTED, null))
                    .toList();
            thresholds = plan.judgement().thresholds().stream()
                    .map(t -> new LiveJson.ThresholdRow(t.key(), String.valueOf(t.spec()), null, Judged.NOT_STARTED))
                    .toList();
        } else {
            slos = interim.slos().stream().map(s -> {
                Map<String, Double> burn = new LinkedHashMap<>();
                s.burnRates().forEach((window, rate) -> burn.put(window, round(rate)));
                return new LiveJson.SloRow(s.name(), s.kind(), s.objectivePercent(), null, round(s.sliPercent()),
                        round(s.errorBudget()), s.budgetSpent(), round(s.budgetLeftPercent()), Judged.of(s.status()), burn);
            }).toList();
            thresholds = interim.thresholds().stream()
                    .map(t -> new LiveJson.ThresholdRow(t.metric(), t.expression(),
                            t.value() == null ? null : round(t.value()), Judged.of(t.status())))
                    .toList();
        }
        return new LiveJson.Slo(verdict, slos, thresholds);
    }

    /**
     * Locust's Current ratio: each user class's share of the users and, within it, each task's
     * share of its picks, from the declared weights. A Java scenario's classes are known only to
     * the compiled code: an empty list.
     */
    static List<LiveJson.UserClass> ratio(Plan plan) {
        if (!(plan.scenario() instanceof Scenario.Declared declared)) {
            return List.of();
        }
        double users = declared.users().stream().mapToInt(Scenario.UserSpec::weight).sum();
        return declared.users().stream().map(user -> {
            double picks = user.tasks().stream().mapToInt(Scenario.TaskSpec::weight).sum();
            List<LiveJson.TaskShare> tasks = user.tasks().stream()
                    // in order, each in turn: no share to show
                    .map(task -> new LiveJson.TaskShare(task.name(),
                            user.sequential() || picks == 0 ? null : round(100 * task.weight() / picks)))
                    .toList();
            return new LiveJson.UserClass(user.name(), round(100 * user.weight() / users), tasks);
        }).toList();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** Seconds from the start of the run to the entry's next firing, or null when none is left. */
    static Double nextFiring(ChaosSpec spec, double elapsedSeconds, Duration runTime) {
        Duration horizon = runTime == null ? Duration.ofDays(3650) : runTime;
        Duration now = Duration.ofMillis((long) (elapsedSeconds * 1000));
        Duration next;
        if (spec.at().isPresent()) {
            next = spec.at().get();
            if (next.compareTo(now) <= 0) {
                return null;
            }
        } else {
            Duration every = spec.every().orElseThrow();
            long passed = now.compareTo(spec.startAfter()) < 0 ? 0
                    : now.minus(spec.startAfter()).toNanos() / every.toNanos() + 1;
            if (passed >= spec.count().orElse(Integer.MAX_VALUE)) {
                return null;
            }
            next = spec.startAfter().plus(every.multipliedBy(passed));
        }
        return next.compareTo(horizon) < 0 ? next.toMillis() / 1000.0 : null;
    }

    private static String kind(TargetSpec target) {
        return switch (target) {
            case TargetSpec.Managed m -> "managed";
            case TargetSpec.External e -> "process";
            case TargetSpec.Address a -> "address";
            case TargetSpec.Container c -> c.image() != null ? "container from " + c.image() : "container";
        };
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
    }
}
