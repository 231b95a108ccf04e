package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.engine.LoadModel;
import io.stampede.engine.RunEnd;
import io.stampede.engine.Scenario;
import io.stampede.http.HttpOptions;
import io.stampede.plan.Plan;
import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the console says at a run's end, and the exit code, from the outcome alone: no run needed. */
class EndOfRunTest {

    private static final Plan PLAN = new Plan("test", "http://127.0.0.1:9", new LoadModel.Closed(1, 1, List.of()),
            Optional.of(Duration.ofSeconds(45)), new Scenario.JavaFile(Path.of("unused")), HttpOptions.defaults(), Set.of(),
            Set.of(), new Plan.Output(Optional.empty(), Optional.empty(), true), Duration.ZERO, List.of(), List.of(),
            Plan.Judgement.none());

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static RunOutcome outcome(RunEnd end, Map<String, Long> taskErrors, List<String> mistakes) {
        return new RunOutcome(PLAN, new RunStats(0), end, 0, taskErrors, null, false, Optional.empty(), mistakes);
    }

    private void print(RunOutcome outcome) {
        EndOfRun.print(outcome, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aRunStoppedBeforeItsPlannedEndSaysSoAndDoesNotPass() {
        RunEnd interrupted = new RunEnd(RunEnd.Cause.INTERRUPTED, "signal", Duration.ofSeconds(5), PLAN.runTime(),
                List.of(new RunEnd.Abandoned("Reader", "read", 2)));
        RunOutcome outcome = outcome(interrupted, Map.of(), List.of());
        print(outcome);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(" - it did not reach its planned end, so it does not pass.")
                .startsWith(System.lineSeparator() + "Run interrupted at ");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("stampede: warning: 2 users did not end within")
                .contains("abandoned, still running: 2 Reader in read");
        assertThat(outcome.exitCode()).isEqualTo(ExitCode.VERDICT_FAILED);
    }

    @Test
    void exceptionsInScenarioCodeArePrintedInOrderAndAreAnErrorWhenNothingIsJudged() {
        RunEnd completed = new RunEnd(RunEnd.Cause.COMPLETED, "", Duration.ofSeconds(45), PLAN.runTime(), List.of());
        RunOutcome outcome = outcome(completed, Map.of("b: IllegalStateException", 3L, "a: NullPointerException", 1L), List.of());
        print(outcome);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(), "",
                "Exceptions in scenario code (task: exception, occurrences)",
                "  a: NullPointerException  x1",
                "  b: IllegalStateException  x3", ""));
        assertThat(outcome.exitCode()).isEqualTo(Plan.Judgement.DEFAULT_EXIT_CODE_ON_ERROR);
        RunOutcome clean = outcome(completed, Map.of(), List.of());
        assertThat(clean.exitCode()).isEqualTo(ExitCode.PASS);
    }

    @Test
    void aFilterThatMatchedNothingIsBadInput() {
        RunEnd completed = new RunEnd(RunEnd.Cause.COMPLETED, "", Duration.ofSeconds(45), PLAN.runTime(), List.of());
        assertThatThrownBy(() -> outcome(completed, Map.of(), List.of("plan.yaml:3:5: slos[0].name: matches no request")).exitCode())
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage("plan.yaml:3:5: slos[0].name: matches no request");
    }
}
