package io.stampede.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.chaos.ChaosSpec;
import io.stampede.plan.Plan;
import io.stampede.target.TargetSpec;
import io.stampede.slo.SloResult;
import io.stampede.slo.ThresholdOutcome;
import io.stampede.slo.Verdict;
import java.time.Duration;
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
 * over each window.
 */
final class Panels {

    private Panels() {
    }

    static ObjectNode of(Plan plan, double elapsedSeconds, Map<String, String> targetStates,
                         Map<String, String> activeFaults, Verdict interim) {
        return of(plan, elapsedSeconds, targetStates, activeFaults, interim, false);
    }

    /**
     * @param plan the run's plan; null for a run shown without one (nothing declared: no target,
     *             fault, SLO or user class)
     * @param over the run has ended (finished or stopped): no entry fires again
     */
    static ObjectNode of(Plan plan, double elapsedSeconds, Map<String, String> targetStates,
                         Map<String, String> activeFaults, Verdict interim, boolean over) {
        ObjectNode panels = LiveRun.JSON.createObjectNode();
        ObjectNode chaos = panels.putObject("chaos");
        ArrayNode targets = chaos.putArray("targets");
        for (TargetSpec target : plan == null ? List.<TargetSpec>of() : plan.targets()) {
            targets.addObject().put("name", target.name()).put("kind", kind(target))
                    .put("state", targetStates.getOrDefault(target.name(), target instanceof TargetSpec.Managed || target instanceof TargetSpec.Container ? "starting" : "not probed"));
        }
        ArrayNode faults = chaos.putArray("faults");
        List<ChaosSpec> schedule = plan == null ? List.of() : plan.chaos();
        for (int i = 0; i < schedule.size(); i++) {
            ChaosSpec spec = schedule.get(i);
            ObjectNode row = faults.addObject().put("index", i).put("kind", spec.kind()).put("target", spec.target())
                    .put("describe", spec.describe());
            ObjectNode schedule0 = row.putObject("schedule");
            spec.at().ifPresent(at -> schedule0.put("atSeconds", at.toMillis() / 1000.0));
            spec.every().ifPresent(every -> schedule0.put("everySeconds", every.toMillis() / 1000.0)
                    .put("startAfterSeconds", spec.startAfter().toMillis() / 1000.0));
            spec.count().ifPresent(n -> schedule0.put("count", n));
            Double next = over ? null : nextFiring(spec, elapsedSeconds, plan.runTime().orElse(null));
            if (next == null) {
                row.putNull("nextSeconds");
            } else {
                row.put("nextSeconds", next);
            }
        }
        ArrayNode active = chaos.putArray("active");
        activeFaults.forEach((id, target) -> active.addObject().put("injection", id).put("target", target));

        ObjectNode slo = panels.putObject("slo");
        Plan.Judgement judgement = plan == null ? Plan.Judgement.none() : plan.judgement();
        boolean judged = !judgement.slos().isEmpty() || !judgement.thresholds().isEmpty();
        if (interim == null || !judged) {
            slo.putNull("verdict");
        } else {
            slo.put("verdict", interim.passed() ? "pass" : interim.slos().stream().anyMatch(s -> s.status() == io.stampede.slo.threshold.Status.FAIL)
                    || interim.thresholds().stream().anyMatch(t -> t.status() == io.stampede.slo.threshold.Status.FAIL) ? "fail" : "no data");
        }
        ArrayNode slos = slo.putArray("slos");
        ArrayNode thresholds = slo.putArray("thresholds");
        if (interim == null) {
            // before the run: what will be judged, with nothing measured yet
            for (io.stampede.slo.SloSpec s : judgement.slos()) {
                slos.addObject().put("name", s.name()).put("kind", s.isLatency() ? "latency" : "availability")
                        .put("objectivePercent", s.objectivePercent())
                        .put("objective", s.latencyBelow().map(d -> "latency below " + io.stampede.input.Durations.format(d))
                                .orElse("not failed") + (s.filterText().isEmpty() ? "" : " (" + s.filterText() + ")"))
                        .putNull("sliPercent").putNull("budgetLeftPercent").put("status", "not started");
            }
            for (io.stampede.slo.PlanThreshold t : judgement.thresholds()) {
                thresholds.addObject().put("metric", t.key()).put("expression", String.valueOf(t.spec()))
                        .putNull("value").put("status", "not started");
            }
        } else {
            for (SloResult s : interim.slos()) {
                ObjectNode row = slos.addObject().put("name", s.name()).put("kind", s.kind())
                        .put("objectivePercent", s.objectivePercent()).put("sliPercent", round(s.sliPercent()))
                        .put("errorBudget", round(s.errorBudget())).put("budgetSpent", s.budgetSpent())
                        .put("budgetLeftPercent", round(s.budgetLeftPercent())).put("status", s.status().text());
                ObjectNode burn = row.putObject("burnRates");
                s.burnRates().forEach((window, rate) -> burn.put(window, round(rate)));
            }
            for (ThresholdOutcome t : interim.thresholds()) {
                ObjectNode row = thresholds.addObject().put("metric", t.metric()).put("expression", t.expression())
                        .put("status", t.status().text());
                if (t.value() == null) {
                    row.putNull("value");
                } else {
                    row.put("value", round(t.value()));
                }
            }
        }
        panels.set("ratio", ratio(plan));
        return panels;
    }

    /**
     * Locust's Current ratio: each user class's share of the users and, within it, each task's
     * share of its picks, from the declared weights. A Java scenario's classes are known only to
     * the compiled code: an empty list.
     */
    static ArrayNode ratio(Plan plan) {
        ArrayNode classes = LiveRun.JSON.createArrayNode();
        if (plan != null && plan.scenario() instanceof io.stampede.engine.Scenario.Declared declared) {
            double users = declared.users().stream().mapToInt(io.stampede.engine.Scenario.UserSpec::weight).sum();
            for (io.stampede.engine.Scenario.UserSpec user : declared.users()) {
                ObjectNode row = classes.addObject().put("name", user.name()).put("percent", round(100 * user.weight() / users));
                ArrayNode tasks = row.putArray("tasks");
                double picks = user.tasks().stream().mapToInt(io.stampede.engine.Scenario.TaskSpec::weight).sum();
                for (io.stampede.engine.Scenario.TaskSpec task : user.tasks()) {
                    ObjectNode t = tasks.addObject().put("name", task.name());
                    if (user.sequential() || picks == 0) {
                        t.putNull("percent"); // in order, each in turn: no share to show
                    } else {
                        t.put("percent", round(100 * task.weight() / picks));
                    }
                }
            }
        }
        return classes;
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
