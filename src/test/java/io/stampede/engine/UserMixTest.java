package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole run's users are split by class once, and workers hold parts of that one sequence. */
class UserMixTest {

    @Test
    void everyPrefixOfTheSequenceIsWithinOneUserOfEachClassesShare() {
        UserMix mix = new UserMix(List.of(3, 1, 0, 2));
        int[] counts = new int[4];
        for (int n = 1; n <= 2_000; n++) {
            counts[mix.classOf(n - 1)]++;
            assertThat(counts[2]).as("a class of weight 0 gets no user").isZero();
            for (int c : new int[] {0, 1, 3}) {
                double share = n * List.of(3, 1, 0, 2).get(c) / 6.0;
                assertThat(Math.abs(counts[c] - share)).as("class %d at %d users", c, n).isLessThan(1);
            }
        }
    }

    @Test
    void fourUsersAtThreeToOneOverTwoWorkersAreThreeAndOneInAll() {
        int[] first = new UserMix(List.of(3, 1)).held(4, Segment.of(0, 2)).clone();
        int[] second = new UserMix(List.of(3, 1)).held(4, Segment.of(1, 2)).clone();
        assertThat(first[0] + second[0]).isEqualTo(3);
        assertThat(first[1] + second[1]).isEqualTo(1);
    }

    @Test
    void thePartsOfAnyPartitionAddUpToTheWholeMixAsThePopulationMovesAndTheSplitChanges() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Integer> weights = random.ints(1 + random.nextInt(4), 0, 6).boxed().toList();
            UserMix whole = new UserMix(weights);
            int workers = 1 + random.nextInt(5);
            UserMix[] parts = new UserMix[workers];
            for (int w = 0; w < workers; w++) {
                parts[w] = new UserMix(weights);
            }
            int users = 0;
            for (int step = 0; step < 30; step++) {
                users = Math.max(0, users + random.nextInt(200) - 80);
                if (random.nextInt(5) == 0) { // a re-split: a worker joined or was lost
                    workers = 1 + random.nextInt(5);
                    parts = new UserMix[workers];
                    for (int w = 0; w < workers; w++) {
                        parts[w] = new UserMix(weights);
                    }
                }
                int[] sum = new int[weights.size()];
                for (int w = 0; w < workers; w++) {
                    int[] held = parts[w].held(users, Segment.of(w, workers));
                    assertThat(Arrays.stream(held).min().orElse(0)).isNotNegative();
                    for (int c = 0; c < sum.length; c++) {
                        sum[c] += held[c];
                    }
                }
                assertThat(sum).as("weights %s, %d users over %d workers", weights, users, workers)
                        .containsExactly(whole.held(users, Segment.WHOLE));
            }
        }
    }
}
