package io.stampede.engine;

import java.time.Duration;

/**
 * The closed model's schedule: how many users there should be at a given moment, and how fast to get
 * there. Pure arithmetic, so it is tested without threads.
 */
final class Spawner {

    /** One step of the schedule: the population to move towards and the rate, in users per second. */
    record Target(int users, double ratePerSecond) {
    }

    private final LoadModel.Closed model;
    private double credit;
    private boolean changing;

    Spawner(LoadModel.Closed model) {
        this.model = model;
    }

    /** The target at {@code elapsed} into the run; {@code null} once the stages are over. */
    Target targetAt(Duration elapsed) {
        if (model.stages().isEmpty()) {
            return new Target(model.users(), model.spawnRate());
        }
        Duration end = Duration.ZERO;
        for (LoadModel.Stage stage : model.stages()) {
            end = end.plus(stage.duration());
            if (elapsed.compareTo(end) < 0) {
                return new Target(stage.users(), stage.spawnRate());
            }
        }
        return null;
    }

    /**
     * How many users to start (positive) or stop (negative) after {@code tickSeconds} have passed,
     * given {@code running} users now. The first user of a change starts (or stops) at once, the
     * next ones 1/rate apart, as Locust does: at 1 user/s the first request is not a second late.
     * Fractions carry over between ticks so any rate is exact on average, including rates below one
     * user per tick.
     */
    int step(Target target, int running, double tickSeconds) {
        int gap = target.users() - running;
        if (gap == 0) {
            credit = 0;
            changing = false;
            return 0;
        }
        if (changing) {
            credit += target.ratePerSecond() * tickSeconds;
        } else {
            changing = true;
            credit = 1;
        }
        int allowed = (int) Math.floor(credit);
        if (allowed == 0) {
            return 0;
        }
        int change = Math.min(allowed, Math.abs(gap));
        credit -= change;
        return gap > 0 ? change : -change;
    }
}
