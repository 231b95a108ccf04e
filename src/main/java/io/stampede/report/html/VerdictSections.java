package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.slo.SliSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections about the verdict: SLOs, thresholds, steady state, and the impact of each
 * fault. Every section is absent (empty string) when the summary has no verdict or the verdict has
 * no such part; the fault table then falls back to the fault windows seen on the timeline.
 */
final class VerdictSections {

    private VerdictSections() {
    }

    /** The verdict's PASS/FAIL badge, or empty when there is no verdict. */
    static String badge(JsonNode verdict) {
        if (!verdict.isObject()) {
            return "";
        }
        JsonNode passed = verdict.get("passed");
        if (passed == null || !passed.isBoolean()) {
            return Html.badge("no data");
        }
        return "<span class=\"badge verdict " + (passed.asBoolean() ? "pass\">PASS" : "fail\">FAIL") + "</span>";
    }

    /** SLO table, thresholds table and steady-state line, in one section; empty without a verdict. */
    static String verdict(JsonNode verdict) {
        if (!verdict.isObject()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<section id=\"verdict\">\n<h2>Verdict ").append(badge(verdict)).append("</h2>\n");
        String halted = Format.string(verdict, "chaosHalted");
        if (!halted.isEmpty()) {
            out.append("<p class=\"halted\">").append(Html.badge("halted")).append(" ").append(Html.text(halted)).append("</p>\n");
        }
        JsonNode steady = verdict.path("steadyState");
        if (steady.isObject()) {
            out.append("<p class=\"steady\">Steady state (before the first fault, again after the last recovery): ")
                    .append(Html.badge(Format.string(steady, "result")));
            String detail = Format.string(steady, "detail");
            if (!detail.isEmpty()) {
                out.append(" <span class=\"detail\">").append(Html.text(detail)).append("</span>");
            }
            out.append("</p>\n");
        }
        StringBuilder alerts = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        Html.Table slos = new Html.Table("slos")
                .header("SLO", "Objective", "Requests", "Good", "SLI", "Error budget", "Budget spent", "Budget left",
                        "Highest burn rate", "Status")
                .numeric(2, 3, 4, 5, 6, 7);
        for (JsonNode slo : verdict.path("slos")) {
            String filter = Format.string(slo, "filter");
            if (SliSource.PROMETHEUS.text().equals(Format.string(slo, "source"))) {
                filter = "source: prometheus"; // a server-side SLO has no request filter
            }
            for (JsonNode alert : slo.path("alerts")) {
                alerts.append("<li><strong>").append(Html.text(Format.string(slo, "name"))).append("</strong>: ")
                        .append(Html.text(alert.asText())).append("</li>\n");
            }
            for (JsonNode note : slo.path("notes")) {
                notes.append("<li><strong>").append(Html.text(Format.string(slo, "name"))).append("</strong>: ")
                        .append(Html.text(note.asText())).append("</li>\n");
            }
            slos.row("").cellMarkup(Html.text(Format.string(slo, "name"))
                            + (filter.isEmpty() ? "" : "<div class=\"detail\">" + Html.text(filter) + "</div>"))
                    .cell(objective(slo))
                    .cell(Format.count(Format.number(slo, "total")))
                    .cell(Format.count(Format.number(slo, "good")))
                    .cell(Format.percent(Format.number(slo, "sliPercent"), 2))
                    .cell(Format.amount(Format.number(slo, "errorBudget")))
                    .cell(Format.amount(Format.number(slo, "budgetSpent")))
                    .cellMarkup(budgetLeft(Format.number(slo, "budgetLeftPercent")))
                    .cell(burnRates(slo.path("burnRates")))
                    .cellMarkup(Html.badge(Format.string(slo, "status")));
        }
        if (!slos.isEmpty()) {
            out.append("<h3>SLOs</h3>\n").append(slos.toHtml());
        }
        if (!alerts.isEmpty()) {
            out.append("<h3>Burn-rate alerts that fired</h3>\n<ul class=\"alerts\">\n").append(alerts).append("</ul>\n");
        }
        if (!notes.isEmpty()) {
            out.append("<h3>Notes: burn rates and alerts not applicable to this run, server-side SLIs' polling</h3>\n<ul class=\"alerts\">\n").append(notes).append("</ul>\n");
        }
        Html.Table thresholds = new Html.Table("thresholds").header("Metric", "Expression", "Value", "Detail", "Status")
                .numeric(2);
        for (JsonNode t : verdict.path("thresholds")) {
            Double value = Format.number(t, "value");
            thresholds.row("").cell(Format.string(t, "metric")).cellMarkup("<code>" + Html.text(Format.string(t, "expression")) + "</code>")
                    .cell(value == null ? Format.NONE : Format.significant(value))
                    .cellMarkup("<span class=\"detail\">" + Html.text(Format.string(t, "detail")) + "</span>")
                    .cellMarkup(Html.badge(Format.string(t, "status")));
        }
        if (!thresholds.isEmpty()) {
            out.append("<h3>Thresholds</h3>\n").append(thresholds.toHtml());
        }
        return out.append("</section>\n").toString();
    }

    /** "99% of requests good", "95% under 300 ms". */
    private static String objective(JsonNode slo) {
        String objective = Format.objective(Format.number(slo, "objectivePercent"));
        Double below = Format.number(slo, "latencyBelowMillis");
        return below == null ? objective + " of requests good" : objective + " under " + Format.millisWithUnit(below);
    }

    private static String budgetLeft(Double percent) {
        String text = Html.text(Format.percent(percent, 1));
        return percent != null && percent < 0 ? "<span class=\"negative\">" + text + "</span>" : text;
    }

    /** "10s 3.2× · 1m 1.5×" in the order the verdict gives. */
    private static String burnRates(JsonNode rates) {
        StringBuilder out = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = rates.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rate = it.next();
            if (!out.isEmpty()) {
                out.append(" · ");
            }
            out.append(rate.getKey()).append(' ')
                    .append(rate.getValue().isNumber() ? String.format(Locale.ROOT, "%.1f×", rate.getValue().asDouble()) : Format.NONE);
        }
        return out.isEmpty() ? Format.NONE : out.toString();
    }

    /**
     * Per-fault impact from the verdict; without one, the fault windows the timeline shows. Empty when
     * no fault was injected.
     */
    static String faults(JsonNode verdict, Timeline timeline, long startMillis) {
        JsonNode faults = verdict.path("faults");
        if (faults.isArray() && !faults.isEmpty()) {
            Html.Table table = new Html.Table("faults")
                    .header("Injection", "Target", "Injected at", "Failed requests (baseline)", "Budget spent above baseline, per SLO",
                            "Successes' p95 peak (baseline)", "Successes' p99 peak (baseline)", "Failures' p95 peak",
                            "Time to detect", "Time to recover")
                    .numericFrom(2);
            for (JsonNode f : faults) {
                Double at = Format.number(f, "injectedAtEpochMillis");
                Double spent = Format.number(f, "budgetSpent");
                Double spentPercent = Format.number(f, "budgetSpentPercent");
                Double recover = Format.number(f, "timeToRecoverSeconds");
                Double baseline = Format.number(f, "baselineFailurePercent");
                Double resolution = Format.number(f, "resolutionMillis");
                boolean recovered = f.path("recovered").asBoolean(recover != null);
                table.row(recovered ? "" : "not-recovered")
                        .cellMarkup(injection(Format.string(f, "injection"), Format.string(f, "fault")))
                        .cell(Format.string(f, "target"))
                        .cell(at == null || at <= 0 ? Format.NONE : Format.offset((at - startMillis) / 1000.0))
                        .cell(Format.count(Format.number(f, "failedRequests"))
                                + (baseline == null ? "" : " (" + Format.percent(baseline, 1) + ")"))
                        .cell(costs(f, spent, spentPercent))
                        .cell(peak(Format.number(f, "peakP95Millis"), Format.number(f, "baselineP95Millis")))
                        .cell(peak(Format.number(f, "peakP99Millis"), Format.number(f, "baselineP99Millis")))
                        .cell(Format.number(f, "peakFailedP95Millis") == null || Format.number(f, "peakFailedP95Millis") <= 0
                                ? Format.NONE : Format.millisWithUnit(Format.number(f, "peakFailedP95Millis")))
                        .cell(Format.number(f, "timeToDetectSeconds") == null ? "no impact"
                                : Format.seconds(Format.number(f, "timeToDetectSeconds"), resolution))
                        .cellMarkup(recovered && recover != null ? Html.text(Format.seconds(recover, resolution))
                                : "<span class=\"negative\">not recovered</span>");
            }
            return "<section id=\"faults\">\n<h2>Faults and their impact</h2>\n" + table.toHtml() + "</section>\n";
        }
        if (timeline.windows.isEmpty()) {
            return "";
        }
        Html.Table table = new Html.Table("faults").header("Injection", "Target", "Injected at", "Ended at", "Window", "How it ended")
                .numericFrom(2);
        for (Timeline.Window w : timeline.windows) {
            String ended = switch (w.kind()) {
                case LASTING -> "rolled back";
                case UNTIL_HEALTHY -> "target healthy again";
                case NOT_RECOVERED -> "target not healthy again before the end";
                case INSTANT -> "instant, target stayed healthy";
            };
            table.row(w.kind() == Timeline.WindowKind.NOT_RECOVERED ? "not-recovered" : "")
                    .cellMarkup(injection(w.label(), w.fault())).cell(w.target()).cell(Format.offset(w.from()))
                    .cell(w.kind() == Timeline.WindowKind.NOT_RECOVERED ? Format.NONE : Format.offset(w.to()))
                    .cell(Format.seconds(w.to() - w.from())).cell(ended);
        }
        return "<section id=\"faults\">\n<h2>Faults</h2>\n" + table.toHtml() + "</section>\n";
    }

    private static String injection(String id, String fault) {
        String label = id.isEmpty() ? fault : id;
        return "<strong>" + Html.text(label) + "</strong>";
    }

    /** Every SLO's bad requests above its baseline, "name: n (x% of budget)"; older summaries: the first SLO's. */
    private static String costs(JsonNode fault, Double spent, Double spentPercent) {
        List<String> parts = new ArrayList<>();
        for (JsonNode c : fault.path("costs")) {
            Double excess = Format.number(c, "excessBadRequests");
            Double percent = Format.number(c, "budgetPercent");
            parts.add(Format.string(c, "slo") + ": " + Format.amount(excess)
                    + (percent == null ? "" : " (" + Format.percent(percent, 1) + ")"));
        }
        if (!parts.isEmpty()) {
            return String.join("; ", parts);
        }
        return spent == null ? Format.NONE : Format.amount(spent)
                + (spentPercent == null ? "" : " (" + Format.percent(spentPercent, 1) + ")");
    }

    private static String peak(Double peak, Double baseline) {
        if (peak == null) {
            return Format.NONE;
        }
        return Format.millisWithUnit(peak) + (baseline == null ? "" : " (" + Format.millisWithUnit(baseline) + ")");
    }
}
