package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.api.User;
import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.HaltGuard;
import io.stampede.engine.DeclaredLoad;
import io.stampede.engine.DeclaredTls;
import io.stampede.engine.LoadModel;
import io.stampede.engine.Runner;
import io.stampede.engine.Scenario;
import io.stampede.engine.ScenarioCompiler;
import io.stampede.engine.UserType;
import io.stampede.engine.UserTypes;
import io.stampede.engine.Worker;
import io.stampede.input.Durations;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import io.stampede.plan.ScenarioLoad;
import io.stampede.plan.ScenarioTls;
import io.stampede.report.ProgressLine;
import io.stampede.target.TargetSpec;
import io.stampede.web.RunControl;
import io.stampede.web.WebUi;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Runs a validated plan with the console and results-folder listeners; shared by {@code run} and {@code demo}. */
final class LoadTest {

    private LoadTest() {
    }

    static List<UserType> userTypes(Plan plan) {
        return switch (plan.scenario()) {
            case Scenario.JavaFile java -> ScenarioCompiler.compile(java.file()).stream()
                    .map(type -> UserTypes.fromClass(type, java.file().toString()))
                    .toList();
            case Scenario.Declared declared -> declared.users().stream().map(UserTypes::fromSpec).toList();
        };
    }

    /**
     * Compiles the draft's Java scenario, if any, and lays the load its {@code public static Load load()}
     * declares, and the TLS settings its {@code public static TlsSettings tls()} declares, under the plan
     * file's values; flags are applied after this and win over both.
     */
    static void underlayScenarioLoad(PlanDraft draft) {
        if (draft.scenarioFile() == null || !Files.isRegularFile(draft.scenarioFile().value())) {
            return; // toPlan() reports a missing file with its origin
        }
        Path file = draft.scenarioFile().value();
        PlanFile.checkSize(file, draft.scenarioFile().where(), PlanDraft.MAX_SCENARIO_BYTES, "scenario file"); // before compiling it
        List<Class<? extends User>> users = ScenarioCompiler.compile(file);
        DeclaredLoad.find(users, file)
                .ifPresent(declared -> ScenarioLoad.underlay(draft, declared.load(), file.toString(), declared.declaredBy()));
        DeclaredTls.find(users, file).ifPresent(declared -> ScenarioTls.underlay(draft, declared.tls(), file, declared.declaredBy()));
    }

    /** Prints what the run would do and injects nothing. */
    static int dryRun(Plan plan, PrintStream out) {
        out.println("Dry run of " + plan.name() + " against " + plan.host() + ": nothing is started or injected.");
        out.println("Targets:");
        if (plan.targets().isEmpty()) {
            out.println("  none");
        }
        for (TargetSpec target : plan.targets()) {
            out.println("  " + target.name() + ": " + describe(target));
        }
        out.println("Fault schedule" + plan.runTime().map(t -> " (run time " + Durations.format(t) + ")").orElse(" (no run time: first 10 firings)") + ":");
        if (plan.chaos().isEmpty()) {
            out.println("  none");
        }
        Duration horizon = plan.runTime().orElse(Duration.ofDays(365));
        for (ChaosSpec entry : plan.chaos()) {
            out.println("  " + entry.describe());
            List<String> names = ChaosEngine.matching(entry.target(), plan.targets().stream().map(TargetSpec::name).toList());
            String on = entry.target().startsWith(ChaosEngine.REGEX_PREFIX)
                    ? (entry.all() ? "all of " : "one at random of ") + names : names.get(0);
            for (Duration t : entry.firings(horizon, 10)) {
                out.println("    at " + Durations.format(t) + ": " + entry.fault().describe() + " on " + on
                        + entry.duration().map(d -> ", rolled back at " + Durations.format(t.plus(d))).orElse(""));
            }
        }
        if (!plan.judgement().guard().isEmpty()) {
            out.println("Chaos guard (evaluated every " + Durations.format(HaltGuard.EVALUATE_EVERY) + "):");
            plan.judgement().guard().describe().forEach(line -> out.println("  " + line));
        }
        return ExitCode.PASS;
    }

    private static String describe(TargetSpec target) {
        return switch (target) {
            case TargetSpec.Managed m -> (m.builtinDemo() ? "builtin demo service" : String.join(" ", m.command()))
                    + " at " + m.url() + ", health " + m.healthPath() + ", restart " + m.restartPolicy().name().toLowerCase(Locale.ROOT)
                    + " after " + Durations.format(m.restartDelay());
            case TargetSpec.External e -> "process " + (e.pid().isPresent() ? "PID " + e.pid().getAsLong() : "from " + e.pidFile());
            case TargetSpec.Address a -> "address " + a.upstream() + " behind the fault proxy";
            case TargetSpec.Container c -> c.selection();
        };
    }

    /**
     * This process is one of a run's worker processes: its users, its statistics to the coordinator
     * on stdout. Anything else printed goes to stderr, so stdout carries only the protocol.
     */
    static int worker(Plan plan) {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        return Worker.serve(plan.run(), userTypes(plan), System.in, protocol);
    }

    /**
     * Runs the plan with the web UI (unless headless): at once with {@code autostart}, otherwise
     * when the page's Start is pressed, and again after each run until the process is stopped, as
     * Locust does. Returns the last run's exit code.
     *
     * @param replan  a plan from the start form's values, checked as the flags are; null to run
     *                {@code planned} only
     * @param workers the worker processes to run the users in, or null for this process
     * @param ledger  checks each run against the error-budget policy before it starts, records it after
     */
    static int run(Plan planned, Function<RunControl.StartForm, Plan> replan, boolean autostart, Runner.Workforce workers,
                   LedgerRuns ledger, PrintStream out) {
        boolean terminal = ProgressLine.isTerminal(System.console());
        List<UserType> types = userTypes(planned);
        WebUi web = planned.output().headless() ? null : startWebUi(planned.output().web(), out);
        WebRuns control = new WebRuns(planned, replan, !autostart, workers == null ? 1 : workers.count());
        try {
            if (web != null) {
                web.control(control, control.interactive(), planned.load() instanceof LoadModel.Open);
                web.showPlan(planned);
            }
            if (web == null || !control.interactive()) {
                return runOnce(planned, types, terminal, web, control, workers, ledger, out);
            }
            return serve(types, terminal, web, control, workers, ledger, out);
        } finally {
            if (web != null) {
                web.close();
            }
        }
    }

    /** Runs what the page starts, one run at a time, until a signal ends the process. */
    private static int serve(List<UserType> types, boolean terminal, WebUi web, WebRuns control, Runner.Workforce workers,
                             LedgerRuns ledger, PrintStream out) {
        out.println("Press Start on " + web.url() + " to begin (--autostart starts at once, --headless runs"
                + " without the UI); Ctrl-C ends Stampede.");
        Thread onSignal = new Thread(control::close, "stampede-close");
        Runtime.getRuntime().addShutdownHook(onSignal);
        int code = ExitCode.PASS;
        try {
            while (true) {
                Plan next = control.nextRun();
                if (next == null) {
                    return code;
                }
                try {
                    code = runOnce(next, types, terminal, web, control, workers, ledger, out);
                } catch (StampedeException e) {
                    // this run could not be made (a target that never became healthy, ...): say so, serve on
                    System.err.println(Main.prefixed(e.getMessage()));
                    web.runFailed(e.getMessage());
                    code = e.exitCode();
                }
                out.println();
                out.println("Ready for another run on " + web.url() + "; Ctrl-C ends Stampede.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    /** The live UI; the default port falls back to a free one when taken, a chosen port does not. */
    private static WebUi startWebUi(Plan.Web settings, PrintStream out) {
        int port = settings.portSet() ? settings.port() : WebUi.DEFAULT_PORT;
        try {
            WebUi web;
            try {
                web = WebUi.start(settings.host(), port, null, settings.token());
            } catch (UncheckedIOException taken) {
                if (settings.portSet()) {
                    throw taken;
                }
                web = WebUi.start(settings.host(), 0, null, settings.token());
            }
            out.println("Web UI: " + web.url());
            return web;
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--web-host: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StampedeException.CannotRun("--web-port: " + e.getMessage(), e);
        }
    }

    private static int runOnce(Plan planned, List<UserType> types, boolean terminal, WebUi web, WebRuns control,
                               Runner.Workforce workers, LedgerRuns ledger, PrintStream out) {
        ledger.beforeRun(planned); // a refused run starts no target and injects nothing
        try (Run run = Run.open(planned, types, terminal, web, control, workers, out)) {
            try {
                RunOutcome outcome = run.execute();
                EndOfRun.print(outcome, out, System.err);
                return run.ended(ledger.afterRun(outcome, outcome.exitCode(), out));
            } catch (StampedeException e) {
                run.ended(e.exitCode());
                throw e;
            }
        }
    }
}
