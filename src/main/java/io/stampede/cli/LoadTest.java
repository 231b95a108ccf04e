package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.engine.RunListener;
import io.stampede.engine.Runner;
import io.stampede.engine.ScenarioCompiler;
import io.stampede.engine.UserType;
import io.stampede.engine.UserTypes;
import io.stampede.plan.Plan;
import io.stampede.plan.Scenario;
import io.stampede.report.ConsoleReport;
import io.stampede.report.ResultsFolder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a validated plan with the console and results-folder listeners; shared by {@code run} and {@code demo}. */
final class LoadTest {

    /** How long a SIGTERM/Ctrl-C waits for the run to write its final results. */
    private static final long SHUTDOWN_WAIT_SECONDS = 30;

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

    /** Runs the plan to its end or to a signal; returns the exit code. */
    static int run(Plan plan, PrintStream out, Runnable afterRun) {
        List<UserType> types = userTypes(plan);
        List<RunListener> listeners = new ArrayList<>();
        ConsoleReport console = new ConsoleReport(out, io.stampede.report.ProgressLine.isTerminal(System.console()));
        listeners.add(console);
        ResultsFolder results = null;
        if (plan.output().resultsDir().isPresent() || plan.output().csvPrefix().isPresent()) {
            results = new ResultsFolder(plan.output());
            listeners.add(results);
        }
        Runner runner = new Runner(plan, types, listeners);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            runner.stop();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "stampede-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            runner.run();
            Map<String, Long> taskErrors = runner.taskErrors().snapshot();
            if (!taskErrors.isEmpty()) {
                out.println();
                out.println("Exceptions in scenario code (task: exception, occurrences)");
                taskErrors.forEach((key, n) -> out.printf("  %s  x%d%n", key, n));
            }
            if (results != null && results.folder() != null) {
                out.println();
                out.println("Results: " + results.folder());
            }
            return ExitCode.PASS;
        } finally {
            afterRun.run();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived: the hook is running and will return now that we are finished
            }
        }
    }
}
