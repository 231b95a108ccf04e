package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The split a coordinator makes over its workers: users and pre-allocated users by whole parts whose
 * sum is the total (no user lost to rounding, parts one apart at most), rates by equal parts.
 */
class ClusterShareTest {

    @Test
    void awkwardUserCountsSplitWithoutLosingOne() {
        int[][] cases = {{7, 3}, {2, 5}, {1_000_003, 7}, {0, 4}, {1, 1}, {99, 100}, {10_001, 13}};
        for (int[] c : cases) {
            int total = c[0];
            int workers = c[1];
            List<Integer> parts = IntStream.range(0, workers).mapToObj(i -> LoadModel.part(total, i, workers)).toList();
            assertThat(parts.stream().mapToInt(Integer::intValue).sum()).as("%d over %d: %s", total, workers, parts).isEqualTo(total);
            assertThat(parts.stream().mapToInt(Integer::intValue).max().orElseThrow()
                    - parts.stream().mapToInt(Integer::intValue).min().orElseThrow()).as("parts differ by one at most").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aClosedModelsStagesAndRateSplitToTheirTotals() {
        LoadModel.Closed load = new LoadModel.Closed(10, 7.0, List.of(
                new LoadModel.Stage(Duration.ofSeconds(5), 11, 3.0), new LoadModel.Stage(Duration.ofSeconds(5), 4, 1.0)));
        int workers = 3;
        List<LoadModel.Closed> shares = IntStream.range(0, workers).mapToObj(i -> load.share(i, workers)).toList();
        assertThat(shares.stream().mapToInt(LoadModel.Closed::users).sum()).isEqualTo(10);
        assertThat(shares.stream().mapToDouble(LoadModel.Closed::spawnRate).sum()).isCloseTo(7.0, within(1e-9));
        for (int stage = 0; stage < 2; stage++) {
            int s = stage;
            assertThat(shares.stream().mapToInt(c -> c.stages().get(s).users()).sum()).isEqualTo(load.stages().get(s).users());
            assertThat(shares.stream().mapToDouble(c -> c.stages().get(s).spawnRate()).sum())
                    .isCloseTo(load.stages().get(s).spawnRate(), within(1e-9));
        }
    }

    @Test
    void anOpenModelsArrivalRateAndPreallocatedUsersSplitToTheirTotals() {
        LoadModel.Open load = new LoadModel.Open(10.0, List.of(new LoadModel.RateStage(Duration.ofSeconds(3), 1.0)), 1000, 17);
        int workers = 7;
        List<LoadModel.Open> shares = IntStream.range(0, workers).mapToObj(i -> load.share(i, workers)).toList();
        assertThat(shares.stream().mapToDouble(LoadModel.Open::arrivalRate).sum()).isCloseTo(10.0, within(1e-9));
        assertThat(shares.stream().mapToDouble(o -> o.stages().get(0).arrivalRate()).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(shares.stream().mapToInt(LoadModel.Open::preAllocated).sum()).isEqualTo(17);
        assertThat(shares.stream().mapToInt(LoadModel.Open::maxConcurrency).sum()).isEqualTo(1000);
    }

    @Test
    void tokensCompareWholeAndOnlyEqualOnesMatch() {
        assertThat(ClusterPool.tokenMatches("s3cret", "s3cret")).isTrue();
        assertThat(ClusterPool.tokenMatches("s3cret", "s3cre")).isFalse();
        assertThat(ClusterPool.tokenMatches("s3cret", "s3cret ")).isFalse();
        assertThat(ClusterPool.tokenMatches("s3cret", null)).isFalse();
        assertThat(ClusterPool.tokenMatches(null, "")).as("no token asked, none given").isTrue();
        assertThat(ClusterPool.tokenMatches(null, "any")).as("no token asked, one given").isFalse();
    }
}
