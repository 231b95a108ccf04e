package io.stampede.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.StampedeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The end-of-run reports of a results folder, rendered from its {@code summary.json}:
 * {@code report.html} ({@link HtmlReport}) and {@code junit.xml} ({@link JunitXml}). Called by the
 * run when it ends and by {@code stampede report} to render them again.
 *
 * <pre>{@code
 * ReportFiles.writeInto(resultsFolder);   // results/lab-13-20260105-100000/report.html and junit.xml
 * }</pre>
 */
public final class ReportFiles {

    /** The summary a results folder holds. */
    public static final String SUMMARY = "summary.json";
    /** The HTML report's name in a results folder. */
    public static final String REPORT_HTML = "report.html";
    /** The JUnit XML report's name in a results folder. */
    public static final String JUNIT_XML = "junit.xml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFiles() {
    }

    /**
     * Writes {@code report.html} and {@code junit.xml} into {@code resultsFolder} from its
     * {@code summary.json}.
     *
     * @throws StampedeException.BadInput when the summary is missing or not JSON, or a report cannot be written
     */
    public static void writeInto(Path resultsFolder) {
        JsonNode summary = readSummary(resultsFolder.resolve(SUMMARY));
        write(summary, resultsFolder.resolve(REPORT_HTML), resultsFolder.resolve(JUNIT_XML));
    }

    /**
     * Writes both reports where asked; either path may be null to skip that report.
     *
     * @throws StampedeException.BadInput naming the file that cannot be written
     */
    public static void write(JsonNode summary, Path html, Path junit) {
        if (html != null) {
            try {
                HtmlReport.write(summary, html);
            } catch (IOException e) {
                throw new StampedeException.BadInput(html + ": cannot write the report: " + reason(e), e);
            }
        }
        if (junit != null) {
            try {
                JunitXml.write(summary, junit);
            } catch (IOException e) {
                throw new StampedeException.BadInput(junit + ": cannot write the JUnit report: " + reason(e), e);
            }
        }
    }

    /** Replaces {@code summaryJson} with {@code summary} atomically, as the run writes it. */
    public static void replace(Path summaryJson, JsonNode summary) throws IOException {
        Path temp = summaryJson.resolveSibling("." + summaryJson.getFileName() + ".tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
        Files.move(temp, summaryJson, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads a {@code summary.json}.
     *
     * @throws StampedeException.BadInput naming the file when it is missing, unreadable, not JSON, or not a summary
     */
    public static JsonNode readSummary(Path summaryJson) {
        if (!Files.exists(summaryJson)) {
            throw new StampedeException.BadInput(summaryJson + ": not found");
        }
        if (!Files.isRegularFile(summaryJson)) {
            throw new StampedeException.BadInput(summaryJson + ": not a file");
        }
        JsonNode summary;
        try {
            summary = JSON.readTree(summaryJson.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new StampedeException.BadInput(summaryJson + where + ": not valid JSON: " + shortReason(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new StampedeException.BadInput(summaryJson + ": cannot read: " + reason(e), e);
        }
        if (summary == null || !summary.isObject()) {
            throw new StampedeException.BadInput(summaryJson + ": not a Stampede summary (expected a JSON object)");
        }
        return summary;
    }

    /** Jackson's message without its source excerpt: the first line, before any "(start marker at ...)". */
    private static String shortReason(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        int marker = line.indexOf(" (start marker at");
        return marker < 0 ? line : line.substring(0, marker);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
