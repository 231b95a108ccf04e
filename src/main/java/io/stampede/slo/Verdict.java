package io.stampede.slo;

import io.stampede.ExitCode;
import java.util.List;

/**
 * The run's judgement: every SLO and threshold, what each fault cost, and the steady state. The run
 * passes when every SLO and threshold passes; "no data" does not pass.
 */
public record Verdict(boolean passed, List<SloResult> slos, List<ThresholdOutcome> thresholds,
                      List<FaultImpact> faults, SteadyState steadyState) {

    public static Verdict of(List<SloResult> slos, List<ThresholdOutcome> thresholds, List<FaultImpact> faults,
                             SteadyState steadyState) {
        boolean passed = slos.stream().allMatch(s -> s.status() == Status.PASS)
                && thresholds.stream().allMatch(t -> t.status() == Status.PASS);
        return new Verdict(passed, List.copyOf(slos), List.copyOf(thresholds), List.copyOf(faults), steadyState);
    }

    public int exitCode() {
        return passed ? ExitCode.PASS : ExitCode.VERDICT_FAILED;
    }
}
