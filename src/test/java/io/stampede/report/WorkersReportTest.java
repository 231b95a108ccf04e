package io.stampede.report;

import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.engine.WorkerStatus;
import io.stampede.report.html.HtmlReport;
import io.stampede.stats.RunStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTML report's workers of a {@code --master} run, rendered from the summary the results folder writes. */
class WorkersReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunStats fourSeconds() {
        RunStats stats = new RunStats(START);
        for (int s = 0; s < 4; s++) {
            stats.add(second(s, 3, Map.of(ROOT, failed(ok(2, 3, 4), 9)), Map.of()));
        }
        return stats;
    }

    @Test
    void aMasterRunsReportHasAWorkersTableWithEachWorkersTotalsAndTheirSum() throws Exception {
        List<WorkerStatus> workers = List.of(
                new WorkerStatus("w1", "box-a /127.0.0.1:40001", WorkerStatus.State.FINISHED, 0, 12, 3, 0, 40.0, 62.5, 100,
                        START - 2_000, START + 4_000),
                new WorkerStatus("w2", "box-<b> /127.0.0.1:40002", WorkerStatus.State.LOST, 0, 4, 1, 0, null, null, 9_000,
                        START - 1_000, START + 1_500));
        JsonNode summary = JSON.readTree(SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)), fourSeconds(),
                SummaryJson.Status.FINISHED, List.of(), null, null, workers));

        String html = HtmlReport.render(summary);

        String section = html.substring(html.indexOf("<section id=\"workers\">"), html.indexOf("</section>", html.indexOf("<section id=\"workers\">")));
        assertThat(section).contains("<h2>Workers</h2>")
                .contains("<td>w1</td><td>box-a /127.0.0.1:40001</td><td>finished</td><td class=\"num\">12</td><td class=\"num\">3</td>"
                        + "<td class=\"num\">25.00%</td><td class=\"num\">75.0%</td><td class=\"num\">3.00</td><td class=\"num\">63%</td>")
                .contains("<td>w2</td><td>box-&lt;b&gt; /127.0.0.1:40002</td><td><span class=\"badge fail\">LOST</span></td>"
                        + "<td class=\"num\">4</td><td class=\"num\">1</td><td class=\"num\">25.00%</td><td class=\"num\">25.0%</td>"
                        + "<td class=\"num\">1.00</td><td class=\"num\">–</td>")
                .contains("<td>All workers</td><td></td><td></td><td class=\"num\">16</td><td class=\"num\">4</td>"
                        + "<td class=\"num\">25.00%</td><td class=\"num\">100.0%</td><td class=\"num\">4.00</td>")
                .doesNotContain("box-<b>");
    }

    @Test
    void aRunOnOneMachineHasNoWorkersSection() throws Exception {
        JsonNode summary = JSON.readTree(SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)), fourSeconds(),
                SummaryJson.Status.FINISHED, List.of(), null, null, null));

        assertThat(summary.has("workers")).isFalse();
        assertThat(HtmlReport.render(summary)).doesNotContain("id=\"workers\"").doesNotContain("<h2>Workers</h2>");
    }
}
