package io.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Touches the whole load DSL, so a change that breaks scenario files fails the build here first. */
class LoadDslTest {

    @Test
    void closedModelKeepsEveryValueWithTheLineThatSetIt() {
        int line = currentLine() + 1;
        Load.Closed load = Load.users(100).spawnRate(10).runTime(Duration.ofMinutes(5));
        assertThat(load.settings()).containsExactly(
                new Load.Setting("users", "100", line),
                new Load.Setting("spawnRate", "10", line),
                new Load.Setting("runTime", "300000ms", line));
        assertThat(load.stages()).isEmpty();
    }

    @Test
    void buildersAreImmutableAndALaterValueReplacesAnEarlierOne() {
        Load.Closed base = Load.users(10);
        Load.Closed faster = base.spawnRate(5).spawnRate(2.5);
        assertThat(base.settings()).extracting(Load.Setting::key).containsExactly("users");
        assertThat(faster.settings()).extracting(Load.Setting::key, Load.Setting::value)
                .containsExactly(Tuple.tuple("users", "10"), Tuple.tuple("spawnRate", "2.5"));
    }

    @Test
    void closedStagesKeepTheirOrder() {
        Load.Closed load = Load.users(1).stage(Duration.ofSeconds(30), 50).stage(Duration.ofMillis(1500), 100, 5);
        assertThat(load.stages()).hasSize(2);
        assertThat(load.stages().get(0)).extracting(Load.Setting::key, Load.Setting::value).containsExactly(
                Tuple.tuple("duration", "30000ms"), Tuple.tuple("users", "50"));
        assertThat(load.stages().get(1)).extracting(Load.Setting::value).containsExactly("1500ms", "100", "5");
    }

    @Test
    void openModelIsAnotherType() {
        Load load = Load.arrivalRate(200).maxConcurrency(1000).preAllocated(300)
                .stage(Duration.ofMinutes(1), 500).stage(Duration.ofNanos(1500), 0).runTime(Duration.ofMinutes(2));
        assertThat(load).isInstanceOf(Load.Open.class);
        assertThat(load.settings()).extracting(Load.Setting::key)
                .containsExactly("arrivalRate", "maxConcurrency", "preAllocated", "runTime");
        assertThat(load.stages()).extracting(stage -> stage.get(0).value()).containsExactly("60000ms", "0.0015ms");
        String kind = switch (load) {
            case Load.Closed closed -> "closed";
            case Load.Open open -> "open";
        };
        assertThat(kind).isEqualTo("open");
    }

    @Test
    void valuesOutOfRangeAreKeptForTheRunToReport() {
        // Checked where plan-file values are, with the same messages; the builder only refuses null.
        assertThat(Load.users(0).spawnRate(-1).settings()).extracting(Load.Setting::value).containsExactly("0", "-1");
        assertThat(Load.arrivalRate(1).runTime(Duration.ofSeconds(-2)).settings().get(1).value()).isEqualTo("-2000ms");
        assertThatThrownBy(() -> Load.users(1).runTime(null)).isInstanceOf(NullPointerException.class).hasMessage("runTime");
    }

    private static int currentLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    @SuppressWarnings("unused")
    private static List<Load> everyMethod() {
        return List.of(Load.users(1).spawnRate(1).runTime(Duration.ZERO).stage(Duration.ZERO, 1).stage(Duration.ZERO, 1, 1),
                Load.arrivalRate(1).maxConcurrency(1).preAllocated(1).runTime(Duration.ZERO).stage(Duration.ZERO, 1));
    }
}
