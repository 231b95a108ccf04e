package io.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.report.html.ReportFiles;
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
            "Exit code 0 when the reports are written, whatever the run's verdict."})
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
        Path htmlFile = html != null ? html : folder.resolve(ReportFiles.REPORT_HTML);
        Path junitFile = junit != null ? junit : folder.resolve(ReportFiles.JUNIT_XML);
        ReportFiles.write(summary, htmlFile, junitFile);
        out.println("Report: " + htmlFile);
        out.println("JUnit:  " + junitFile);
        return ExitCode.PASS;
    }

    /**
     * Writes {@code report.html} and {@code junit.xml} into a run's results folder at the end of the
     * run; same as {@link ReportFiles#writeInto}.
     */
    public static void writeReports(Path resultsFolder) {
        ReportFiles.writeInto(resultsFolder);
    }
}
