package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.api.Load;
import io.stampede.engine.LoadDraft;
import io.stampede.engine.LoadModel;
import io.stampede.input.Located;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Java scenario's declared load goes through the same checks as a plan file's, under the plan's values. */
class ScenarioLoadTest {

    @TempDir
    Path dir;

    private PlanDraft draft() throws Exception {
        Path scenario = Files.writeString(dir.resolve("S.java"), "// scenario\n");
        PlanDraft draft = new PlanDraft();
        draft.host(new Located<>("http://127.0.0.1:5001", "test"));
        draft.scenarioFile(new Located<>(scenario, "-f/--file"));
        return draft;
    }

    private static void underlay(PlanDraft draft, Load load) {
        ScenarioLoad.underlay(draft, load, "S.java", "S.java: S.load()");
    }

    @Test
    void closedModelBecomesThePlansLoad() throws Exception {
        PlanDraft draft = draft();
        underlay(draft, Load.users(100).spawnRate(10).runTime(Duration.ofMinutes(5)));
        Plan plan = draft.toPlan();
        assertThat(plan.load()).isEqualTo(new LoadModel.Closed(100, 10, List.of()));
        assertThat(plan.runTime()).contains(Duration.ofMinutes(5));
    }

    @Test
    void openModelWithStagesRunsForTheStages() throws Exception {
        PlanDraft draft = draft();
        underlay(draft, Load.arrivalRate(20).maxConcurrency(50).preAllocated(10)
                .stage(Duration.ofSeconds(10), 40).stage(Duration.ofSeconds(5), 0));
        Plan plan = draft.toPlan();
        assertThat(plan.load()).isEqualTo(new LoadModel.Open(20, List.of(
                new LoadModel.RateStage(Duration.ofSeconds(10), 40), new LoadModel.RateStage(Duration.ofSeconds(5), 0)), 50, 10));
        assertThat(plan.runTime()).contains(Duration.ofSeconds(15));
    }

    @Test
    void badValuesGetThePlanFilesMessagesWithTheScenarioLine() throws Exception {
        PlanDraft draft = draft();
        int line = currentLine() + 1;
        underlay(draft, Load.users(0).spawnRate(-1));
        assertThatThrownBy(draft::toPlan).isInstanceOf(StampedeException.BadInput.class).hasMessage(
                "S.java:" + line + ": load.users: users must be at least 1, got 0\n"
                        + "S.java:" + line + ": load.spawnRate: spawn rate must be greater than 0, got -1");

        PlanDraft open = draft();
        int openLine = currentLine() + 1;
        underlay(open, Load.arrivalRate(5).preAllocated(20).maxConcurrency(10).stage(Duration.ZERO, 5));
        assertThatThrownBy(open::toPlan).hasMessage(
                "S.java:" + openLine + ": load.stages[0].duration: must be longer than 0\n"
                        + "S.java:" + openLine + ": load.preAllocated: preAllocated 20 is above maxConcurrency 10");
    }

    @Test
    void planFileValuesWin() throws Exception {
        PlanDraft draft = draft();
        draft.users(new Located<>("7", "plan.yaml:3:10: load.users"));
        underlay(draft, Load.users(100).spawnRate(10).runTime(Duration.ofSeconds(30)));
        Plan plan = draft.toPlan();
        assertThat(plan.load()).isEqualTo(new LoadModel.Closed(7, 10, List.of()));
        assertThat(plan.runTime()).contains(Duration.ofSeconds(30));
    }

    @Test
    void aPlanOfTheOtherModelReplacesTheDeclaredOne() throws Exception {
        PlanDraft draft = draft();
        draft.arrivalRate(new Located<>("50", "plan.yaml:3:16: load.arrivalRate"));
        underlay(draft, Load.users(100).spawnRate(10).stage(Duration.ofSeconds(5), 3));
        assertThat(draft.toPlan().load()).isEqualTo(new LoadModel.Open(50, List.of(), LoadDraft.DEFAULT_MAX_CONCURRENCY, 0));
    }

    private static int currentLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }
}
