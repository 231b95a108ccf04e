package io.stampede.ledger;

import java.time.Duration;

/**
 * What one run spent of one SLO's budget, as the run's verdict said it (never recomputed).
 *
 * @param errorBudget bad requests the objective allowed over the run: (1 - objective) x total
 * @param budgetSpent bad requests there were
 */
public record SloSpend(String slo, Duration period, double objectivePercent, long total, double errorBudget,
                       long budgetSpent) {
}
