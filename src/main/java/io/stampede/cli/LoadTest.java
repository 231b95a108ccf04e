package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.engine.DeclaredLoad;
import io.stampede.engine.OpenFiles;
import io.stampede.engine.RunListener;
import io.stampede.engine.Runner;
import io.stampede.engine.ScenarioCompiler;
import io.stampede.engine.UserType;
import io.stampede.engine.UserTypes;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import io.stampede.plan.ScenarioLoad;
import io.stampede.plan.Scenario;
import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.RunTargets;
import io.stampede.events.EventLog;
import io.stampede.plan.ChaosSpec;
import io.stampede.plan.Durations;
import io.stampede.plan.TargetSpec;
import io.stampede.report.ConsoleReport;
import io.stampede.report.EventConsole;
import io.stampede.report.VerdictTable;
import io.stampede.report.html.ReportFiles;
import io.stampede.slo.SloTracker;
import io.stampede.slo.Thresholds;
import io.stampede.slo.Verdict;
import io.stampede.web.WebUi;
import io.stampede.StampedeException;
import io.stampede.report.ResultsFolder;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import io.stampede.web.RunControl;

/** Runs a validated plan with the console and results-folder listeners; shared by {@code run} and {@code demo}. */
final class LoadTest {

    /**
     * How long a SIGTERM/Ctrl-C waits, beyond the users' stop bound (stop timeout + 1 s), for faults
     * to be undone, targets stopped and the results written. Bounded, so the process ends even when
     * the main path is stuck.
     */
    private static final Duration SHUTDOWN_RESULTS_WAIT = Duration.ofSeconds(20);
    /** Why a run stopped by the JVM's shutdown (SIGTERM, SIGINT, SIGHUP, a System.exit) is interrupted. */
    static final String SIGNAL_REASON = "signal (SIGTERM, SIGINT or SIGHUP)";

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
     * declares under the plan file's values; flags are applied after this and win over both.
     */
    static void underlayScenarioLoad(PlanDraft draft) {
        if (draft.scenarioFile == null || !java.nio.file.Files.isRegularFile(draft.scenarioFile.value())) {
            return; // toPlan() reports a missing file with its origin
        }
        java.nio.file.Path file = draft.scenarioFile.value();
        PlanFile.checkSize(file, draft.scenarioFile.where(), PlanDraft.MAX_SCENARIO_BYTES, "scenario file"); // before compiling it
        DeclaredLoad.find(ScenarioCompiler.compile(file), file)
                .ifPresent(declared -> ScenarioLoad.underlay(draft, declared.load(), file.toString(), declared.declaredBy()));
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
        return ExitCode.PASS;
    }

    private static String describe(TargetSpec target) {
        return switch (target) {
            case TargetSpec.Managed m -> (m.builtinDemo() ? "builtin demo service" : String.join(" ", m.command()))
                    + " at " + m.url() + ", health " + m.healthPath() + ", restart " + m.restartPolicy().name().toLowerCase(java.util.Locale.ROOT)
                    + " after " + Durations.format(m.restartDelay());
            case TargetSpec.External e -> "process " + (e.pid().isPresent() ? "PID " + e.pid().getAsLong() : "from " + e.pidFile());
            case TargetSpec.Address a -> "address " + a.upstream() + " behind the fault proxy";
            case TargetSpec.Container c -> c.selection();
        };
    }

    /** Runs the plan at once, to its end or to a signal; returns the exit code. */
    static int run(Plan planned, PrintStream out, Runnable afterRun) {
        return run(planned, null, true, null, out, afterRun);
    }

    /**
     * This process is one of a run's worker processes: its users, its statistics to the coordinator
     * on stdout. Anything else printed goes to stderr, so stdout carries only the protocol.
     */
    static int worker(Plan plan) {
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        return io.stampede.engine.Worker.serve(plan, userTypes(plan), System.in, protocol);
    }

    /**
     * Runs the plan with the web UI (unless headless): at once with {@code autostart}, otherwise
     * when the page's Start is pressed, and again after each run until the process is stopped, as
     * Locust does. Returns the last run's exit code.
     *
     * @param replan  a plan from the start form's values, checked as the flags are; null to run
     *                {@code planned} only
     * @param workers the worker processes to run the users in, or null for this process
     */
    static int run(Plan planned, Function<RunControl.StartForm, Plan> replan, boolean autostart, Runner.Workers workers,
                   PrintStream out, Runnable afterRun) {
        boolean terminal = io.stampede.report.ProgressLine.isTerminal(System.console());
        List<UserType> types = userTypes(planned);
        WebUi web = planned.output().headless() ? null : startWebUi(planned.output().web(), out);
        WebRuns control = new WebRuns(planned, replan, !autostart, workers == null ? 1 : workers.count());
        try {
            if (web != null) {
                web.control(control, control.interactive(), planned.load() instanceof io.stampede.plan.LoadModel.Open);
                web.showPlan(planned);
            }
            if (web == null || !control.interactive()) {
                return runOnce(planned, types, terminal, web, control, workers, out, afterRun);
            }
            return serve(types, terminal, web, control, workers, out, afterRun);
        } finally {
            if (web != null) {
                web.close();
            }
        }
    }

    /** Runs what the page starts, one run at a time, until a signal ends the process. */
    private static int serve(List<UserType> types, boolean terminal, WebUi web, WebRuns control, Runner.Workers workers,
                             PrintStream out, Runnable afterRun) {
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
                    code = runOnce(next, types, terminal, web, control, workers, out, () -> { });
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
            afterRun.run();
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
            } catch (java.io.UncheckedIOException taken) {
                if (settings.portSet()) {
                    throw taken;
                }
                web = WebUi.start(settings.host(), 0, null, settings.token());
            }
            out.println("Web UI: " + web.url());
            return web;
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--web-host: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw new StampedeException.CannotRun("--web-port: " + e.getMessage(), e);
        }
    }

    private static int runOnce(Plan planned, List<UserType> types, boolean terminal, WebUi web, WebRuns control,
                               Runner.Workers workers, PrintStream out, Runnable afterRun) {
        Plan plan = planned;
        EventLog events = new EventLog();
        events.subscribe(new EventConsole(out, terminal, ZoneId.systemDefault()));
        ResultsFolder results = null;
        if (plan.output().resultsDir().isPresent() || plan.output().csvPrefix().isPresent()) {
            results = new ResultsFolder(plan.output());
            events.subscribe(results::event);
        }
        ResultsFolder resultsForVerdict = results;
        Thresholds thresholds = new Thresholds(plan.judgement().thresholds());
        SloTracker judge = new SloTracker(plan.judgement().slos(), events, plan.judgement().recoverySeconds(),
                thresholds::judge, verdict -> {
                    if (resultsForVerdict != null) {
                        resultsForVerdict.verdict(verdict);
                    }
                });
        if (web != null) {
            web.beginRun(plan, events, judge);
        }
        RunTargets targets = RunTargets.start(plan.targets(), events, plan.chaos());
        plan = plan.withHost(targets.userFacing(plan.host()));
        if (!plan.host().equals(planned.host())) {
            out.println("Users reach " + planned.host() + " through the fault proxy at " + plan.host());
        }
        try {
            boolean proxied = !plan.host().equals(planned.host());
            String warning;
            if (workers == null) {
                warning = OpenFiles.check(plan.load(), proxied ? 3 : 1, OpenFiles.current());
            } else {
                // each worker holds its share of the users' sockets (the first share is the largest);
                // the fault proxy, here in the coordinator, two per user
                warning = OpenFiles.check(plan.load().share(0, workers.count()), 1, OpenFiles.current());
                if (proxied) {
                    warning += OpenFiles.check(plan.load(), 2, OpenFiles.current());
                }
            }
            if (!warning.isEmpty()) {
                System.err.println(Main.prefixed(warning));
            }
        } catch (RuntimeException e) {
            targets.close();
            throw e;
        }
        ChaosEngine chaos = new ChaosEngine(plan.chaos(), targets.handles(), events, new java.util.Random());
        try {
            chaos.check();
        } catch (RuntimeException e) {
            chaos.close();
            targets.close();
            throw e;
        }
        List<RunListener> listeners = new ArrayList<>();
        // First listener: faults start with the run's clock and are all undone, and targets stopped,
        // before the console and the results write their final word, so those include every event.
        listeners.add(new RunListener() {
            @Override
            public void onStart(io.stampede.engine.RunInfo run) {
                chaos.start();
            }

            @Override
            public void onFinish(io.stampede.stats.RunStats stats) {
                chaos.close();
                targets.close();
            }
        });
        listeners.add(thresholds);
        listeners.add(judge);
        List<io.stampede.slo.threshold.ThresholdSpec> aborting = plan.judgement().thresholds().stream()
                .map(io.stampede.plan.PlanThreshold::spec)
                .filter(io.stampede.slo.threshold.ThresholdSpec::abortOnFail).toList();
        Runner[] toStop = new Runner[1];
        if (!aborting.isEmpty()) {
            listeners.add(new RunListener() {
                private boolean crossed;

                @Override
                public void onInterval(io.stampede.stats.IntervalStats interval, io.stampede.stats.RunStats stats) {
                    for (io.stampede.slo.threshold.ThresholdSpec t : aborting) {
                        if (!crossed && t.shouldAbort(stats)) {
                            crossed = true;
                            events.emit(io.stampede.events.Event.target(io.stampede.events.Event.Kind.THRESHOLD_CROSSED, "",
                                    t.threshold().key().text() + " " + t.threshold().expression() + " (abortOnFail)"));
                            toStop[0].stop(io.stampede.engine.RunEnd.Cause.ABORTED, "abortOnFail: "
                                    + t.threshold().key().text() + " " + t.threshold().expression());
                        }
                    }
                }
            });
        }
        listeners.add(new ConsoleReport(out, terminal));
        if (results != null) {
            listeners.add(results);
        }
        if (web != null) {
            listeners.add(web);
        }
        Runner runner;
        try {
            runner = new Runner(plan, types, listeners, workers);
            toStop[0] = runner;
        } catch (RuntimeException e) {
            chaos.close();
            targets.close();
            throw e;
        }
        CountDownLatch finished = new CountDownLatch(1);
        int[] exitCode = {ExitCode.VERDICT_FAILED};
        Duration shutdownWait = plan.stopTimeout().plusSeconds(1).plus(SHUTDOWN_RESULTS_WAIT);
        io.stampede.engine.ExitRule.watchSignals(); // tells a signal from scenario code's System.exit
        Thread onSignal = new Thread(() -> {
            if (io.stampede.engine.ExitRule.signalled() == null) {
                System.err.println("stampede: " + io.stampede.engine.ExitRule.SCENARIO_EXIT_REASON + "; the run is aborted");
                runner.stop(io.stampede.engine.RunEnd.Cause.ABORTED, io.stampede.engine.ExitRule.SCENARIO_EXIT_REASON);
            } else {
                runner.stop(io.stampede.engine.RunEnd.Cause.INTERRUPTED, SIGNAL_REASON);
            }
            try {
                if (finished.await(shutdownWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    // The run is over, faults undone and results written: end with its exit code. An
                    // exit() from a hook would wait for this hook; and the JVM's own code (143, or a
                    // System.exit's) would let a run stopped early read as whatever that says.
                    out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(exitCode[0]);
                }
                // Stuck (scenario code that blocks the main thread, or that called System.exit through
                // reflection from it): end anyway, and not with a code that could read as a pass.
                System.err.println("stampede: the run did not finish within " + shutdownWait.toSeconds()
                        + " s of the signal; exiting without its final results (stampede report marks it killed)");
                System.err.flush();
                Runtime.getRuntime().halt(ExitCode.VERDICT_FAILED);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "stampede-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        if (web != null) {
            web.exceptions(runner.taskErrors());
        }
        control.started(runner, chaos, plan, events);
        int code = ExitCode.VERDICT_FAILED;
        io.stampede.stats.RunStats finalStats;
        try {
            try {
                finalStats = runner.run();
            } finally {
                control.finished();
                // Faults are undone before targets stop: a paused process must be continued to exit.
                chaos.close();
                targets.close();
            }
            io.stampede.engine.RunEnd end = runner.end();
            if (end != null && end.cause() != io.stampede.engine.RunEnd.Cause.COMPLETED) {
                out.println();
                String said = end.describe();
                out.println(Character.toUpperCase(said.charAt(0)) + said.substring(1)
                        + (end.cutShort() ? " - it did not reach its planned end, so it does not pass."
                        : " - an open-ended run ends so; judged on what ran."));
            }
            if (end != null && !end.abandoned().isEmpty()) {
                int users = end.abandoned().stream().mapToInt(io.stampede.engine.RunEnd.Abandoned::users).sum();
                System.err.println("stampede: warning: " + users + (users == 1 ? " user" : " users") + " did not end within"
                        + " the stop timeout (" + Durations.format(plan.stopTimeout()) + ") and "
                        + Durations.format(Runner.ABANDON_AFTER) + " after being interrupted; abandoned, still running: "
                        + String.join(", ", end.abandoned().stream()
                        .map(a -> a.users() + " " + a.userClass() + " in " + a.task()).toList()));
            }
            if (runner.droppedIterations() > 0) {
                out.println();
                out.println("Dropped iterations: " + runner.droppedIterations() + " (every user busy and the"
                        + " concurrency cap reached; raise --max-concurrency or lower the arrival rate)");
            }
            Map<String, Long> taskErrors = runner.taskErrors().snapshot();
            if (!taskErrors.isEmpty()) {
                out.println();
                out.println("Exceptions in scenario code (task: exception, occurrences)");
                taskErrors.forEach((key, n) -> out.printf("  %s  x%d%n", key, n));
            }
            Verdict verdict = judge.verdict();
            boolean judged = !plan.judgement().slos().isEmpty() || !plan.judgement().thresholds().isEmpty()
                    || !plan.chaos().isEmpty();
            if (verdict != null && judged) {
                out.println();
                out.print(VerdictTable.render(verdict));
            }
            if (results != null && results.folder() != null) {
                try {
                    ReportFiles.writeInto(results.folder());
                } catch (StampedeException e) {
                    System.err.println("stampede: the report could not be written: " + e.getMessage());
                }
                out.println();
                out.println("Results: " + results.folder() + " (report.html, junit.xml)");
            }
            List<String> mistakes = judge.filtersMatchingNothing();
            if (!mistakes.isEmpty()) {
                throw new StampedeException.BadInput(String.join("\n", mistakes));
            }
            if (!judged && (finalStats.total().failures() > 0 || !taskErrors.isEmpty())
                    && (end == null || !end.cutShort())) {
                code = plan.judgement().exitCodeOnError(); // Locust's --exit-code-on-error
                return code;
            }
            code = verdict == null ? (end != null && end.cutShort() ? ExitCode.VERDICT_FAILED : ExitCode.PASS)
                    : verdict.exitCode();
            return code;
        } catch (StampedeException e) {
            code = e.exitCode();
            throw e;
        } finally {
            afterRun.run();
            exitCode[0] = code;
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived: the hook is running and will return now that we are finished
            }
        }
    }
}
