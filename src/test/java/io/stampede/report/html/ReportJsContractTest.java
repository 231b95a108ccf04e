package io.stampede.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.JsonNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * report.js against {@link ChartData}: every field it reads off the page's data is one Jackson writes,
 * and every window kind it compares with is a {@link Timeline.WindowKind} word.
 */
class ReportJsContractTest {

    @Test
    void everyFieldReportJsReadsIsOneChartDataWrites() {
        String js = resource("report.js");
        Set<String> read = new TreeSet<>();
        Matcher m = Pattern.compile("\\bdata\\.(?:budgets\\.)?([a-z][A-Za-z0-9]*)\\b(?!\\s*\\()").matcher(js);
        while (m.find()) {
            read.add(m.group(1));
        }
        assertThat(read).as("names report.js reads off its data").contains("startEpochMillis", "windows", "names", "left");
        assertThat(JsonNames.written(HtmlReport.JSON, ChartData.class)).containsAll(read);
    }

    @Test
    void everyWindowKindTheScriptsCompareWithIsOneTheReportWrites() {
        Set<String> words = Arrays.stream(Timeline.WindowKind.values())
                .map(k -> HtmlReport.JSON.convertValue(k, String.class)).collect(Collectors.toSet());
        Set<String> compared = new TreeSet<>();
        for (String script : new String[] {"report.js", "fault-bands.js"}) {
            Matcher m = Pattern.compile("\\.kind === '([^']*)'").matcher(resource(script));
            while (m.find()) {
                compared.add(m.group(1));
            }
        }
        assertThat(compared).isNotEmpty().isSubsetOf(words);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
