package io.stampede.ledger;

import io.stampede.input.Located;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan asks of the budget ledger: where it is, each SLO's period, the error-budget policy.
 *
 * <pre>
 * ledger: budget.db                 # or --ledger FILE (the flag wins)
 * policy: { minBudgetLeft: 50% }    # refuse to start while an SLO has less left over its period
 * slos:
 *   - { name: availability, objective: 99%, period: 30d }
 * </pre>
 *
 * @param file    the ledger file and where it was named; empty: no ledger
 * @param periods each SLO's period, by SLO name; an SLO not named here has {@link #DEFAULT_PERIOD}
 * @param policy  the error-budget policy; empty: runs are recorded, never refused
 */
public record LedgerSpec(Optional<Located<Path>> file, Map<String, Duration> periods, Optional<BudgetPolicy> policy) {

    /** An SLO's period when the plan gives none: the SRE Workbook's 30-day window. */
    public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

    public LedgerSpec {
        periods = Map.copyOf(periods);
    }

    public static LedgerSpec none() {
        return new LedgerSpec(Optional.empty(), Map.of(), Optional.empty());
    }

    public Duration period(String slo) {
        return periods.getOrDefault(slo, DEFAULT_PERIOD);
    }

    public LedgerSpec withFile(Located<Path> newFile) {
        return new LedgerSpec(Optional.of(newFile), periods, policy);
    }
}
