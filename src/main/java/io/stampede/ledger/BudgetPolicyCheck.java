package io.stampede.ledger;

import io.stampede.StampedeException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The error-budget policy, applied before a run starts: when any SLO of the plan has less of its
 * budget left over its period than the policy asks, the run is refused before its targets start,
 * so nothing is injected and no user runs (a load test on a service out of budget spends more of it).
 */
public final class BudgetPolicyCheck {

    private BudgetPolicyCheck() {
    }

    /**
     * @param slos the plan's SLOs, by name
     * @throws StampedeException.CannotRun naming the first SLO below the policy, with its numbers
     */
    public static void check(Ledger ledger, LedgerSpec spec, List<String> slos, Instant now) {
        if (spec.policy().isEmpty()) {
            return;
        }
        BudgetPolicy policy = spec.policy().get();
        for (String slo : slos) {
            SloBudget budget = ledger.budget(slo, spec.period(slo), now);
            if (!budget.runs().isEmpty() && budget.leftPercent() < policy.minBudgetLeftPercent()) {
                throw new StampedeException.CannotRun(refusal(budget, policy));
            }
        }
    }

    static String refusal(SloBudget budget, BudgetPolicy policy) {
        int runs = budget.runs().size();
        return String.format(Locale.ROOT, "error-budget policy: SLO '%s' has %.2f%% of its budget left over the last %s"
                        + " (%d bad of %.1f allowed requests in %d %s), below minBudgetLeft %s (%s);"
                        + " the run is refused: nothing was started or injected",
                budget.slo(), budget.leftPercent(), Periods.format(budget.period()), budget.spent(), budget.allowed(),
                runs, runs == 1 ? "run" : "runs", percent(policy.minBudgetLeftPercent()), policy.where());
    }

    private static String percent(double value) {
        return value == Math.rint(value) ? (long) value + "%" : String.format(Locale.ROOT, "%.2f%%", value);
    }
}
