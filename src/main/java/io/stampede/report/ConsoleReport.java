package io.stampede.report;

import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.PrintStream;

/**
 * The console during and after a run, as Locust users expect it: the {@link ProgressLine} while
 * the run goes, then Locust's end-of-run tables ({@link ConsoleTable}).
 */
public final class ConsoleReport implements RunListener {

    private final PrintStream out;
    private final ProgressLine progress;

    /**
     * @param out      the console
     * @param terminal true to redraw the progress line in place, false for a plain line every 10 s
     */
    public ConsoleReport(PrintStream out, boolean terminal) {
        this.out = out;
        this.progress = new ProgressLine(out, terminal);
    }

    @Override
    public void onStart(RunInfo run) {
        progress.onStart(run);
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        progress.onInterval(interval, stats);
    }

    @Override
    public void onFinish(RunStats stats) {
        progress.onFinish(stats);
        out.println();
        out.print(ConsoleTable.render(stats));
        if (stats.totalsStartEpochMillis() != stats.startEpochMillis()) {
            out.println("Totals since the reset at " + RunEnd.clock(
                    (stats.totalsStartEpochMillis() - stats.startEpochMillis()) / 1000.0)
                    + "; the SLOs and thresholds cover the whole run.");
        }
        out.flush();
    }
}
