package io.stampede.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.engine.WorkerStatus;
import io.stampede.report.SummaryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's workers of a {@code --master} run: each networked worker's totals and how it ended,
 * read as summary.json's typed {@code workers} part, with a row of their sums. Absent for a run on
 * one machine, whose summary has no {@code workers}.
 */
final class WorkerSection {

    private WorkerSection() {
    }

    static String of(JsonNode summary) {
        List<SummaryJson.WorkerTotals> workers = workers(summary);
        if (workers.isEmpty()) {
            return "";
        }
        Double duration = Format.number(summary, "durationSeconds");
        Long start = Format.epochMillis(Format.string(summary, "startTime"));
        Html.Table table = new Html.Table("workers").header("Worker", "Host", "End state", "# Requests", "# Fails",
                "Failures %", "Share of requests", "Req/s over the run", "Peak CPU", "First seen", "Last seen").numeric(3, 4, 5, 6, 7, 8);
        long requests = workers.stream().mapToLong(SummaryJson.WorkerTotals::requests).sum();
        long failures = workers.stream().mapToLong(SummaryJson.WorkerTotals::failures).sum();
        for (SummaryJson.WorkerTotals w : workers) {
            String state = w.state() == null ? Format.NONE : w.state().json();
            boolean bad = w.state() == WorkerStatus.State.LOST || w.state() == WorkerStatus.State.REFUSED;
            figures(table.row(bad ? "worker-" + state : "").cell(w.id()).cell(w.host())
                    .cellMarkup(bad ? "<span class=\"badge fail\">" + Html.text(state.toUpperCase(Locale.ROOT)) + "</span>"
                            : Html.text(state)), w.requests(), w.failures(), requests, duration)
                    .cell(w.peakCpuPercent() == null ? Format.NONE : Format.percent(w.peakCpuPercent(), 0))
                    .cell(seen(w.firstSeen(), start)).cell(seen(w.lastSeen(), start));
        }
        figures(table.row("aggregated").cell("All workers").cell("").cell(""), requests, failures, requests, duration)
                .cell("").cell("").cell("");
        return "<section id=\"workers\">\n<h2>Workers</h2>\n<p class=\"detail\">Each worker's totals over the whole run"
                + " (a reset of the statistics does not clear them) and its state at the end.</p>\n" + table.toHtml() + "</section>\n";
    }

    private static Html.Table figures(Html.Table row, long requests, long failures, long allRequests, Double seconds) {
        return row.cell(Format.count((double) requests)).cell(Format.count((double) failures))
                .cell(requests == 0 ? Format.NONE : Format.percent(100.0 * failures / requests, 2))
                .cell(allRequests == 0 ? Format.NONE : Format.percent(100.0 * requests / allRequests, 1))
                .cell(seconds == null || seconds <= 0 ? Format.NONE : Format.rate(requests / seconds));
    }

    /** A worker's first or last sighting as an offset from the run's start. */
    private static String seen(String instant, Long startMillis) {
        Long at = Format.epochMillis(instant);
        return at == null || startMillis == null ? Format.NONE : Format.offset((at - startMillis) / 1000.0);
    }

    /** The summary's workers, typed; none for a run on one machine or a summary from before they were kept. */
    private static List<SummaryJson.WorkerTotals> workers(JsonNode summary) {
        JsonNode node = summary.path("workers");
        List<SummaryJson.WorkerTotals> workers = new ArrayList<>();
        if (!node.isArray()) {
            return workers;
        }
        for (JsonNode worker : node) {
            try {
                workers.add(HtmlReport.JSON.treeToValue(worker, SummaryJson.WorkerTotals.class));
            } catch (JsonProcessingException | IllegalArgumentException unreadable) {
                // a hand-edited row: the report shows the others
            }
        }
        return workers;
    }
}
