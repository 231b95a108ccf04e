package io.stampede.slo;

/**
 * Chaos Toolkit's steady-state hypothesis, with the SLOs as the hypothesis: checked on a baseline
 * window before the first fault and again after the last fault's recovery.
 *
 * @param result "pass", "deviated" (held before, not after), "not steady before" or "no data"
 */
public record SteadyState(String result, String detail) {
}
