package io.stampede.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede report} ({@link io.stampede.cli.ReportCommand}): bad input is exit code 2 with one line naming the path; good input writes both reports. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {
    }

    /** Runs Main.execute with stdout and stderr captured (picocli takes System.err when the command line is made). */
    private static synchronized Outcome stampede(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Outcome(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void assertBadInput(Outcome outcome, String message) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("stampede: ").contains(message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void missingFolder() {
        Path missing = dir.resolve("no-such-run");
        assertBadInput(stampede("report", missing.toString()), missing + ": no such results folder");
    }

    @Test
    void folderWithoutSummary() {
        assertBadInput(stampede("report", dir.toString()), dir + ": no summary.json in this folder");
    }

    @Test
    void summaryThatIsNotJson() throws Exception {
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, "{\n  \"name\": \"half-written\",\n  \"points\": [ {\"endEpochMillis\": 17");
        assertBadInput(stampede("report", dir.toString()), summary + ":3:");
        assertBadInput(stampede("report", dir.toString()), "not valid JSON: Unexpected end-of-input");
    }

    @Test
    void summaryThatIsNotAnObject() throws Exception {
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, "[1, 2, 3]");
        assertBadInput(stampede("report", summary.toString()), summary + ": not a Stampede summary");
    }

    @Test
    void unwritableOutput() throws Exception {
        copyRealRun(dir.resolve("summary.json"));
        Files.writeString(dir.resolve("a-file"), "x");
        Path html = dir.resolve("a-file/report.html");
        assertBadInput(stampede("report", dir.toString(), "--html", html.toString()), html + ": cannot write the report");
    }

    @Test
    void writesBothReportsIntoTheFolderOrWhereAsked() throws Exception {
        copyRealRun(dir.resolve("summary.json"));
        Outcome outcome = stampede("report", dir.toString());
        assertThat(outcome.exitCode()).as("the saved run's verdict failed: " + outcome.err()).isEqualTo(1);
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        assertThat(dir.resolve("junit.xml")).content().contains("<testsuites");
        assertThat(outcome.out()).contains("Report: " + dir.resolve("report.html"));

        Path html = dir.resolve("elsewhere/lab.html");
        Path junit = dir.resolve("ci/results.xml");
        outcome = stampede("report", dir.toString(), "--html", html.toString(), "--junit", junit.toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(1);
        assertThat(html).content().contains("kill#1");
        assertThat(junit).content().contains("testcase");
    }

    private static void copyRealRun(Path target) throws Exception {
        try (InputStream in = ReportCommandTest.class.getResourceAsStream("/io/stampede/report/html/lab-13-chaos-summary.json")) {
            Files.copy(in, target);
        }
    }
}
