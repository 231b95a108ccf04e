package io.stampede.engine;

import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;

/**
 * Follows a run: console, results files, later the web UI and metrics. All calls come from one
 * thread, in order: {@link #onStart}, {@link #onInterval} once per second, {@link #onFinish} once,
 * also when the run is stopped by a signal. A listener must not block for long: it delays the next
 * interval for everyone.
 */
public interface RunListener {

    default void onStart(RunInfo run) {
    }

    /**
     * Whether this listener reads the run's "current" figures ({@link RunStats#current}). A runner
     * whose listeners all say no keeps no current window: a worker process sends its intervals on and
     * reads none, and the window's latency histograms, kept 10 s, are promoted and die in its old
     * generation (README, "Waiting users and the old generation").
     */
    default boolean readsCurrentFigures() {
        return true;
    }

    /**
     * @param interval the second that just ended
     * @param stats    the run so far, including {@code interval}; valid only during the call
     */
    default void onInterval(IntervalStats interval, RunStats stats) {
    }

    /** The run ended; {@code stats} holds everything, including the last partial second. */
    default void onFinish(RunStats stats) {
    }

    /**
     * The run ended, and how: at its planned end or stopped early. The runner calls this one; by
     * default it calls {@link #onFinish(RunStats)}, for listeners to whom the difference is nothing.
     */
    default void onFinish(RunStats stats, RunEnd end) {
        onFinish(stats);
    }
}
