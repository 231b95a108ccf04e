package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The report's sections about the run itself: the header, the headline figures, Locust's request
 * statistics and failures tables, and the list of events.
 */
final class RunSections {

    private RunSections() {
    }

    static String title(JsonNode summary) {
        String name = Format.string(summary, "name");
        return "Stampede report" + (name.isEmpty() ? "" : ": " + name);
    }

    /** Name, verdict badge, host, start, duration, users, status. */
    static String header(JsonNode summary, String verdictBadge) {
        String name = Format.string(summary, "name");
        StringBuilder out = new StringBuilder("<header>\n<div class=\"brand\">Stampede load test report</div>\n<h1>")
                .append(Html.text(name.isEmpty() ? "(unnamed run)" : name)).append(' ').append(verdictBadge).append("</h1>\n<dl class=\"meta\">\n");
        meta(out, "Host", Html.text(Format.string(summary, "host")));
        Long start = Format.epochMillis(Format.string(summary, "startTime"));
        meta(out, "Start", Html.text(start == null ? Format.string(summary, "startTime") : Format.utc(start)));
        meta(out, "Duration", Html.text(Format.seconds(Format.number(summary, "durationSeconds"))));
        meta(out, "Users", Html.text(Format.count(peakUsers(summary))) + " <span class=\"detail\">peak</span>");
        String status = Format.string(summary, "status");
        if (status.equals("running")) {
            meta(out, "Status", "<span class=\"badge nodata\">RUNNING</span> <span class=\"detail\">the run had not"
                    + " finished when this summary was written</span>");
        }
        out.append("</dl>\n");
        String note = RunOutcome.note(summary);
        if (note != null) {
            boolean fails = RunOutcome.failure(summary) != null;
            out.append("<div class=\"banner ").append(fails ? "fail" : "info").append("\" id=\"run-end\"><strong>")
                    .append(Html.text(status.toUpperCase(Locale.ROOT))).append("</strong> ")
                    .append(Html.text(note)).append(fails
                            ? ". The run did not reach its planned end, so it does not pass; the figures cover the part that ran."
                            : ". An open-ended run ends so; it is judged on what ran.").append("</div>\n");
        }
        String since = Format.string(summary, "totalsSince");
        Long sinceMillis = Format.epochMillis(since);
        Long startMillis = Format.epochMillis(Format.string(summary, "startTime"));
        if (sinceMillis != null && startMillis != null) {
            out.append("<div class=\"banner info\" id=\"totals-since\">Statistics were reset at ")
                    .append(Html.text(Format.offset((sinceMillis - startMillis) / 1000.0)))
                    .append(": the totals and the request and failure tables cover the run since the reset;"
                            + " the charts, the SLOs and the thresholds cover the whole run.</div>\n");
        }
        return out.append("</header>\n").toString();
    }

    private static void meta(StringBuilder out, String term, String markup) {
        out.append("<div><dt>").append(Html.text(term)).append("</dt><dd>").append(markup).append("</dd></div>\n");
    }

    private static Double peakUsers(JsonNode summary) {
        Double peak = Format.number(summary, "users");
        for (JsonNode point : summary.path("points")) {
            Double users = Format.number(point, "users");
            if (users != null && (peak == null || users > peak)) {
                peak = users;
            }
        }
        return peak;
    }

    /** The headline figures of the whole run, as tiles. */
    static String tiles(JsonNode summary, int faults) {
        JsonNode totals = summary.path("totals");
        Double failures = Format.number(totals, "failures");
        Double ratio = Format.number(totals, "failureRatio");
        Long since = Format.epochMillis(Format.string(summary, "totalsSince"));
        Long start = Format.epochMillis(Format.string(summary, "startTime"));
        String coverage = since == null || start == null ? "" : "since the reset at " + Format.offset((since - start) / 1000.0);
        StringBuilder out = new StringBuilder("<section class=\"tiles\">\n");
        tile(out, "Requests", Format.count(Format.number(totals, "requests")), coverage);
        tile(out, "Failures", Format.count(failures), (ratio == null ? "" : Format.percent(ratio * 100, 2))
                + (coverage.isEmpty() ? "" : (ratio == null ? "" : ", ") + coverage));
        tile(out, "Requests/s", Format.rate(Format.number(totals, "requestsPerSecond")), "average");
        tile(out, "Median", Format.millisWithUnit(Format.number(totals, "medianMillis")), "");
        tile(out, "95th percentile", Format.millisWithUnit(Format.number(totals, "p95Millis")), "");
        tile(out, "99th percentile", Format.millisWithUnit(Format.number(totals, "p99Millis")), "");
        tile(out, "Faults injected", String.valueOf(faults), "");
        return out.append("</section>\n").toString();
    }

    private static void tile(StringBuilder out, String label, String value, String note) {
        out.append("<div class=\"tile\"><div class=\"label\">").append(Html.text(label)).append("</div><div class=\"value\">")
                .append(Html.text(value)).append("</div>");
        if (!note.isEmpty()) {
            out.append("<div class=\"detail\">").append(Html.text(note)).append("</div>");
        }
        out.append("</div>\n");
    }

    /** Locust's "Request Statistics" and "Response Time Statistics" tables, each ending with Aggregated. */
    static String requests(JsonNode summary) {
        Double duration = Format.number(summary, "durationSeconds");
        double seconds = duration == null ? 0 : duration;
        Html.Table stats = new Html.Table("requests").header("Type", "Name", "# Requests", "# Fails", "Average (ms)",
                "Min (ms)", "Max (ms)", "Average size (bytes)", "RPS", "Failures/s").numericFrom(2);
        Html.Table percentiles = new Html.Table("percentiles").header("Type", "Name", "50%ile (ms)", "90%ile (ms)",
                "95%ile (ms)", "99%ile (ms)", "99.9%ile (ms)", "100%ile (ms)").numericFrom(2);
        for (JsonNode request : summary.path("requests")) {
            statsRow(stats.row(""), Format.string(request, "method"), Format.string(request, "name"), request, seconds);
            percentilesRow(percentiles.row(""), Format.string(request, "method"), Format.string(request, "name"), request);
        }
        JsonNode totals = summary.path("totals");
        if (totals.isObject()) {
            statsRow(stats.row("aggregated"), "", "Aggregated", totals, seconds);
            percentilesRow(percentiles.row("aggregated"), "", "Aggregated", totals);
        }
        if (stats.isEmpty()) {
            return "<section id=\"requests\">\n<h2>Request statistics</h2>\n<p class=\"detail\">No requests.</p>\n</section>\n";
        }
        return "<section id=\"requests\">\n<h2>Request statistics</h2>\n" + stats.toHtml()
                + "<h3>Response time percentiles</h3>\n" + percentiles.toHtml() + "</section>\n";
    }

    private static void statsRow(Html.Table table, String method, String name, JsonNode figures, double seconds) {
        Double failures = Format.number(figures, "failures");
        table.cell(method).cellMarkup("<span class=\"name\">" + Html.text(name) + "</span>")
                .cell(Format.count(Format.number(figures, "requests")))
                .cell(Format.count(failures))
                .cell(Format.millis(Format.number(figures, "averageMillis")))
                .cell(Format.millis(Format.number(figures, "minMillis")))
                .cell(Format.millis(Format.number(figures, "maxMillis")))
                .cell(Format.count(Format.number(figures, "averageContentBytes")))
                .cell(Format.rate(Format.number(figures, "requestsPerSecond")))
                .cell(failures == null || seconds <= 0 ? Format.NONE : Format.rate(failures / seconds));
    }

    private static void percentilesRow(Html.Table table, String method, String name, JsonNode figures) {
        table.cell(method).cellMarkup("<span class=\"name\">" + Html.text(name) + "</span>");
        for (String field : new String[] {"medianMillis", "p90Millis", "p95Millis", "p99Millis", "p999Millis", "maxMillis"}) {
            table.cell(Format.millis(Format.number(figures, field)));
        }
    }

    /** Locust's failures table: occurrences, method, name, message. Empty when nothing failed. */
    static String failures(JsonNode summary) {
        Html.Table table = new Html.Table("failures").header("# Failures", "Method", "Name", "Message");
        for (JsonNode failure : summary.path("failures")) {
            table.row("").cellMarkup("<span class=\"num\">" + Html.text(Format.count(Format.number(failure, "occurrences"))) + "</span>")
                    .cell(Format.string(failure, "method"))
                    .cellMarkup("<span class=\"name\">" + Html.text(Format.string(failure, "name")) + "</span>")
                    .cellMarkup("<span class=\"error\">" + Html.text(Format.string(failure, "error")) + "</span>");
        }
        return table.isEmpty() ? "" : "<section id=\"failures\">\n<h2>Failures</h2>\n" + table.toHtml() + "</section>\n";
    }

    /** Every event of the run, with its time from the start and in UTC. */
    static String events(JsonNode summary, long startMillis) {
        Html.Table table = new Html.Table("events").header("Time", "UTC", "Event", "Target", "Fault", "Detail");
        for (JsonNode event : summary.path("events")) {
            Double at = Format.number(event, "epochMillis");
            String kind = Format.string(event, "kind");
            String fault = Format.string(event, "injection").isEmpty() ? Format.string(event, "fault") : Format.string(event, "injection");
            table.row("ev-" + kind.toLowerCase(Locale.ROOT).replace('_', '-'))
                    .cell(at == null ? Format.NONE : Format.offset((at - startMillis) / 1000.0))
                    .cell(at == null ? Format.NONE : Format.utc(at.longValue()).substring(11, 19))
                    .cell(kind.toLowerCase(Locale.ROOT).replace('_', ' '))
                    .cell(Format.string(event, "target")).cell(fault).cell(Format.string(event, "detail"));
        }
        return table.isEmpty() ? "" : "<section id=\"events\">\n<h2>Events</h2>\n" + table.toHtml() + "</section>\n";
    }
}
