package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.engine.RunEnd;
import io.stampede.report.SummaryJson;

/**
 * How a saved run ended, read from its summary: the one place the reports (HTML, JUnit) and
 * {@code stampede report} decide that a run did not reach its end, and say so in the same words.
 */
public final class RunOutcome {

    private RunOutcome() {
    }

    /** The summary's status: "finished", "interrupted", "aborted", "killed", "running"; empty in an old summary. */
    public static String status(JsonNode summary) {
        return Format.string(summary, "status");
    }

    /**
     * Why the run fails for how it ended ("run interrupted at 0:05 of 0:45: signal"), or null when
     * its end is not held against it: finished, still running, or an open-ended run stopped by its user.
     */
    public static String failure(JsonNode summary) {
        Double planned = Format.number(summary, "plannedSeconds");
        boolean fails = switch (known(summary)) {
            case ABORTED, KILLED -> true;
            case INTERRUPTED -> planned != null;
            case RUNNING, FINISHED -> false;
            case null -> false;
        };
        return fails ? describe(summary) : null;
    }

    /** "run interrupted at 1:23 (no run time planned): ..." for any run that did not finish; null for a finished one. */
    public static String note(JsonNode summary) {
        return switch (known(summary)) {
            case INTERRUPTED, ABORTED, KILLED -> describe(summary);
            case RUNNING, FINISHED -> null;
            case null -> null;
        };
    }

    /** The summary's status, or null for a word this version does not know (an old or newer summary). */
    private static SummaryJson.Status known(JsonNode summary) {
        return SummaryJson.Status.parse(status(summary));
    }

    /** The run's start as epoch milliseconds, or null when the summary has none. */
    public static Long startMillis(JsonNode summary) {
        return Format.epochMillis(Format.string(summary, "startTime"));
    }

    private static String describe(JsonNode summary) {
        Double at = Format.number(summary, "stoppedAtSeconds");
        if (at == null) {
            at = Format.number(summary, "durationSeconds");
        }
        return RunEnd.describe(status(summary), at == null ? 0 : at, Format.number(summary, "plannedSeconds"),
                Format.string(summary, "stopReason"));
    }
}
