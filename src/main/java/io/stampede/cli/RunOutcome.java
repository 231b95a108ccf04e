package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.engine.RunEnd;
import io.stampede.plan.Plan;
import io.stampede.slo.Verdict;
import io.stampede.stats.RunStats;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a finished run leaves to say and to decide the exit code with: its statistics, how it ended,
 * the verdict. A value, so printing it is apart from running.
 *
 * @param plan       the plan as run (its host through the fault proxy, if any)
 * @param end        how the run ended; null when it could not finish its ending
 * @param verdict    the SLOs' and thresholds' verdict; null when there was nothing to judge on
 * @param judged     whether the plan asks for judgement (SLOs, thresholds or chaos)
 * @param taskErrors exceptions in scenario code, by task and exception, with their counts, sorted
 * @param mistakes   filters that matched no request, one message each
 */
record RunOutcome(Plan plan, RunStats stats, RunEnd end, long droppedIterations, Map<String, Long> taskErrors,
                  Verdict verdict, boolean judged, Optional<Path> resultsFolder, List<String> mistakes) {

    RunOutcome {
        taskErrors = Collections.unmodifiableMap(new TreeMap<>(taskErrors)); // printed in order
        mistakes = List.copyOf(mistakes);
    }

    /**
     * The process's exit code for this run: the verdict's, else the plan's exit code on error when
     * requests or scenario code failed; a run cut short never passes.
     *
     * @throws StampedeException.BadInput when a filter matched nothing: a mistake in the plan
     */
    int exitCode() {
        if (!mistakes.isEmpty()) {
            throw new StampedeException.BadInput(String.join("\n", mistakes));
        }
        boolean cutShort = end != null && end.cutShort();
        if (!judged && (stats.total().failures() > 0 || !taskErrors.isEmpty()) && !cutShort) {
            return plan.judgement().exitCodeOnError(); // Locust's --exit-code-on-error
        }
        if (verdict == null) {
            return cutShort ? ExitCode.VERDICT_FAILED : ExitCode.PASS;
        }
        return verdict.exitCode();
    }
}
