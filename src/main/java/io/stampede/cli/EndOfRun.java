package io.stampede.cli;

import io.stampede.engine.RunEnd;
import io.stampede.engine.Runner;
import io.stampede.input.Durations;
import io.stampede.plan.Plan;
import io.stampede.report.VerdictTable;
import java.io.PrintStream;
import java.util.Map;

/**
 * The console's last word on a run, after its parts have stopped: apart from the run's lifecycle,
 * so the same outcome could be said elsewhere (the distributed coordinator, a test).
 */
final class EndOfRun {

    private EndOfRun() {
    }

    /** Prints how the run ended when not as planned, what went wrong in it, the verdict, where the results are. */
    static void print(RunOutcome outcome, PrintStream out, PrintStream err) {
        Plan plan = outcome.plan();
        RunEnd end = outcome.end();
        if (end != null && end.cause() != RunEnd.Cause.COMPLETED) {
            out.println();
            String said = end.describe();
            out.println(Character.toUpperCase(said.charAt(0)) + said.substring(1)
                    + (end.cutShort() ? " - it did not reach its planned end, so it does not pass."
                    : " - an open-ended run ends so; judged on what ran."));
        }
        if (end != null && !end.abandoned().isEmpty()) {
            int users = end.abandoned().stream().mapToInt(RunEnd.Abandoned::users).sum();
            err.println("stampede: warning: " + users + (users == 1 ? " user" : " users") + " did not end within"
                    + " the stop timeout (" + Durations.format(plan.stopTimeout()) + ") and "
                    + Durations.format(Runner.ABANDON_AFTER) + " after being interrupted; abandoned, still running: "
                    + String.join(", ", end.abandoned().stream()
                    .map(a -> a.users() + " " + a.userClass() + " in " + a.task()).toList()));
        }
        if (outcome.droppedIterations() > 0) {
            out.println();
            out.println("Dropped iterations: " + outcome.droppedIterations() + " (every user busy and the"
                    + " concurrency cap reached; raise --max-concurrency or lower the arrival rate)");
        }
        Map<String, Long> taskErrors = outcome.taskErrors();
        if (!taskErrors.isEmpty()) {
            out.println();
            out.println("Exceptions in scenario code (task: exception, occurrences)");
            taskErrors.forEach((key, n) -> out.printf("  %s  x%d%n", key, n));
        }
        if (outcome.verdict() != null && outcome.judged()) {
            out.println();
            out.print(VerdictTable.render(outcome.verdict()));
        }
        outcome.resultsFolder().ifPresent(folder -> {
            out.println();
            out.println("Results: " + folder + " (report.html, junit.xml)");
        });
    }
}
