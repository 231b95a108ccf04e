package io.stampede.slo;

import io.stampede.slo.threshold.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One SLO judged over the whole run.
 *
 * @param errorBudget       bad requests the objective allows over the run: (1 - objective) x total
 * @param budgetSpent       bad requests there were
 * @param budgetLeftPercent what is left of the budget, in percent (negative when overspent)
 * @param burnRates         the highest burn rate seen over each rolling window ("10s", "1m", "5m") the run
 *                          is long enough for: 1.0 spends the budget exactly by the end of the run
 * @param alerts            the SRE Workbook's multi-window burn-rate alerts, scaled to the run, that fired,
 *                          with the windows used
 * @param notes             burn-rate windows and alert rules that do not apply to this run, and why
 * @param budgetSeries      budget left after each second, against the whole run's budget
 * @param failures          a latency SLO's failed requests: "excluded" from good and total (the default), or
 *                          counted "bad"; null for availability
 * @param source            where the good and total events come from: "users" (the run's requests) or
 *                          "prometheus" (a server-side SLI from PromQL)
 */
public record SloResult(String name, String kind, double objectivePercent, Double latencyBelowMillis, String filter,
                        long total, long good, double sliPercent, double errorBudget, long budgetSpent,
                        double budgetLeftPercent, Status status, Map<String, Double> burnRates, List<String> alerts,
                        List<String> notes, List<BudgetPoint> budgetSeries, String failures,
                        SliSource source) {

    /** This result with one more note. */
    public SloResult withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new SloResult(name, kind, objectivePercent, latencyBelowMillis, filter, total, good, sliPercent, errorBudget,
                budgetSpent, budgetLeftPercent, status, burnRates, alerts, List.copyOf(more), budgetSeries, failures, source);
    }

    public record BudgetPoint(long epochMillis, double budgetLeftPercent) {
    }
}
