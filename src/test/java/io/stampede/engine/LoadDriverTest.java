package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.api.Task;
import io.stampede.api.User;
import io.stampede.http.HttpOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One driver per model, and per place the users run; the runner never asks which it has. */
class LoadDriverTest {

    public static class Idle extends User {
        @Task
        public void nothing() {
        }
    }

    private static final List<UserType> TYPES = List.of(UserTypes.fromClass(Idle.class, "test"));
    private static final LoadModel.Closed CLOSED = new LoadModel.Closed(4, 2, List.of());
    private static final LoadModel.Open OPEN = new LoadModel.Open(10, List.of(), 20, 0);

    private static RunSpec plan(LoadModel load) {
        return new RunSpec("test", "http://127.0.0.1:9", load, Optional.of(Duration.ofSeconds(1)), HttpOptions.defaults(),
                Set.of(), Set.of(), Duration.ZERO);
    }

    @Test
    void eachModelHasItsDriverAndWorkersTakeEither() {
        Runner.Workers workers = new Runner.Workers(List.of("unused"), 2);
        assertThat(LoadDriver.of(plan(CLOSED), TYPES, null, new TaskErrors())).isInstanceOf(PopulationDriver.class);
        assertThat(LoadDriver.of(plan(OPEN), TYPES, null, new TaskErrors())).isInstanceOf(ArrivalDriver.class);
        assertThat(LoadDriver.of(plan(CLOSED), TYPES, workers, new TaskErrors())).isInstanceOf(WorkersDriver.class);
        assertThat(LoadDriver.of(plan(OPEN), TYPES, workers, new TaskErrors())).isInstanceOf(WorkersDriver.class);
    }

    @Test
    void theOpenModelHasNoUserCountToChangeInThisProcessOrInWorkers() {
        String message = "this run uses the open model (arrival rate): it has no user count to change";
        assertThatThrownBy(() -> new Runner(plan(OPEN), TYPES, List.of()).changeUsers(5, 1))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
        assertThatThrownBy(() -> new Runner(plan(OPEN), TYPES, List.of(), new Runner.Workers(List.of("unused"), 2)).changeUsers(5, 1))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    @Test
    void aChangedSpawnRateIsTheOneReportedAndABadOneIsRefused() {
        Runner runner = new Runner(plan(CLOSED), TYPES, List.of());
        assertThat(runner.spawnRate()).isEqualTo(2.0);
        runner.changeUsers(8, 4);
        assertThat(runner.spawnRate()).isEqualTo(4.0);
        assertThatThrownBy(() -> runner.changeUsers(-1, 1)).hasMessage("users must be 0 or more, got -1");
        assertThatThrownBy(() -> runner.changeUsers(1, 0)).hasMessage("spawn rate must be a number above 0, got 0.0");
        assertThat(runner.spawnRate()).isEqualTo(4.0);
    }

    @Test
    void nothingMeasuredBeforeTheLoadAndNoUsersLeftAfterItsStop() {
        try (LoadDriver population = LoadDriver.of(plan(CLOSED), TYPES, null, new TaskErrors())) {
            population.begin(1_000, InstantSource.system());
            assertThat(population.users()).isZero();
            assertThat(population.stop()).isEmpty();
            assertThat(population.takeInterval(2_000, true).users()).isZero();
            assertThat(population.droppedIterations()).isZero();
        }
    }
}
