package io.stampede.report;

import io.stampede.slo.FaultImpact;
import io.stampede.slo.SliSource;
import io.stampede.slo.SloResult;
import io.stampede.slo.ThresholdOutcome;
import io.stampede.slo.Verdict;
import io.stampede.slo.threshold.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The verdict as console tables: SLOs, thresholds, what each fault cost, the steady state. */
public final class VerdictTable {

    /** The burn-rate windows, in the order the verdict reports them. */
    private static final List<String> BURN_WINDOWS = List.of("10s", "1m", "5m");

    private VerdictTable() {
    }

    public static String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        out.append("Verdict: ").append(verdict.passed() ? "PASS" : "FAIL")
                .append(verdict.stoppedEarly() == null ? "" : " (" + verdict.stoppedEarly() + ")").append('\n');
        if (!verdict.slos().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SLO", "objective", "SLI", "good/total", "budget left", "max burn 10s/1m/5m", "result"});
            for (SloResult s : verdict.slos()) {
                rows.add(new String[] {
                    s.name() + (s.latencyBelowMillis() != null ? " (<" + num(s.latencyBelowMillis()) + " ms"
                            + ("bad".equals(s.failures()) ? ", failures bad" : "") + ")" : "")
                            + (s.filter().isEmpty() ? "" : " [" + s.filter() + "]")
                            + (s.source() == SliSource.PROMETHEUS ? " [source: prometheus]" : ""),
                    pct(s.objectivePercent()), s.total() == 0 ? "-" : pct(s.sliPercent()), s.good() + "/" + s.total(),
                    s.total() == 0 ? "-" : pct(s.budgetLeftPercent()),
                    String.join("/", BURN_WINDOWS.stream().map(w -> s.burnRates().containsKey(w)
                            ? String.format(Locale.ROOT, "%.2f", s.burnRates().get(w)) : "n/a").toList()),
                    result(s.status())});
            }
            out.append(table(rows));
            verdict.slos().forEach(s -> s.alerts().forEach(a -> out.append("  alert ").append(s.name()).append(": ").append(a).append('\n')));
            verdict.slos().forEach(s -> s.notes().forEach(n -> out.append("  note ").append(s.name()).append(": ").append(n).append('\n')));
        }
        if (!verdict.thresholds().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"threshold", "value", "result"});
            for (ThresholdOutcome t : verdict.thresholds()) {
                rows.add(new String[] {t.metric() + " " + t.expression(), t.value() == null ? "-" : num(t.value()),
                        result(t.status()) + (t.detail() == null || t.detail().isEmpty() ? "" : " (" + t.detail() + ")")});
            }
            out.append(table(rows));
        }
        if (!verdict.faults().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("fault", "target", "failed (baseline)"));
            // every SLO's cost: a run failing on its latency SLO alone is not a run whose faults cost nothing
            List<String> slos = verdict.faults().get(0).costs().stream().map(FaultImpact.SloCost::slo).toList();
            slos.forEach(slo -> header.add(slo + " spent above baseline"));
            if (slos.isEmpty()) {
                header.add("budget spent above baseline");
            }
            header.addAll(List.of("ok p95 base→peak ms", "ok p99 base→peak ms", "failed p95 peak ms", "detected", "recovered"));
            rows.add(header.toArray(String[]::new));
            for (FaultImpact f : verdict.faults()) {
                List<String> row = new ArrayList<>(List.of(f.injection(), f.target(),
                        f.failedRequests() + " (" + pct(f.baselineFailurePercent()) + ")"));
                f.costs().forEach(c -> row.add(num(c.excessBadRequests())
                        + (c.budgetPercent() == null ? "" : " (" + pct(c.budgetPercent()) + ")")));
                if (f.costs().isEmpty()) {
                    row.add("-");
                }
                row.addAll(List.of(num(f.baselineP95Millis()) + "→" + num(f.peakP95Millis()),
                        num(f.baselineP99Millis()) + "→" + num(f.peakP99Millis()),
                        f.peakFailedP95Millis() > 0 ? num(f.peakFailedP95Millis()) : "-",
                        f.timeToDetectSeconds() == null ? "no impact" : "after " + seconds(f.timeToDetectSeconds(), f.resolutionMillis()),
                        f.recovered() ? "after " + seconds(f.timeToRecoverSeconds(), f.resolutionMillis()) : "NOT RECOVERED"));
                rows.add(row.toArray(String[]::new));
            }
            out.append(table(rows));
        }
        if (verdict.chaosHalted() != null) {
            out.append("Chaos: ").append(verdict.chaosHalted()).append('\n');
        }
        if (verdict.steadyState() != null) {
            out.append("Steady state: ").append(verdict.steadyState().result().text()).append(" (")
                    .append(verdict.steadyState().detail()).append(")\n");
        }
        return out.toString();
    }

    /** Seconds with as many decimals as the timing is precise: 10 ms slots give two, whole seconds none. */
    static String seconds(double value, long resolutionMillis) {
        int decimals = resolutionMillis >= 1000 ? 0 : resolutionMillis >= 100 ? 1 : resolutionMillis >= 10 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f s", value);
    }

    private static String result(Status status) {
        return status == Status.PASS ? "pass" : status == Status.FAIL ? "FAIL" : "no data";
    }

    private static String pct(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }

    private static String num(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e12 ? Long.toString((long) value)
                : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }

    /** Rows as left-aligned columns, two spaces apart and indented by two; the first row sets the column count. */
    public static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < row.length; c++) {
                line.append(String.format("%-" + widths[c] + "s", row[c])).append(c + 1 < row.length ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
