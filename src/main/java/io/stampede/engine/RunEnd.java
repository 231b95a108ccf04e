package io.stampede.engine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a run ended: at its planned end, or stopped before it (a signal, the page's Stop, an
 * abortOnFail threshold), when, and which users were still busy when the stop's bound ran out.
 *
 * @param cause     why it ended
 * @param reason    who or what stopped it ("signal", "Stop on the web UI", the threshold); empty when completed
 * @param elapsed   from the start of the run to the stop (to the end when completed)
 * @param planned   the planned length (run time, or the stages' total); empty for an open-ended run
 * @param abandoned users still busy when the stop timeout and its slack ran out, by class and task
 */
public record RunEnd(Cause cause, String reason, Duration elapsed, Optional<Duration> planned, List<Abandoned> abandoned) {

    public RunEnd {
        abandoned = List.copyOf(abandoned);
    }

    /** Why a run ended. */
    public enum Cause {
        /** It reached its planned end (run time, end of the stages, every worker done). */
        COMPLETED,
        /** Stopped before its planned end: a signal, Ctrl-C, Stop from the page or the API. */
        INTERRUPTED,
        /** An abortOnFail threshold failed. */
        ABORTED
    }

    /**
     * Users the stop left running: {@code users} of {@code userClass} were still in {@code task} (or
     * {@code onStop}) when the bound ran out. Their threads are left to the process's exit.
     */
    public record Abandoned(String userClass, String task, int users) {
    }

    /**
     * Whether the run fails for how it ended: it was aborted, or stopped before a planned end. An
     * open-ended run (no run time, no stages) has no end to miss: a stop is its normal end.
     */
    public boolean cutShort() {
        return cause == Cause.ABORTED || (cause == Cause.INTERRUPTED && planned.isPresent());
    }

    /** "run interrupted at 0:05 of 0:45 (signal)", "run aborted at 0:12 of 5:00 (...)"; empty when completed. */
    public String describe() {
        if (cause == Cause.COMPLETED) {
            return "";
        }
        return describe(cause.name().toLowerCase(Locale.ROOT), elapsed.toMillis() / 1000.0,
                planned.map(p -> p.toMillis() / 1000.0).orElse(null), reason);
    }

    /** The one wording of an early end, also used by the reports that render a saved summary. */
    public static String describe(String status, double atSeconds, Double plannedSeconds, String reason) {
        return "run " + status + " at " + clock(atSeconds)
                + (plannedSeconds == null ? " (no run time planned)" : " of " + clock(plannedSeconds))
                + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }

    /** "0:05", "12:00", "1:02:03": whole seconds, rounded down so 44.9 s is not shown as the end. */
    public static String clock(double seconds) {
        long s = (long) Math.floor(Math.max(0, seconds));
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
