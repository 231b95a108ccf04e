package io.stampede.chaos;

import io.stampede.input.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What guards the chaos schedule: the halt conditions and what the users do when one fires, and the
 * steady state the service must show before the first fault.
 *
 * @param halt   the conditions, any one of which halts the chaos (may be empty)
 * @param stop   when a condition fires, stop the users too ({@code then: stop}); else they go on
 * @param steady the steady state required before the first fault, if any
 */
public record GuardSpec(List<HaltCondition> halt, boolean stop, Optional<Steady> steady) {

    public GuardSpec {
        halt = List.copyOf(halt);
    }

    /** Nothing guards the chaos: faults fire on their schedule. */
    public static GuardSpec none() {
        return new GuardSpec(List.of(), false, Optional.empty());
    }

    public boolean isEmpty() {
        return halt.isEmpty() && steady.isEmpty();
    }

    /**
     * Chaos Toolkit's steady-state hypothesis with the SLOs as the hypothesis: every SLO held, second
     * by second, for {@code hold} in a row, reached within {@code within} of the run's start.
     */
    public record Steady(Duration hold, Duration within, String where) {
    }

    /** Lines for the dry run. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        steady.ifPresent(s -> lines.add("steady state first: every SLO held for " + Durations.format(s.hold())
                + " in a row, within " + Durations.format(s.within()) + " of the start (else no fault, exit 3);"
                + " the schedule's times count from then"));
        for (HaltCondition c : halt) {
            lines.add("halt when " + c.describe() + " (then " + (stop ? "stop the users" : "the users go on") + ")");
        }
        return lines;
    }
}
