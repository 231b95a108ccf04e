package io.stampede.cli;

import io.stampede.engine.RunListener;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.util.List;
import java.util.function.Consumer;

/** Stops the run the first time one of the thresholds marked abortOnFail is crossed, as k6 does. */
final class AbortOnFail implements RunListener {

    private final List<ThresholdSpec> aborting;
    private final EventLog events;
    private final Consumer<String> abort;
    private boolean crossed;

    /** @param abort stops the run, given why */
    AbortOnFail(List<ThresholdSpec> aborting, EventLog events, Consumer<String> abort) {
        this.aborting = List.copyOf(aborting);
        this.events = events;
        this.abort = abort;
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        for (ThresholdSpec t : aborting) {
            if (!crossed && t.shouldAbort(stats)) {
                crossed = true;
                String what = t.threshold().key().text() + " " + t.threshold().expression();
                events.emitTarget(Event.Kind.THRESHOLD_CROSSED, "", what + " (abortOnFail)");
                abort.accept("abortOnFail: " + what);
            }
        }
    }
}
