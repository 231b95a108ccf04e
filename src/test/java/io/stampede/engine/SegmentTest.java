package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of a worker's slice of the load, over many random splits: the parts of every
 * quantity add up to the whole (users at every tick of a staged ramp, arrivals one by one, before
 * and after a worker joins or is lost), and no part is more than one away from another.
 */
class SegmentTest {

    private static final int SPLITS = 2_000;
    private final Random random = new Random(15);

    @Test
    void aPartNeverShrinksWhileTheTotalGrowsSoNoUserIsStoppedToStartAnother() {
        for (int workers = 1; workers <= 12; workers++) {
            for (int i = 0; i < workers; i++) {
                Segment segment = Segment.of(i, workers);
                for (int total = 0; total < 500; total++) {
                    assertThat(segment.part(total + 1) - segment.part(total)).as("%s from %d", segment, total)
                            .isEqualTo(segment.owns(total) ? 1 : 0);
                }
            }
        }
    }

    @Test
    void countsSplitIntoPartsThatAddUpToTheTotal() {
        for (int c = 0; c < SPLITS; c++) {
            int total = random.nextInt(c % 3 == 0 ? 10 : 2_000_000);
            int workers = 1 + random.nextInt(40);
            int sum = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int i = 0; i < workers; i++) {
                int part = Segment.of(i, workers).part(total);
                sum += part;
                min = Math.min(min, part);
                max = Math.max(max, part);
            }
            assertThat(sum).as("%d over %d", total, workers).isEqualTo(total);
            assertThat(max - min).as("%d over %d", total, workers).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void ratesSplitIntoFractionsOfTheWhole() {
        for (int c = 0; c < SPLITS; c++) {
            double rate = random.nextDouble() * 10_000;
            int workers = 1 + random.nextInt(40);
            double sum = 0;
            for (int i = 0; i < workers; i++) {
                sum += Segment.of(i, workers).part(rate);
            }
            assertThat(sum).isCloseTo(rate, within(1e-9 * Math.max(1, rate)));
        }
    }

    @Test
    void everyArrivalHasExactlyOneOwnerAndOwnersTakeTurns() {
        for (int c = 0; c < 200; c++) {
            int workers = 1 + random.nextInt(25);
            int arrivals = random.nextInt(5_000);
            int[] taken = new int[workers];
            for (long k = 0; k < arrivals; k++) {
                int owners = 0;
                for (int i = 0; i < workers; i++) {
                    if (Segment.of(i, workers).owns(k)) {
                        owners++;
                        taken[i]++;
                    }
                }
                assertThat(owners).as("arrival %d of %d workers", k, workers).isEqualTo(1);
            }
            for (int i = 0; i < workers; i++) {
                assertThat(taken[i]).as("worker %d of %d after %d arrivals", i, workers, arrivals)
                        .isBetween(arrivals / workers, (arrivals + workers - 1) / workers);
            }
        }
    }

    /** What the workers run: the whole schedule's population at each tick, each its part of it. */
    @Test
    void aStagedRampsPartsAddUpToTheWholeAtEveryTickAcrossResplits() {
        double tickSeconds = Runner.SPAWN_TICK.toNanos() / 1e9;
        for (int c = 0; c < 60; c++) {
            List<LoadModel.Stage> stages = new ArrayList<>();
            for (int s = 0; s < 1 + random.nextInt(4); s++) {
                stages.add(new LoadModel.Stage(Duration.ofMillis(500 + random.nextInt(3_000)), random.nextInt(500),
                        0.5 + random.nextDouble() * 200));
            }
            LoadModel.Closed plan = new LoadModel.Closed(0, 1, stages);
            Spawner spawner = new Spawner(plan);
            int workers = 1 + random.nextInt(12);
            int whole = 0;
            for (long t = 0; ; t += Runner.SPAWN_TICK.toNanos()) {
                Spawner.Target target = spawner.targetAt(Duration.ofNanos(t));
                if (target == null) {
                    break;
                }
                whole += spawner.step(target, whole, tickSeconds);
                if (random.nextInt(200) == 0) {
                    workers = Math.max(1, workers + (random.nextBoolean() ? 1 : -1)); // one joins or is lost
                }
                int sum = 0;
                for (int i = 0; i < workers; i++) {
                    sum += Segment.of(i, workers).part(whole);
                }
                assertThat(sum).as("tick at %d ms, %d workers", t / 1_000_000, workers).isEqualTo(whole);
            }
        }
    }

    @Test
    void aSharesStagesAndCapsAddUpToThePlans() {
        LoadModel.Closed closed = new LoadModel.Closed(10, 7.0, List.of(
                new LoadModel.Stage(Duration.ofSeconds(5), 11, 3.0), new LoadModel.Stage(Duration.ofSeconds(5), 4, 1.0)));
        LoadModel.Open open = new LoadModel.Open(10.0, List.of(new LoadModel.RateStage(Duration.ofSeconds(3), 1.0)), 1000, 17);
        for (int workers = 1; workers <= 30; workers++) {
            int users = 0;
            int stageUsers = 0;
            int cap = 0;
            int warm = 0;
            for (int i = 0; i < workers; i++) {
                users += closed.share(i, workers).users();
                stageUsers += closed.share(i, workers).stages().get(0).users();
                cap += open.share(i, workers).maxConcurrency();
                warm += open.share(i, workers).preAllocated();
            }
            assertThat(users).isEqualTo(10);
            assertThat(stageUsers).isEqualTo(11);
            assertThat(cap).isEqualTo(1000);
            assertThat(warm).isEqualTo(17);
        }
    }

    @Test
    void aSegmentOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Segment(2, 1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Segment(0, 4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Segment(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Segment.WHOLE.part(7)).isEqualTo(7);
        assertThat(Segment.WHOLE.owns(12345)).isTrue();
    }

    @Test
    void theTimelineSaysHowTheLoadWasDivided() {
        assertThat(ClusterPool.divided(new LoadModel.Closed(10, 2, List.of()), 3, Duration.ZERO))
                .isEqualTo("10 users as 4 + 3 + 3");
        assertThat(ClusterPool.divided(new LoadModel.Open(30, List.of(), 100), 2, Duration.ofSeconds(4)))
                .isEqualTo("arrival rate 1/2 each (every 2nd arrival, 30.0/s in all now)");
        assertThat(ClusterPool.divided(new LoadModel.Closed(0, 1, List.of(new LoadModel.Stage(Duration.ofSeconds(5), 8, 2))), 1,
                Duration.ofSeconds(1))).isEqualTo("the remaining stages, all of their users");
    }
}
