package io.stampede.cli;

import io.stampede.plan.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() {
        Path plan = planFile;
        if (plan == null && options.fileIsPlan()) {
            plan = options.file;
        }
        PlanDraft draft = plan == null ? new PlanDraft() : PlanFile.read(plan);
        if (options.file != null && !options.fileIsPlan()) {
            draft.declaredUsers = null;
            draft.scenarioFile = new Located<>(options.file, "-f/--file");
        }
        LoadTest.underlayScenarioLoad(draft);
        options.applyTo(draft);
        if (options.dryRun) {
            return LoadTest.dryRun(draft.toPlan(), System.out);
        }
        return LoadTest.run(draft.toPlan(), System.out, () -> { });
    }
}
