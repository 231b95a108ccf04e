package io.stampede.engine;

import java.time.Duration;
import java.util.List;

/** How the number of users (or arrivals) changes over a run. */
public sealed interface LoadModel {

    /**
     * {@code segment}'s part of this load as a fixed load: users (and the concurrency cap) split as
     * {@link Segment#part(int)} does, rates divided, the same stage times; the parts add up to the
     * whole. A worker runs the whole schedule and its segment instead (exact during ramps and
     * arrivals too); this is for estimates such as the open files one process needs.
     */
    LoadModel share(Segment segment);

    /** Worker {@code index}'s part when {@code count} processes share this load equally. */
    default LoadModel share(int index, int count) {
        return share(Segment.of(index, count));
    }

    /** The stages' total length; zero without stages. */
    Duration stagesDuration();

    /** {@code total} split over {@code count} equal segments: segment {@code index}'s part. */
    static int part(int total, int index, int count) {
        return Segment.of(index, count).part(total);
    }

    /**
     * Locust's model: a fixed population of users, each looping over its tasks; users are started
     * at {@code spawnRate} per second until there are {@code users}. With stages, each stage moves
     * the population towards its own target at its own rate, then holds it until the stage ends.
     */
    record Closed(int users, double spawnRate, List<Stage> stages) implements LoadModel {
        public Closed {
            stages = List.copyOf(stages);
        }

        /** Total length of the stages, or zero when there are none. */
        public Duration stagesDuration() {
            return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        }

        @Override
        public Closed share(int index, int count) {
            return share(Segment.of(index, count));
        }

        @Override
        public Closed share(Segment segment) {
            return new Closed(segment.part(users), segment.part(spawnRate), stages.stream()
                    .map(s -> new Stage(s.duration(), segment.part(s.users()), segment.part(s.spawnRate()))).toList());
        }
    }

    /** One step of a staged load: reach {@code users} at {@code spawnRate}/s and hold until {@code duration} ends. */
    record Stage(Duration duration, int users, double spawnRate) {
    }

    /**
     * k6's arrival-rate model: new iterations start on a clock, whether or not earlier ones finished.
     * Each iteration runs one task on an idle user; when none is idle a new one is made, up to
     * {@code maxConcurrency}; past that the iteration is dropped and counted (k6's dropped_iterations).
     * With stages the rate moves linearly from the previous rate to each stage's rate over the stage.
     *
     * @param arrivalRate    iterations per second at the start
     * @param stages         rate ramps; empty: constant
     * @param maxConcurrency users (k6's VUs) allowed at once
     * @param preAllocated   users made (onStart run) before the first arrival, as k6's preAllocatedVUs;
     *                       idle users are taken in turn, so each keeps a warm connection
     */
    record Open(double arrivalRate, List<RateStage> stages, int maxConcurrency, int preAllocated) implements LoadModel {
        public Open {
            stages = List.copyOf(stages);
        }

        public Open(double arrivalRate, List<RateStage> stages, int maxConcurrency) {
            this(arrivalRate, stages, maxConcurrency, 0);
        }

        /** The arrival rate at {@code elapsed}; negative once the stages are over. */
        public double rateAt(Duration elapsed) {
            if (stages.isEmpty()) {
                return arrivalRate;
            }
            double from = arrivalRate;
            Duration stageStart = Duration.ZERO;
            for (RateStage stage : stages) {
                Duration stageEnd = stageStart.plus(stage.duration());
                if (elapsed.compareTo(stageEnd) < 0) {
                    double progress = (double) elapsed.minus(stageStart).toNanos() / stage.duration().toNanos();
                    return from + (stage.arrivalRate() - from) * progress;
                }
                from = stage.arrivalRate();
                stageStart = stageEnd;
            }
            return -1;
        }

        public Duration stagesDuration() {
            return stages.stream().map(RateStage::duration).reduce(Duration.ZERO, Duration::plus);
        }

        @Override
        public Open share(int index, int count) {
            return share(Segment.of(index, count));
        }

        @Override
        public Open share(Segment segment) {
            return new Open(segment.part(arrivalRate), stages.stream()
                    .map(s -> new RateStage(s.duration(), segment.part(s.arrivalRate()))).toList(),
                    Math.max(1, segment.part(maxConcurrency)), segment.part(preAllocated));
        }
    }

    /** Ramp to {@code arrivalRate} iterations per second over {@code duration}. */
    record RateStage(Duration duration, double arrivalRate) {
    }
}
