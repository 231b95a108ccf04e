package io.stampede.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The open model's whole schedule: arrivals numbered 0, 1, 2, ... at their offsets from the run's
 * start. Pure arithmetic on the plan, so every process that runs the same plan computes the same
 * arrival at the same offset: workers tell theirs apart by number ({@link Segment#owns}) and switch
 * to a new split at the same arrival ({@link Slices}), and the coordinator can count a lost worker's
 * arrivals without running any.
 */
final class ArrivalClock {

    /** While the rate is 0 (a ramp from 0), the schedule looks again this much later. */
    static final long IDLE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadModel.Open model;
    private long index = -1;
    private long offsetNanos = -1;
    private long nextOffsetNanos;
    private boolean over;

    ArrivalClock(LoadModel.Open model) {
        this.model = model;
    }

    /**
     * Moves to the next arrival when it is due before {@code limitNanos} (an offset from the start):
     * true, with its {@link #index()} and {@link #offsetNanos()}; false when none is yet, or the
     * stages are over ({@link #over()}).
     */
    boolean advance(long limitNanos) {
        while (!over && nextOffsetNanos < limitNanos) {
            double rate = model.rateAt(Duration.ofNanos(nextOffsetNanos));
            if (rate < 0) {
                over = true;
                return false;
            }
            if (rate == 0) {
                nextOffsetNanos += IDLE_STEP_NANOS;
                continue;
            }
            index++;
            offsetNanos = nextOffsetNanos;
            nextOffsetNanos += (long) (1e9 / rate);
            return true;
        }
        return false;
    }

    /** The current arrival's number in the whole schedule; -1 before the first. */
    long index() {
        return index;
    }

    /** The current arrival's offset from the run's start. */
    long offsetNanos() {
        return offsetNanos;
    }

    /** Where the schedule looks next: the next arrival's offset, or the next look during a rate of 0. */
    long nextOffsetNanos() {
        return nextOffsetNanos;
    }

    /** The stages are over: no arrival follows. */
    boolean over() {
        return over;
    }

    /** How many arrivals with offsets in {@code [fromNanos, toNanos)} the slices held then own. */
    static long count(LoadModel.Open model, Slices slices, long fromNanos, long toNanos) {
        ArrivalClock clock = new ArrivalClock(model);
        long owned = 0;
        while (clock.advance(toNanos)) {
            if (clock.offsetNanos() >= fromNanos && slices.held(clock.offsetNanos()).owns(clock.index())) {
                owned++;
            }
        }
        return owned;
    }
}
