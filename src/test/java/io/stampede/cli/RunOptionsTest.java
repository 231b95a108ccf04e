package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.engine.LoadDraft;
import io.stampede.input.Located;
import io.stampede.plan.PlanDraft;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A load flag of the other model switches models, taking the other model's stages away with it. */
class RunOptionsTest {

    private static Located<LoadDraft.Stage> closedStage() {
        return new Located<>(new LoadDraft.Stage(new Located<>("10s", "d"), new Located<>("5", "u"), null, null), "plan.yaml:4:5");
    }

    private static Located<LoadDraft.Stage> openStage() {
        return new Located<>(new LoadDraft.Stage(new Located<>("10s", "d"), null, null, new Located<>("50", "r")), "plan.yaml:4:5");
    }

    @Test
    void arrivalRateFlagDropsClosedStages() {
        PlanDraft draft = new PlanDraft();
        draft.users(new Located<>("10", "plan.yaml:3:10: load.users"));
        draft.stages(List.of(closedStage()));
        RunOptions options = new RunOptions();
        options.arrivalRate = "20";
        options.applyTo(draft);
        assertThat(draft.users()).isNull();
        assertThat(draft.stages()).isEmpty();
        assertThat(draft.arrivalRate().value()).isEqualTo("20");
    }

    @Test
    void usersFlagDropsOpenStagesAndKeepsClosedOnes() {
        PlanDraft draft = new PlanDraft();
        draft.arrivalRate(new Located<>("10", "plan.yaml:3:10: load.arrivalRate"));
        draft.stages(List.of(openStage(), closedStage()));
        RunOptions options = new RunOptions();
        options.users = "3";
        options.applyTo(draft);
        assertThat(draft.arrivalRate()).isNull();
        assertThat(draft.stages()).extracting(st -> st.value().users()).doesNotContainNull();
        assertThat(draft.stages()).hasSize(1);
    }

    @Test
    void workersGetLeanMemoryOptionsUnlessTheUserChoseOthers() {
        assertThat(RunOptions.workerMemoryOptions(List.of(), 25)).containsExactly("-XX:+UseSerialGC", "-Xms32m",
                "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:TrimNativeHeapInterval=2000");
        assertThat(RunOptions.workerMemoryOptions(List.of(), 21)).doesNotContain("-XX:TrimNativeHeapInterval=2000");
        List<String> chosen = RunOptions.workerMemoryOptions(
                List.of("-XX:+UseZGC", "-Xms1g", "-XX:MaxHeapFreeRatio=10", "-Dx=y"), 25);
        assertThat(chosen).containsExactly("-XX:TrimNativeHeapInterval=2000");
    }

    @Test
    void zgcChosenForWorkersIsTheGenerationalOneOnEveryJdk() {
        assertThat(RunOptions.workerMemoryOptions(List.of("-XX:+UseZGC"), 21)).containsExactly("-XX:+ZGenerational",
                "-Xms32m", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40");
        assertThat(RunOptions.workerMemoryOptions(List.of("-XX:+UseZGC"), 22)).contains("-XX:+ZGenerational");
        // 23 makes it the default and warns of the flag; 24 removed it
        assertThat(RunOptions.workerMemoryOptions(List.of("-XX:+UseZGC"), 25)).noneMatch(o -> o.contains("ZGenerational"));
        assertThat(RunOptions.workerMemoryOptions(List.of("-XX:+UseZGC", "-XX:-ZGenerational"), 21))
                .noneMatch(o -> o.contains("ZGenerational"));
        assertThat(RunOptions.workerMemoryOptions(List.of("-XX:+UseShenandoahGC"), 21)).noneMatch(o -> o.contains("ZGenerational"));
    }
}
