package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arrival k is due where the plan's rate, integrated from the start, reaches k. */
class ArrivalClockTest {

    private static final long SECOND = 1_000_000_000L;

    private static List<Long> offsets(LoadModel.Open model, long untilNanos) {
        ArrivalClock clock = new ArrivalClock(model);
        List<Long> offsets = new ArrayList<>();
        while (clock.advance(untilNanos)) {
            assertThat(clock.index()).isEqualTo(offsets.size());
            offsets.add(clock.offsetNanos());
        }
        return offsets;
    }

    private static LoadModel.Open stages(double startRate, Object... durationAndRate) {
        List<LoadModel.RateStage> stages = new ArrayList<>();
        for (int i = 0; i < durationAndRate.length; i += 2) {
            stages.add(new LoadModel.RateStage((Duration) durationAndRate[i], ((Number) durationAndRate[i + 1]).doubleValue()));
        }
        return new LoadModel.Open(startRate, stages, 1_000);
    }

    @Test
    void aConstantRateStartsItsRateTimesItsDurationEvenlySpaced() {
        List<Long> offsets = offsets(stages(100, Duration.ofSeconds(10), 100), Long.MAX_VALUE);
        assertThat(offsets).hasSize(1_000);
        for (int k = 0; k < offsets.size(); k++) {
            assertThat(offsets.get(k)).isBetween(k * 10_000_000L, k * 10_000_000L + 1);
        }
    }

    @Test
    void aRampFromZeroStartsTheAreaUnderItsRate() {
        // 0 to 100/s over 2 s: 100 arrivals, the k-th where 25·t² = k (taking the gap from the rate at
        // the last arrival gave 1)
        List<Long> offsets = offsets(stages(0, Duration.ofSeconds(2), 100), Long.MAX_VALUE);
        assertThat(offsets).hasSize(100);
        for (int k = 0; k < offsets.size(); k++) {
            assertThat(offsets.get(k) / 1e9).isCloseTo(Math.sqrt(k / 25.0), within(1e-8));
        }
    }

    @Test
    void rampsUpAndDownAndAPauseAtZeroStartWhatTheirAreasHold() {
        // 10 → 50 over 4 s: 120; held at 0 for 3 s: none; 0 → 40 over 2 s: 40; 40 → 0 over 1 s: 20
        LoadModel.Open model = stages(10, Duration.ofSeconds(4), 50, Duration.ofSeconds(1), 0, Duration.ofSeconds(3), 0,
                Duration.ofSeconds(2), 40, Duration.ofSeconds(1), 0);
        List<Long> offsets = offsets(model, Long.MAX_VALUE);
        // the 1 s drop from 50 to 0 holds 25 more
        assertThat(offsets).hasSize(120 + 25 + 40 + 20);
        assertThat(offsets.stream().filter(o -> o >= 5 * SECOND && o < 8 * SECOND)).as("none while the rate is 0").isEmpty();
        assertThat(offsets.stream().filter(o -> o < 4 * SECOND)).hasSize(120);
        assertThat(offsets.stream().filter(o -> o >= 8 * SECOND && o < 10 * SECOND)).hasSize(40);
        assertThat(offsets).isSorted();
        assertThat(offsets.get(offsets.size() - 1)).isLessThan(11 * SECOND);
    }

    @Test
    void theClockSaysWhenTheStagesAreOverAndWhereTheNextArrivalIs() {
        ArrivalClock clock = new ArrivalClock(stages(0, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), 10));
        assertThat(clock.nextOffsetNanos()).as("the rate rises from 1 s on").isEqualTo(SECOND);
        assertThat(clock.advance(SECOND)).isFalse();
        assertThat(clock.over()).isFalse();
        int started = 0;
        while (clock.advance(2 * SECOND)) {
            started++;
        }
        assertThat(started).isEqualTo(5);
        assertThat(clock.over()).isFalse();
        assertThat(clock.advance(Long.MAX_VALUE)).isFalse();
        assertThat(clock.over()).isTrue();
    }

    @Test
    void aPlanWithoutStagesRunsAtItsRateUntilTheRunEnds() {
        assertThat(offsets(new LoadModel.Open(50, List.of(), 100), 2 * SECOND)).hasSize(100);
        ArrivalClock none = new ArrivalClock(new LoadModel.Open(0, List.of(), 100));
        assertThat(none.advance(100 * SECOND)).isFalse();
        assertThat(none.nextOffsetNanos()).isEqualTo(ArrivalClock.NEVER);
    }

    @Test
    void countAgreesWithTheClockOverAWindow() {
        LoadModel.Open model = stages(0, Duration.ofSeconds(3), 300, Duration.ofSeconds(3), 30);
        long inWindow = offsets(model, Long.MAX_VALUE).stream().filter(o -> o >= SECOND && o < 4 * SECOND).count();
        assertThat(ArrivalClock.count(model, new Slices(Segment.WHOLE), SECOND, 4 * SECOND)).isEqualTo(inWindow);
    }
}
