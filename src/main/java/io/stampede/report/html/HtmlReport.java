package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run's report as one self-contained HTML file, rendered from {@code summary.json}: it opens
 * offline, from a CI artifact or an e-mail, and makes no request of any kind. The charting library
 * (uPlot, from its webjar), the page's script and style, and the data are all inlined.
 *
 * <pre>{@code
 * HtmlReport.write(Path.of("results/lab-13-20260105-100000/summary.json"), Path.of("report.html"));
 * }</pre>
 *
 * <p>The page shows, top to bottom: the run (name, host, start, duration) with the verdict's
 * PASS/FAIL badge; the headline figures; the SLOs and thresholds; time charts on one shared time
 * axis (requests and failures per second, p50/p95/p99 latency, users, error budget left) on which
 * every fault is a shaded window and every target down/up event a line; the impact of each fault;
 * Locust's request statistics and failures tables; a {@code --master} run's workers, each one's totals and end state;
 * the list of events. Parts the summary lacks
 * (no verdict yet, no faults) are left out.
 *
 * <p>Text from the data (request names, error messages, target names) is escaped, in the markup and
 * in the inlined JSON, so a request named {@code <script>} is shown and never run.
 */
public final class HtmlReport {

    private static final String RESOURCES = "/io/stampede/report/html/";
    static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {
    }

    /**
     * Renders {@code summaryJson} into {@code outputHtml} (created or replaced, parent folders made).
     *
     * @throws IOException when the summary cannot be read or parsed, or the report not written
     */
    public static void write(Path summaryJson, Path outputHtml) throws IOException {
        write(JSON.readTree(summaryJson.toFile()), outputHtml);
    }

    /** Renders a summary already in memory into {@code outputHtml}. */
    public static void write(JsonNode summary, Path outputHtml) throws IOException {
        Path parent = outputHtml.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(outputHtml, render(summary), StandardCharsets.UTF_8);
    }

    /** The whole page as a string. */
    public static String render(JsonNode summary) {
        long start = ChartData.startMillis(summary);
        double end = ChartData.endSeconds(summary, start);
        Timeline timeline = new Timeline(summary.path("events"), start, end);
        JsonNode verdict = summary.path("verdict");
        ChartData data = ChartData.of(summary, timeline);
        String budgetChart = data.budgets() == null ? ""
                : """
                  <div class="chart-card"><h3>Error budget left <span class="unit">% of budget; below 0 the SLO is broken</span></h3><div class="chart" id="chart-budget"></div></div>
                  """;
        String phaseChart = data.phases() == null ? ""
                : """
                  <div class="chart-card"><h3>Where the time goes <span class="unit">mean milliseconds per request, by phase</span></h3><div class="chart" id="chart-phases"></div></div>
                  """;
        Map<String, String> values = Map.ofEntries(
                Map.entry("title", Html.text(RunSections.title(summary))),
                Map.entry("uplotCss", resource(UPlot.DIST + "uPlot.min.css")),
                Map.entry("reportCss", resource(RESOURCES + "report.css")),
                Map.entry("header", RunSections.header(summary, VerdictSections.badge(verdict))),
                Map.entry("tiles", RunSections.tiles(summary, timeline.windows.size())),
                Map.entry("verdict", VerdictSections.verdict(verdict)),
                Map.entry("budgetChart", budgetChart),
                Map.entry("phaseChart", phaseChart),
                Map.entry("faults", VerdictSections.faults(verdict, timeline, start)),
                Map.entry("requests", RunSections.requests(summary)),
                Map.entry("failures", RunSections.failures(summary)),
                Map.entry("workers", WorkerSection.of(summary)),
                Map.entry("events", RunSections.events(summary, start)),
                Map.entry("data", scriptSafeJson(data)),
                Map.entry("uplotJs", scriptSafe(resource(UPlot.DIST + "uPlot.iife.min.js"))),
                Map.entry("bandsJs", scriptSafe(resource(RESOURCES + "fault-bands.js"))),
                Map.entry("reportJs", scriptSafe(resource(RESOURCES + "report.js"))));
        return fill(resource(RESOURCES + "report.html"), values);
    }

    /**
     * Replaces each {@code {{name}}} of the template in one pass, so a value that itself contains
     * {@code {{...}}} (a request name, say) is never expanded.
     */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 256 * 1024);
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (close < 0) {
                return out.append(template, at, template.length()).toString();
            }
            String name = template.substring(open + 2, close);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("report template: no value for {{" + name + "}}");
            }
            out.append(template, at, open).append(value);
            at = close + 2;
        }
    }

    /**
     * JSON to sit inside a {@code <script>} element: {@code <}, {@code >} and {@code &} only occur in
     * JSON strings, where their {@code \}{@code u} escapes mean the same, so {@code </script>} in the
     * data cannot end the element.
     */
    static String scriptSafeJson(Object data) {
        try {
            return JSON.writeValueAsString(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // records of strings and numbers always serialize
        }
    }

    /** Script source inlined in a {@code <script>} element: a literal {@code </script} would end it early. */
    private static String scriptSafe(String js) {
        return js.replace("</script", "<\\/script");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
