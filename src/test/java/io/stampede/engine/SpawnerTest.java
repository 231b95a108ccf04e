package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpawnerTest {

    @Test
    void reachesTheTargetAtTheSpawnRate() {
        Spawner spawner = new Spawner(new LoadModel.Closed(100, 10, List.of()));
        int running = 0;
        int ticks = 0;
        while (running < 100) {
            running += spawner.step(spawner.targetAt(Duration.ZERO), running, 0.01);
            ticks++;
        }
        // 100 users at 10/s: the first at once, then one every 0.1 s: 9.9 s of 10 ms ticks after the first
        assertThat(ticks).isBetween(990, 992);
        assertThat(spawner.step(spawner.targetAt(Duration.ZERO), running, 0.01)).isZero();
    }

    @Test
    void fastRatesStartSeveralUsersPerTick() {
        Spawner spawner = new Spawner(new LoadModel.Closed(1000, 5000, List.of()));
        assertThat(spawner.step(spawner.targetAt(Duration.ZERO), 0, 0.01)).isEqualTo(1);
        assertThat(spawner.step(spawner.targetAt(Duration.ZERO), 1, 0.01)).isEqualTo(50);
    }

    @Test
    void theFirstUserStartsAtOnceEvenAtASlowRate() {
        Spawner spawner = new Spawner(new LoadModel.Closed(3, 1, List.of()));
        assertThat(spawner.step(spawner.targetAt(Duration.ZERO), 0, 0.01)).isEqualTo(1);
        assertThat(spawner.step(spawner.targetAt(Duration.ZERO), 1, 0.01)).isZero();
    }

    @Test
    void stagesMoveTheTargetAndEnd() {
        Spawner spawner = new Spawner(new LoadModel.Closed(1, 1, List.of(
                new LoadModel.Stage(Duration.ofSeconds(10), 50, 5),
                new LoadModel.Stage(Duration.ofSeconds(5), 10, 20))));
        assertThat(spawner.targetAt(Duration.ofSeconds(3))).isEqualTo(new Spawner.Target(50, 5));
        assertThat(spawner.targetAt(Duration.ofSeconds(12))).isEqualTo(new Spawner.Target(10, 20));
        assertThat(spawner.targetAt(Duration.ofSeconds(15))).isNull();
        // ramping down stops users at the stage's rate
        assertThat(spawner.step(new Spawner.Target(10, 20), 50, 0.5)).isEqualTo(-1);
        assertThat(spawner.step(new Spawner.Target(10, 20), 49, 0.5)).isEqualTo(-10);
    }
}
