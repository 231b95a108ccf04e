package io.stampede.slo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stampede.ExitCode;
import io.stampede.slo.threshold.Status;
import java.util.List;

/**
 * The run's judgement: every SLO and threshold, what each fault cost, and the steady state. The run
 * passes when every SLO and threshold passes and it reached its planned end; "no data" does not pass.
 *
 * @param stoppedEarly why the run fails whatever its SLOs say ("run interrupted at 0:05 of 0:45: signal");
 *                     null when it reached its planned end
 */
public record Verdict(boolean passed, @JsonInclude(JsonInclude.Include.NON_NULL) String stoppedEarly,
                      List<SloResult> slos, List<ThresholdOutcome> thresholds,
                      List<FaultImpact> faults, SteadyState steadyState) {

    public static Verdict of(List<SloResult> slos, List<ThresholdOutcome> thresholds, List<FaultImpact> faults,
                             SteadyState steadyState) {
        boolean passed = slos.stream().allMatch(s -> s.status() == Status.PASS)
                && thresholds.stream().allMatch(t -> t.status() == Status.PASS);
        return new Verdict(passed, null, List.copyOf(slos), List.copyOf(thresholds), List.copyOf(faults), steadyState);
    }

    /** This verdict for a run that did not reach its planned end: failed, saying why. */
    public Verdict stoppedEarly(String why) {
        return new Verdict(false, why, slos, thresholds, faults, steadyState);
    }

    public int exitCode() {
        return passed ? ExitCode.PASS : ExitCode.VERDICT_FAILED;
    }
}
