package io.stampede.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One SLO's error budget over its period, summed over the runs the ledger holds for that period:
 * the budget is what the objective allowed of every request in those runs, as the SRE Workbook's
 * request-based budget over a window.
 *
 * @param allowed bad requests the objective allowed over the period's runs
 * @param spent   bad requests there were
 * @param runs    the runs that count, newest first, with what each spent
 */
public record SloBudget(String slo, Duration period, double objectivePercent, double allowed, long spent,
                        List<Spent> runs) {

    public SloBudget {
        runs = List.copyOf(runs);
    }

    /** What is left, in percent of the period's budget (negative when overspent); 100 with no request yet. */
    public double leftPercent() {
        if (allowed == 0) {
            return spent == 0 ? 100 : -100;
        }
        return 100.0 * (allowed - spent) / allowed;
    }

    /** One run's share: its id, time, plan and verdict, and its requests, allowed and spent. */
    public record Spent(String run, Instant ended, String plan, String verdict, long total, double allowed,
                        long spent) {
    }
}
