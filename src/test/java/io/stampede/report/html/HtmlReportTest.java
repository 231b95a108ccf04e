package io.stampede.report.html;

import static io.stampede.report.html.Summaries.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    private static String render(JsonNode summary) {
        return HtmlReport.render(summary);
    }

    @Test
    void isOneSelfContainedFileWithUPlotInlined() throws Exception {
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, Summaries.JSON.writeValueAsString(Summaries.synthetic()));
        Path out = dir.resolve("sub/report.html");
        HtmlReport.write(summary, out);
        String html = Files.readString(out);

        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(Pattern.compile("(?i)\\b(src|href|action|srcset)\\s*=\\s*[\"']?\\s*(https?:|//)").matcher(html).find())
                .as("no external src/href").isFalse();
        assertThat(html).doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<script src")
                .doesNotContainIgnoringCase("@import").doesNotContain("url(http");
        assertThat(html).contains(webjar("uPlot.iife.min.js")).contains(webjar("uPlot.min.css"));
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void escapesEveryTextFromTheData() {
        String html = render(Summaries.synthetic());

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("500 &lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/b&gt;")
                .contains("<h1>lab &lt;13&gt;")
                .contains("<title>Stampede report: lab &lt;13&gt;</title>")
                .doesNotContain(HOSTILE)
                .doesNotContain("<b>");
        // Only the report's own three script elements, and the data cannot close its element early.
        assertThat(count(html, "<script")).isEqualTo(3);
        assertThat(count(html, "</script>")).isEqualTo(3);
        String data = html.substring(html.indexOf("id=\"report-data\">"), html.indexOf("</script>"));
        assertThat(data).contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    }

    @Test
    void showsTheVerdictSlosThresholdsAndFaultImpact() {
        String html = render(Summaries.synthetic());

        assertThat(html).contains("<span class=\"badge verdict fail\">FAIL</span>");
        assertThat(html).contains("<h3>SLOs</h3>").contains("99% of requests good").contains("95% under 300 ms")
                .contains("97.50%").contains("-150.0%").contains("10s 3.2× · 1m 2.5×");
        assertThat(html).contains("<h3>Thresholds</h3>").contains("<code>p(95)&lt;500</code>").contains("0.025")
                .contains("<span class=\"badge nodata\">NO DATA</span>");
        assertThat(html).contains("Steady state (before the first fault, again after the last recovery): "
                + "<span class=\"badge fail\">DEVIATED</span>");
        assertThat(html).contains("<h3>Burn-rate alerts that fired</h3>")
                .contains("<li><strong>availability</strong>: burn rate above 1 over 12 s and 1 s (1/10 and 1/120 of the run), first at second &lt;script&gt;");
        assertThat(html).contains("<h3>Notes: burn rates and alerts not applicable to this run, server-side SLIs' polling</h3>")
                .contains("burn rate over 5m: not applicable (run shorter than the 5m window) &lt;script&gt;");
        assertThat(html).contains("<span class=\"detail\">rate=2.50%</span>").contains("no impact");
        assertThat(html).contains("<h2>Faults and their impact</h2>").contains("<strong>pause#1</strong>")
                .contains("6,000 ms (4.00 ms)").contains("not recovered").contains("250.0%")
                .contains("1.01 s").contains("6.23 s").contains("0 (0.5%)"); // timed to 10 ms: two decimals
        assertThat(html).contains("availability: 30 (250.0%); fast: 12 (20.0%)")   // every SLO's cost
                .contains("1.50 ms");                                                 // failures' p95 apart
        assertThat(html).contains("id=\"chart-budget\"");
    }

    @Test
    void showsLocustTablesWithAggregatedRow() {
        String html = render(Summaries.synthetic());

        assertThat(html).contains("<th>Type</th><th>Name</th><th class=\"num\"># Requests</th><th class=\"num\"># Fails</th>");
        assertThat(html).contains("<tr class=\"aggregated\"><td></td><td><span class=\"name\">Aggregated</span></td><td class=\"num\">1,200</td><td class=\"num\">30</td>");
        assertThat(html).contains("<h2>Failures</h2>").contains("connection refused");
        assertThat(html).contains("<h2>Events</h2>").contains("-0:02").contains("fault injected");
    }

    @Test
    void withoutVerdictLeavesItsSectionsOutAndListsFaultWindows() {
        ObjectNode summary = Summaries.synthetic();
        summary.remove("verdict");
        String html = render(summary);

        assertThat(html).doesNotContain("badge verdict").doesNotContain("id=\"verdict\"").doesNotContain("id=\"chart-budget\"")
                .doesNotContain("Faults and their impact");
        assertThat(html).contains("<h2>Faults</h2>").contains("rolled back").contains("target healthy again");
    }

    @Test
    void rendersAnAlmostEmptySummary() {
        String html = render(Summaries.JSON.createObjectNode().put("name", "empty"));

        assertThat(html).contains("<h1>empty").contains("No requests.").doesNotContain("<h2>Failures</h2>");
    }

    @Test
    void phasesOfEachSecondBecomeTheStackedChartOnTheSameAxis() {
        ObjectNode summary = Summaries.synthetic();
        int second = 0;
        for (JsonNode point : summary.get("points")) {
            second++;
            if (second != 13) { // a second without phase times: a gap, not 0
                ((ObjectNode) point).putObject("phases").put("connecting", 0.0).put("tlsHandshaking", 0.0)
                        .put("sending", 0.01).put("waiting", second == 17 ? 5000.0 : 1.5).put("receiving", 0.2);
            }
        }

        JsonNode data = Summaries.JSON.valueToTree(ChartData.of(summary, new Timeline(summary.get("events"), Summaries.START, 40)));

        assertThat(data.at("/phases/waiting")).hasSize(data.get("x").size());
        assertThat(data.at("/phases/waiting/16").asDouble()).isEqualTo(5000.0);
        assertThat(data.at("/phases/waiting/12").isNull()).isTrue();
        assertThat(data.at("/phases/receiving/0").asDouble()).isEqualTo(0.2);
        assertThat(render(summary)).contains("id=\"chart-phases\"");
        assertThat(render(Summaries.synthetic())).as("a summary without phases").doesNotContain("id=\"chart-phases\"");
    }

    @Test
    void chartDataPutsEveryPointOnTheRunsTimeAxis() {
        JsonNode data = Summaries.JSON.valueToTree(
                ChartData.of(Summaries.synthetic(), new Timeline(Summaries.synthetic().get("events"), Summaries.START, 40)));

        assertThat(data.get("x").get(0).asDouble()).isEqualTo(1.0);
        assertThat(data.get("x")).hasSize(40);
        assertThat(data.get("p95").get(12).isNull()).as("no latency in a second without requests").isTrue();
        assertThat(data.get("windows")).hasSize(2);
        assertThat(data.at("/budgets/names/0").asText()).isEqualTo("availability");
        assertThat(data.at("/budgets/left/0")).hasSize(data.at("/budgets/x").size());
    }

    @Test
    void faultWindowsEndAtRollbackOrWhenTheTargetIsHealthyAgain() {
        Timeline timeline = new Timeline(Summaries.synthetic().get("events"), Summaries.START, 40);

        assertThat(timeline.windows).extracting(Timeline.Window::label, Timeline.Window::from, Timeline.Window::to,
                        Timeline.Window::kind)
                .containsExactly(
                        Tuple.tuple("pause#1", 10.0, 16.0, Timeline.WindowKind.LASTING),
                        Tuple.tuple("kill#2", 25.0, 28.0, Timeline.WindowKind.UNTIL_HEALTHY));
        assertThat(timeline.markers).extracting(Timeline.Marker::kind)
                .extracting(Timeline.MarkerKind::json).containsExactly("started", "up", "down", "up", "down", "started", "up");
    }

    @Test
    void anInstantFaultWithoutRecoveryLastsToTheEndAndOneWithoutEffectIsALine() {
        ObjectNode summary = Summaries.JSON.createObjectNode();
        var events = summary.putArray("events");
        events.addObject().put("epochMillis", 5_000).put("kind", "FAULT_INJECTED").put("target", "a").put("fault", "kill").put("injection", "kill#1");
        events.addObject().put("epochMillis", 5_100).put("kind", "TARGET_EXITED").put("target", "a");
        events.addObject().put("epochMillis", 6_000).put("kind", "FAULT_INJECTED").put("target", "b").put("fault", "kill").put("injection", "kill#2");
        events.addObject().put("epochMillis", 7_000).put("kind", "FAULT_FAILED").put("target", "c").put("fault", "kill").put("detail", "no target matches");
        Timeline timeline = new Timeline(summary.get("events"), 0, 30);

        assertThat(timeline.windows).extracting(Timeline.Window::to, Timeline.Window::kind).containsExactly(
                Tuple.tuple(30.0, Timeline.WindowKind.NOT_RECOVERED),
                Tuple.tuple(6.0, Timeline.WindowKind.INSTANT));
        assertThat(timeline.markers).extracting(Timeline.Marker::kind).containsExactly(Timeline.MarkerKind.DOWN, Timeline.MarkerKind.FAILED);
    }

    @Test
    void aTargetStoppedAtTheEndOfTheRunIsAnEndNotADownMarker() {
        ObjectNode summary = Summaries.JSON.createObjectNode();
        var events = summary.putArray("events");
        events.addObject().put("epochMillis", 10_000).put("kind", "TARGET_EXITED").put("target", "a").put("detail", "killed by SIGKILL");
        events.addObject().put("epochMillis", 30_200).put("kind", "TARGET_EXITED").put("target", "a").put("detail", "killed by SIGTERM");
        Timeline timeline = new Timeline(summary.get("events"), 0, 30);

        assertThat(timeline.markers).extracting(Timeline.Marker::kind).containsExactly(Timeline.MarkerKind.DOWN, Timeline.MarkerKind.ENDED);
    }

    @Test
    void templateValuesAreNotExpandedAgain() {
        assertThat(HtmlReport.fill("<p>{{a}}</p><i>{{b}}</i>", Map.of("a", "{{b}}", "b", "x"))).isEqualTo("<p>{{b}}</p><i>x</i>");
        assertThatThrownBy(() -> HtmlReport.fill("{{nope}}", Map.of())).hasMessageContaining("{{nope}}");
    }

    @Test
    void realRunReportHasBothFaultsOnTheTimeline() {
        String html = render(Summaries.realRun());

        assertThat(html).contains("<strong>kill#1</strong>").contains("<strong>pause#2</strong>")
                .contains("\"kind\":\"lasting\"").contains("\"kind\":\"until_healthy\"");
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String webjar(String file) throws Exception {
        try (InputStream in = HtmlReport.class.getResourceAsStream(UPlot.DIST + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
