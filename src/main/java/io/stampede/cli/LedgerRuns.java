package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.input.Located;
import io.stampede.ledger.BudgetPolicyCheck;
import io.stampede.ledger.Ledger;
import io.stampede.ledger.LedgerSpec;
import io.stampede.ledger.Periods;
import io.stampede.ledger.RunEntry;
import io.stampede.ledger.SloBudget;
import io.stampede.ledger.SloSpend;
import io.stampede.plan.Plan;
import io.stampede.slo.SloResult;
import io.stampede.slo.SloSpec;
import io.stampede.slo.Verdict;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run's use of the budget ledger: the policy before it starts, its spend recorded after it ends.
 * The file is opened for each step and closed after it, so runs in other processes only ever wait
 * for a few milliseconds of writing.
 */
final class LedgerRuns {

    static final LedgerRuns NONE = new LedgerRuns(null);

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** Null: no ledger. */
    private final LedgerSpec spec;

    private LedgerRuns(LedgerSpec spec) {
        this.spec = spec;
    }

    /**
     * The plan's ledger (flag or plan file), opened now: a file that cannot be a ledger is bad input
     * before anything starts (a policy without a ledger was refused by {@code PlanDraft.toPlan()}).
     */
    static LedgerRuns of(LedgerSpec spec) {
        if (spec.file().isEmpty()) {
            return NONE;
        }
        try (Ledger ignored = Ledger.open(spec.file().get())) {
            return new LedgerRuns(spec);
        }
    }

    /** For a dry run: the ledger and the policy, without opening the file. */
    static void describe(LedgerSpec spec, List<String> slos, PrintStream out) {
        if (spec.file().isEmpty() && spec.policy().isEmpty()) {
            return;
        }
        out.println("Budget ledger: " + spec.file().map(f -> f.value().toString()).orElse("none") + " (periods: "
                + String.join(", ", slos.stream().map(slo -> slo + " " + Periods.format(spec.period(slo))).toList()) + ")");
        spec.policy().ifPresent(policy -> out.println(String.format(Locale.ROOT, "Error-budget policy: the run is refused"
                + " while an SLO has less than %.2f%% of its budget left over its period", policy.minBudgetLeftPercent())));
    }

    /** Refuses the run when an SLO has less budget left than the policy asks ({@link ExitCode#CANNOT_RUN}). */
    void beforeRun(Plan plan) {
        if (spec == null || spec.policy().isEmpty()) {
            return;
        }
        try (Ledger ledger = Ledger.open(spec.file().get())) {
            BudgetPolicyCheck.check(ledger, spec, plan.judgement().slos().stream().map(SloSpec::name).toList(),
                    Instant.now());
        }
    }

    /** The run's ledger entry: each SLO's budget and spend as the verdict says them, never recomputed. */
    private RunEntry entry(String id, String plan, Instant started, Instant ended, Verdict verdict) {
        List<SloSpend> spends = verdict.slos().stream()
                .map(s -> new SloSpend(s.name(), spec.period(s.name()), s.objectivePercent(), s.total(), s.errorBudget(),
                        s.budgetSpent()))
                .toList();
        String said = verdict.stoppedEarly() != null ? "stopped early" : verdict.passed() ? "pass" : "fail";
        return new RunEntry(id, plan, started, ended, said, spends);
    }

    /**
     * Records a judged run and says what is left; returns {@code code}, or {@link ExitCode#CANNOT_RUN}
     * when the ledger could not record it (a policy would then count without this run's spend).
     */
    int afterRun(RunOutcome outcome, int code, PrintStream out) {
        Verdict verdict = outcome.verdict();
        if (spec == null || verdict == null || verdict.slos().isEmpty()) {
            return code;
        }
        Located<Path> file = spec.file().get();
        Instant ended = Instant.now();
        Instant started = Instant.ofEpochMilli(outcome.stats().startEpochMillis());
        String id = outcome.resultsFolder().map(folder -> folder.getFileName().toString())
                .orElseGet(() -> outcome.plan().name() + "-" + ID_TIME.format(started) + "-"
                        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        try (Ledger ledger = Ledger.open(file)) {
            String recorded = ledger.record(entry(id, outcome.plan().name(), started, ended, verdict));
            out.println();
            out.println("Budget ledger " + file.value() + ": recorded run " + recorded);
            for (SloResult slo : verdict.slos()) {
                SloBudget budget = ledger.budget(slo.name(), spec.period(slo.name()), ended);
                int runs = budget.runs().size();
                out.println(String.format(Locale.ROOT, "  %s: %.2f%% of its budget left over %s (%d bad of %.1f allowed"
                                + " in %d %s)%s", slo.name(), budget.leftPercent(), Periods.format(budget.period()),
                        budget.spent(), budget.allowed(), runs, runs == 1 ? "run" : "runs",
                        spec.policy().map(p -> String.format(Locale.ROOT, "; the policy asks at least %.2f%%",
                                p.minBudgetLeftPercent())).orElse("")));
            }
            return code;
        } catch (StampedeException e) {
            System.err.println(Main.prefixed(e.getMessage()));
            return ExitCode.CANNOT_RUN;
        }
    }
}
