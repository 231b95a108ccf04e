package io.stampede.report;

import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The live console's one line of progress:
 *
 * <pre>
 * 00:12/01:00  users 100  req/s 33.1  p95 12ms  fail 0.00%
 * </pre>
 *
 * Elapsed time, then the planned run time when there is one; the rest is over the current window
 * (the last {@value RunStats#CURRENT_WINDOW_SECONDS} s), so a fault shows up at once and fades once
 * the service recovers. On a terminal the line is redrawn in place every second with {@code \r};
 * anywhere else (a CI log, a pipe) a plain line is printed every
 * {@value #PLAIN_LINE_INTERVAL_SECONDS} s, so logs stay short and readable.
 */
public final class ProgressLine implements RunListener {

    /** How often a plain line is printed when the output is not a terminal. */
    static final int PLAIN_LINE_INTERVAL_SECONDS = 10;

    private final PrintStream out;
    private final boolean terminal;
    private Duration runTime;
    private int lastWidth;
    private long lastPlainLineSecond;

    /**
     * @param out      where the line goes
     * @param terminal true to redraw in place; false for a plain line every 10 s
     */
    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onStart(RunInfo run) {
        runTime = run.planned().orElse(null);
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        show(stats);
    }

    @Override
    public void onFinish(RunStats stats) {
        // A redrawn line has no line end yet; whatever is printed next must not overwrite it.
        if (lastWidth > 0) {
            out.println();
            out.flush();
            lastWidth = 0;
        }
    }

    /** Redraws the line (terminal) or prints it when its 10 s have come (not a terminal). */
    public void show(RunStats stats) {
        String line = format(stats, runTime);
        if (terminal) {
            // Pad over the previous line's tail: a shorter line must not leave old characters behind.
            String padding = " ".repeat(Math.max(0, lastWidth - line.length()));
            out.print("\r" + line + padding);
            out.flush();
            lastWidth = line.length();
            return;
        }
        long second = (long) stats.elapsedSeconds();
        if (second - lastPlainLineSecond >= PLAIN_LINE_INTERVAL_SECONDS) {
            out.println(line);
            out.flush();
            lastPlainLineSecond = second;
        }
    }

    /** The line for a run so far; {@code runTime} null when the run has none. */
    public static String format(RunStats stats, Duration runTime) {
        EntryStats current = stats.current(null);
        double windowSeconds = stats.currentWindowSeconds();
        return format((long) stats.elapsedSeconds(), runTime, stats.users(), current.count() / windowSeconds,
                current.count() == 0 ? Double.NaN : current.percentileMillis(95), current.failureRatio());
    }

    /**
     * The line from its figures.
     *
     * @param p95Millis    NaN when there was no request to measure (printed as "-")
     * @param failureRatio 0..1
     */
    public static String format(long elapsedSeconds, Duration runTime, int users, double requestsPerSecond,
                                double p95Millis, double failureRatio) {
        String time = clock(elapsedSeconds) + (runTime == null ? "" : "/" + clock(runTime.toSeconds()));
        return String.format(Locale.ROOT, "%s  users %d  req/s %.1f  p95 %s  fail %.2f%%",
                time, users, requestsPerSecond, latency(p95Millis), failureRatio * 100);
    }

    /** mm:ss, or h:mm:ss from an hour on. */
    static String clock(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /** Whole milliseconds, but one decimal under 10 ms, where a whole number would say 0, 1 or 2. */
    private static String latency(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis < 10
                ? String.format(Locale.ROOT, "%.1fms", millis)
                : Math.round(millis) + "ms";
    }

    /**
     * System.console() alone is not enough: since JDK 22 it may return a console even when output
     * is redirected, and only {@code Console.isTerminal()} (JDK 22+, hence reflection under
     * {@code --release 21}) tells.
     */
    public static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException olderJdk) {
            return true;
        }
    }
}
