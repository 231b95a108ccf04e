package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ArrivalClock#startingAt}: the arrivals from an offset on, found without walking those before,
 * are those a walk from the start finds there, same numbers and offsets, on random staged ramps.
 */
class ArrivalClockTest {

    private final Random random = new Random(15);

    @Test
    void startingAtAnOffsetGivesTheArrivalsAWalkFromTheStartGives() {
        for (int c = 0; c < 300; c++) {
            LoadModel.Open model = randomModel();
            long end = model.stagesDuration().isZero() ? TimeUnit.SECONDS.toNanos(12) : model.stagesDuration().toNanos() + 1;
            long from = random.nextLong(end + TimeUnit.SECONDS.toNanos(1));
            long to = from + random.nextLong(TimeUnit.SECONDS.toNanos(3));
            List<long[]> walked = new ArrayList<>();
            ArrivalClock walk = new ArrivalClock(model);
            while (walk.advance(to)) {
                if (walk.offsetNanos() >= from) {
                    walked.add(new long[] {walk.index(), walk.offsetNanos()});
                }
            }
            List<long[]> jumped = new ArrayList<>();
            ArrivalClock jump = ArrivalClock.startingAt(model, from);
            while (jump.advance(to)) {
                jumped.add(new long[] {jump.index(), jump.offsetNanos()});
            }
            assertThat(jumped).as("case %d: %s from %d ns to %d ns", c, model, from, to).containsExactlyElementsOf(walked);
        }
    }

    @Test
    void countingAWindowHoursIntoAFastRunDoesNotWalkTheHours() {
        LoadModel.Open fast = new LoadModel.Open(50_000, List.of(), 1_000); // 50,000/s: 1.8 billion arrivals in 10 h
        long tenHours = TimeUnit.HOURS.toNanos(10);
        Slices half = new Slices(Segment.of(0, 2));
        long started = System.nanoTime();
        long owned = ArrivalClock.count(fast, half, tenHours, tenHours + TimeUnit.SECONDS.toNanos(1));
        assertThat(owned).isEqualTo(25_000);
        // a walk from the start would take minutes; the search, microseconds: a minute is far from both
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
    }

    private LoadModel.Open randomModel() {
        List<LoadModel.RateStage> stages = new ArrayList<>();
        for (int s = 0; s < random.nextInt(4); s++) {
            stages.add(new LoadModel.RateStage(Duration.ofMillis(500 + random.nextInt(4_000)),
                    random.nextInt(5) == 0 ? 0 : random.nextDouble() * 300));
        }
        return new LoadModel.Open(random.nextInt(4) == 0 ? 0 : random.nextDouble() * 300, stages, 1_000);
    }
}
