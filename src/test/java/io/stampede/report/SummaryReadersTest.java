package io.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.JsonNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The readers of summary.json (the HTML report, junit.xml, {@code stampede report}) read it as a tree,
 * since they also read summaries written by other versions; this holds every name they read to one
 * that {@link SummaryJson.Summary} writes, so renaming a record component fails here and not in a
 * report with empty cells.
 */
class SummaryReadersTest {

    private static final Path MAIN = Path.of("src/main/java/io/stampede");
    /** The sources that read summary.json. */
    private static final List<Path> READERS = List.of(MAIN.resolve("report/html/RunOutcome.java"),
            MAIN.resolve("report/html/RunSections.java"), MAIN.resolve("report/html/VerdictSections.java"),
            MAIN.resolve("report/html/Timeline.java"), MAIN.resolve("report/html/ChartData.java"),
            MAIN.resolve("report/html/HtmlReport.java"), MAIN.resolve("report/html/JunitXml.java"),
            MAIN.resolve("cli/ReportCommand.java"));
    /**
     * {@code Format.string(node, "name")}, {@code node.path("name")}: how the readers name a field; {@code put}:
     * the fields {@code stampede report} marks in a killed run's summary.
     */
    private static final Pattern READ = Pattern.compile(
            "(?:Format\\.(?:string|number)\\([a-zA-Z]+, |\\.(?:path|has|get|put)\\()\"([a-z][A-Za-z0-9]*)\"");
    /** junit.xml copies a few top-level fields as properties, from a list. */
    private static final Pattern COPIED = Pattern.compile("new String\\[] \\{(\"[a-z][A-Za-z0-9]*\"(?:, \"[a-z][A-Za-z0-9]*\")*)}");

    @Test
    void everyFieldTheReadersReadIsOneSummaryJsonWrites() {
        Set<String> read = new TreeSet<>();
        for (Path reader : READERS) {
            String source = read(reader);
            Matcher m = READ.matcher(source);
            while (m.find()) {
                read.add(m.group(1));
            }
            Matcher copied = COPIED.matcher(source);
            while (copied.find()) {
                for (String name : copied.group(1).split(", ")) {
                    read.add(name.replace("\"", ""));
                }
            }
        }
        assertThat(read).as("names the readers read").contains("budgetLeftPercent", "steadyState", "endTime", "pid");
        assertThat(JsonNames.written(new ObjectMapper(), SummaryJson.Summary.class)).containsAll(read);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
