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
 * every window kind it compares with is a {@link Timeline.WindowKind} word, and fault-bands.js styles
 * exactly the window and marker kinds the report writes.
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

    /** fault-bands.js styles each window kind and marker kind the report writes, and no other. */
    @Test
    void theBandsStyleEveryKindTheReportWrites() {
        String js = resource("fault-bands.js");
        Set<String> windows = Arrays.stream(Timeline.WindowKind.values()).map(Timeline.WindowKind::json).collect(Collectors.toSet());
        Set<String> markers = Arrays.stream(Timeline.MarkerKind.values()).map(Timeline.MarkerKind::json).collect(Collectors.toSet());
        assertThat(keys(js, "WINDOW_FILL")).isEqualTo(windows);
        assertThat(keys(js, "WINDOW_EDGE")).isEqualTo(windows);
        assertThat(keys(js, "MARKER")).isEqualTo(markers);
    }

    /** The keys of {@code var NAME = { key: ..., ... };}, one per line. */
    private static Set<String> keys(String js, String name) {
        Matcher block = Pattern.compile("var " + name + " = \\{(.*?)\\n\\s*};", Pattern.DOTALL).matcher(js);
        assertThat(block.find()).as(name).isTrue();
        Set<String> keys = new TreeSet<>();
        Matcher key = Pattern.compile("(?m)^\\s*([a-z_]+):").matcher(block.group(1));
        while (key.find()) {
            keys.add(key.group(1));
        }
        return keys;
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
