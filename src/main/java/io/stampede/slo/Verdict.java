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
 * @param chaosHalted  "chaos halted at 0:42 by budgetLeft of availability < 50% (41.3% left)" when a halt
 *                     condition stopped the faults; null otherwise. The SLOs still decide pass or fail.
 */
public record Verdict(boolean passed, @JsonInclude(JsonInclude.Include.NON_NULL) String stoppedEarly,
                      List<SloResult> slos, List<ThresholdOutcome> thresholds,
                      List<FaultImpact> faults, SteadyState steadyState,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String chaosHalted) {

    public static Verdict of(List<SloResult> slos, List<ThresholdOutcome> thresholds, List<FaultImpact> faults,
                             SteadyState steadyState) {
        boolean passed = slos.stream().allMatch(s -> s.status() == Status.PASS)
                && thresholds.stream().allMatch(t -> t.status() == Status.PASS)
                && (steadyState == null || !steadyState.notSteady());
        return new Verdict(passed, null, List.copyOf(slos), List.copyOf(thresholds), List.copyOf(faults), steadyState, null);
    }

    /** This verdict for a run that did not reach its planned end: failed, saying why. */
    public Verdict stoppedEarly(String why) {
        return new Verdict(false, why, slos, thresholds, faults, steadyState, chaosHalted);
    }

    /** This verdict, saying that a halt condition stopped the chaos, and when, and why. */
    public Verdict chaosHalted(String how) {
        return new Verdict(passed, stoppedEarly, slos, thresholds, faults, steadyState, how);
    }

    /**
     * 0 pass, 1 failed; 3 when the service was not steady before the chaos: no fault was injected,
     * so the experiment could not be carried out (DESIGN.md's "the run could not be carried out").
     */
    public int exitCode() {
        if (steadyState != null && steadyState.notSteady()) {
            return ExitCode.CANNOT_RUN;
        }
        return passed ? ExitCode.PASS : ExitCode.VERDICT_FAILED;
    }
}
