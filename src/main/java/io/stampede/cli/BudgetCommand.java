package io.stampede.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.input.Located;
import io.stampede.ledger.Ledger;
import io.stampede.ledger.Periods;
import io.stampede.ledger.SloBudget;
import io.stampede.report.VerdictTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede budget --ledger FILE}: each SLO's error budget over its period, and the runs that spent it.
 *
 * <pre>
 * stampede budget --ledger budget.db
 * stampede budget --ledger budget.db --json
 * </pre>
 */
@Command(name = "budget", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show each SLO's error budget over its period, from a ledger that runs wrote with --ledger.")
public final class BudgetCommand implements Callable<Integer> {

    @Option(names = "--ledger", paramLabel = "FILE", required = true, description = "The ledger file (SQLite) runs recorded into.")
    Path ledger;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Located<Path> file = new Located<>(ledger, "--ledger");
        if (!Files.exists(ledger)) {
            throw new StampedeException.BadInput("--ledger: " + ledger + ": no such ledger (a run with --ledger FILE creates it)");
        }
        Instant now = Instant.now();
        List<SloBudget> budgets = new ArrayList<>();
        int runs;
        try (Ledger opened = Ledger.open(file)) {
            runs = opened.runCount();
            opened.slos().forEach((slo, period) -> budgets.add(opened.budget(slo, period, now)));
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(BudgetJson.of(ledger, runs, now, budgets)));
        } else {
            System.out.print(render(ledger, runs, budgets));
        }
        return ExitCode.PASS;
    }

    /** One block per SLO: its budget over its period, then the runs in it, newest first. */
    static String render(Path ledger, int runs, List<SloBudget> budgets) {
        StringBuilder out = new StringBuilder();
        out.append("Budget ledger ").append(ledger).append(": ").append(runs).append(runs == 1 ? " run" : " runs").append('\n');
        if (budgets.isEmpty()) {
            out.append("  no SLO recorded yet\n");
        }
        for (SloBudget budget : budgets) {
            out.append('\n');
            out.append(String.format(Locale.ROOT, "%s (objective %.2f%%, period %s): %.2f%% left, %d bad of %.1f allowed in %d %s%n",
                    budget.slo(), budget.objectivePercent(), Periods.format(budget.period()), budget.leftPercent(),
                    budget.spent(), budget.allowed(), budget.runs().size(), budget.runs().size() == 1 ? "run" : "runs"));
            if (budget.runs().isEmpty()) {
                out.append("  no run in the period\n");
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"run", "ended (UTC)", "plan", "verdict", "requests", "allowed bad", "bad", "of period budget"});
            for (SloBudget.Spent run : budget.runs()) {
                rows.add(new String[] {run.run(), BudgetJson.TIME.format(run.ended()), run.plan(), run.verdict(),
                        Long.toString(run.total()), String.format(Locale.ROOT, "%.1f", run.allowed()), Long.toString(run.spent()),
                        budget.allowed() == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * run.spent() / budget.allowed())});
            }
            out.append(VerdictTable.table(rows));
        }
        return out.toString();
    }

    /** The same as JSON: one record per level, times as ISO-8601 UTC text, periods as written in plans. */
    record BudgetJson(String ledger, String at, int runs, List<SloJson> slos) {
        static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

        static BudgetJson of(Path ledger, int runs, Instant now, List<SloBudget> budgets) {
            return new BudgetJson(ledger.toString(), now.toString(), runs, budgets.stream().map(b -> new SloJson(b.slo(),
                    Periods.format(b.period()), b.objectivePercent(), b.allowed(), b.spent(), b.leftPercent(),
                    b.runs().stream().map(r -> new RunJson(r.run(), r.ended().toString(), r.plan(), r.verdict(), r.total(),
                            r.allowed(), r.spent())).toList())).toList());
        }
    }

    record SloJson(String slo, String period, double objectivePercent, double allowedBad, long bad, double budgetLeftPercent,
                   List<RunJson> runs) {
    }

    record RunJson(String id, String ended, String plan, String verdict, long requests, double allowedBad, long bad) {
    }
}
