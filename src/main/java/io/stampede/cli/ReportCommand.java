package io.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.report.SummaryJson;
import io.stampede.report.html.ReportFiles;
import io.stampede.report.html.RunOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stampede report}: renders a saved run's {@code report.html} and {@code junit.xml} again from
 * its {@code summary.json}, e.g. after an upgrade, or for a run that was killed before its end.
 *
 * <pre>
 * stampede report results/lab-13-20260105-100000
 * stampede report results/lab-13-20260105-100000 --html /tmp/lab-13.html --junit build/test-results/stampede.xml
 * </pre>
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render report.html and junit.xml again from a results folder's summary.json.",
            "Exit code: 0 when the run passed (or was not judged), 1 when it failed or did not reach its end",
            "(interrupted, aborted, or killed: a summary still 'running' whose process is gone), 2 for bad input."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RESULTS",
            description = "A run's results folder (or its summary.json).")
    Path results;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report here (default: RESULTS/report.html).")
    Path html;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the JUnit XML here (default: RESULTS/junit.xml).")
    Path junit;

    /** Where "Report: ..." goes; System.out unless a test says otherwise. */
    PrintStream out = System.out;

    @Override
    public Integer call() {
        Path summaryFile;
        Path folder;
        if (Files.isDirectory(results)) {
            folder = results;
            summaryFile = results.resolve(ReportFiles.SUMMARY);
            if (!Files.exists(summaryFile)) {
                throw new StampedeException.BadInput(results + ": no " + ReportFiles.SUMMARY + " in this folder; is it a run's results folder?");
            }
        } else if (Files.isRegularFile(results)) {
            summaryFile = results;
            folder = results.toAbsolutePath().getParent();
        } else {
            throw new StampedeException.BadInput(results + ": no such results folder");
        }
        JsonNode summary = ReportFiles.readSummary(summaryFile);
        if (RunOutcome.status(summary).equals("running") && !writerAlive(summary)) {
            // Its process died mid-run (kill -9, a crash, the machine): say so in the summary itself.
            summary = killed((ObjectNode) summary);
            try {
                ReportFiles.replace(summaryFile, summary);
            } catch (IOException e) {
                System.err.println("stampede: " + summaryFile + ": cannot mark the run killed (" + e.getMessage()
                        + "); the reports say so all the same");
            }
        }
        Path htmlFile = html != null ? html : folder.resolve(ReportFiles.REPORT_HTML);
        Path junitFile = junit != null ? junit : folder.resolve(ReportFiles.JUNIT_XML);
        ReportFiles.write(summary, htmlFile, junitFile);
        out.println("Report: " + htmlFile);
        out.println("JUnit:  " + junitFile);
        String stoppedEarly = RunOutcome.failure(summary);
        if (stoppedEarly != null) {
            out.println("Verdict: FAIL (" + stoppedEarly + ")");
            return ExitCode.VERDICT_FAILED;
        }
        if (RunOutcome.status(summary).equals("running")) {
            out.println("Verdict: none yet (the run is still going: summary.json is written by process "
                    + summary.path("pid").asLong() + ")");
            return ExitCode.VERDICT_FAILED;
        }
        JsonNode passed = summary.path("verdict").path("passed");
        if (passed.isBoolean()) {
            out.println("Verdict: " + (passed.asBoolean() ? "PASS" : "FAIL"));
            return passed.asBoolean() ? ExitCode.PASS : ExitCode.VERDICT_FAILED;
        }
        return ExitCode.PASS;
    }

    /**
     * Whether the process that wrote a "running" summary still runs: its PID is alive and started
     * before the run did (a reused PID started later). A summary without a PID is from an older
     * Stampede: its writer is taken as gone.
     */
    static boolean writerAlive(JsonNode summary) {
        JsonNode pid = summary.path("pid");
        if (!pid.canConvertToLong()) {
            return false;
        }
        Long start = io.stampede.report.html.RunOutcome.startMillis(summary);
        return ProcessHandle.of(pid.asLong()).filter(ProcessHandle::isAlive)
                .map(p -> p.info().startInstant().map(at -> start == null || at.toEpochMilli() <= start).orElse(true))
                .orElse(false);
    }

    /** The summary of a run whose process died: status killed, stopped at its last written second. */
    static JsonNode killed(ObjectNode summary) {
        ObjectNode marked = summary.deepCopy();
        marked.put("status", SummaryJson.Status.KILLED.json());
        marked.put("stoppedAtSeconds", summary.path("durationSeconds").asDouble());
        marked.put("stopReason", "its process ended without finishing the run (killed, crashed, or the machine stopped);"
                + " the results hold its last written second");
        return marked;
    }
}
