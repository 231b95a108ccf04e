package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The one wait for workers to stop that both coordinators use. */
class WorkerStopsTest {

    private record Fake(String name, CountDownLatch stopped, List<RunEnd.Abandoned> abandoned) implements WorkerStops.Stopping {
        static Fake done(String name, RunEnd.Abandoned... abandoned) {
            return new Fake(name, new CountDownLatch(0), List.of(abandoned));
        }

        static Fake stuck(String name) {
            return new Fake(name, new CountDownLatch(1), List.of());
        }

        @Override
        public RunEnd.Abandoned late() {
            return new RunEnd.Abandoned("worker " + name, "(did not stop in time)", 1);
        }
    }

    @Test
    void aWorkerNotDoneByTheDeadlineIsAbandonedWholeAndTheOthersReportTheirUsers() {
        RunEnd.Abandoned slow = new RunEnd.Abandoned("User", "slow", 2);
        List<RunEnd.Abandoned> abandoned = WorkerStops.await(List.of(Fake.done("w1", slow), Fake.stuck("w2"), Fake.done("w3")),
                Duration.ofMillis(200));
        assertThat(abandoned).containsExactly(slow, new RunEnd.Abandoned("worker w2", "(did not stop in time)", 1));
    }

    @Test
    void theDeadlineIsSharedSoStuckWorkersCostTheWaitOnce() {
        Duration wait = Duration.ofSeconds(1);
        long start = System.nanoTime();
        List<RunEnd.Abandoned> abandoned = WorkerStops.await(List.of(Fake.stuck("w1"), Fake.stuck("w2"), Fake.stuck("w3"),
                Fake.stuck("w4"), Fake.stuck("w5"), Fake.stuck("w6"), Fake.stuck("w7"), Fake.stuck("w8")), wait);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(abandoned).hasSize(8);
        // eight waits of their own would take 8 s; one shared is 1 s, with room for a busy machine
        assertThat(took).isGreaterThanOrEqualTo(wait).isLessThan(Duration.ofSeconds(7));
    }
}
