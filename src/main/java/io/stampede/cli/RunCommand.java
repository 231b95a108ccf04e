package io.stampede.cli;

import io.stampede.input.Located;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import io.stampede.slo.SloSpec;
import io.stampede.web.RunControl;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code stampede run}: a load test from a plan file, from a Java scenario, or both.
 *
 * <pre>
 * stampede run examples/lab13.yaml
 * stampede run -f examples/WebsiteUser.java -H http://127.0.0.1:5001 -u 100 -r 10 -t 5m --headless
 * </pre>
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a load test from a plan file and/or a Java scenario; flags override the plan.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "A YAML plan file.")
    Path planFile;

    @Mixin
    RunOptions options = new RunOptions();

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path plan = planFile;
        if (plan == null && options.fileIsPlan()) {
            plan = options.file;
        }
        Path planPath = plan;
        PlanDraft draft = draft(planPath);
        if (options.dryRun) {
            Plan checked = draft.toPlan();
            int code = LoadTest.dryRun(checked, System.out);
            LedgerRuns.describe(draft.ledger(), checked.judgement().slos().stream().map(SloSpec::name).toList(),
                    System.out);
            return code;
        }
        if (options.workerShare() != null) {
            return LoadTest.worker(draft.toPlan());
        }
        Plan checked = draft.toPlan();
        return LoadTest.run(checked, form -> startPlan(draft(planPath), form), options.autostart,
                options.workers(spec.commandLine().getParseResult().originalArgs(), checked), LedgerRuns.of(draft.ledger()), System.out);
    }

    /** The plan file (if any) with the flags laid over it. */
    private PlanDraft draft(Path plan) {
        PlanDraft draft = plan == null ? new PlanDraft() : PlanFile.draft(plan);
        if (options.file != null && !options.fileIsPlan()) {
            draft.declaredUsers(null);
            draft.scenarioFile(new Located<>(options.file, "-f/--file"));
        }
        LoadTest.underlayScenarioLoad(draft);
        options.applyTo(draft);
        return draft;
    }

    /** The web UI's start form laid over the plan and flags, checked in the same place as they are. */
    static Plan startPlan(PlanDraft draft, RunControl.StartForm form) {
        String where = "start form: ";
        if (form.users() != null) draft.users(new Located<>(String.valueOf(form.users()), where + "users"));
        if (form.spawnRate() != null) draft.spawnRate(new Located<>(String.valueOf(form.spawnRate()), where + "spawnRate"));
        if (form.users() != null || form.spawnRate() != null) draft.stages(List.of()); // the form's users replace the stages
        if (form.host() != null) draft.host(new Located<>(form.host(), where + "host"));
        if (form.runTime() != null) draft.runTime(new Located<>(form.runTime(), where + "runTime"));
        return draft.toPlan();
    }
}
