package io.stampede.slo;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Chaos Toolkit's steady-state hypothesis, with the SLOs as the hypothesis: checked on a baseline
 * window before the first fault and again after the last fault's recovery.
 */
public record SteadyState(Result result, String detail) {

    /** How the hypothesis fared; summary.json writes the words. */
    public enum Result {
        /** The SLOs held before the first fault and after the last recovery. */
        PASS("pass"),
        /** They held before, not after (or the service had not recovered when the run ended). */
        DEVIATED("deviated"),
        /** They did not hold before the first fault: nothing to compare with. */
        NOT_STEADY_BEFORE("not steady before"),
        /** No fault was injected, or no request before or after. */
        NO_DATA("no data"),
        /** The plan's {@code steady:} was not reached in time, so no fault was injected. */
        NOT_STEADY("not steady");

        private final String text;

        Result(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The run's required steady state was not reached: no fault injected. */
    public boolean notSteady() {
        return result == Result.NOT_STEADY;
    }
}
