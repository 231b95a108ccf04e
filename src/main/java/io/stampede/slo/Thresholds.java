package io.stampede.slo;

import io.stampede.slo.threshold.ThresholdResult;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.RunStats;
import java.util.List;

/** Judges the plan's k6-style thresholds over a finished run. */
public final class Thresholds {

    private Thresholds() {
    }

    public static List<ThresholdOutcome> judge(List<ThresholdSpec> thresholds, RunStats stats) {
        return thresholds.stream().map(t -> outcome(t.evaluate(stats))).toList();
    }

    static ThresholdOutcome outcome(ThresholdResult r) {
        return new ThresholdOutcome(r.metricKey(), r.expression(), r.observedOrNull(), r.status(), r.detail());
    }
}
