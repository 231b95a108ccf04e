package io.stampede.slo;

/**
 * Chaos Toolkit's steady-state hypothesis, with the SLOs as the hypothesis: checked on a baseline
 * window before the first fault and again after the last fault's recovery.
 *
 * @param result "pass", "deviated" (held before, not after), "not steady before" or "no data"; "not steady"
 *               when the plan's {@code steady:} was not reached in time, so no fault was injected
 */
public record SteadyState(String result, String detail) {

    /** The result of a run whose required steady state was not reached: no fault injected. */
    public static final String NOT_STEADY = "not steady";

    public boolean notSteady() {
        return NOT_STEADY.equals(result);
    }
}
