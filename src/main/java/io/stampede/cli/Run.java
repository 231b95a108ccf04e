package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.RunTargets;
import io.stampede.engine.ExitRule;
import io.stampede.engine.OpenFiles;
import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.engine.Runner;
import io.stampede.engine.UserType;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.http.ConnectTo;
import io.stampede.input.Authority;
import io.stampede.plan.Plan;
import io.stampede.report.ConsoleReport;
import io.stampede.report.EventConsole;
import io.stampede.report.ResultsFolder;
import io.stampede.report.html.ReportFiles;
import io.stampede.slo.PlanThreshold;
import io.stampede.slo.ServerSli;
import io.stampede.slo.SloTracker;
import io.stampede.slo.Thresholds;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import io.stampede.web.WebUi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of a plan, from its targets' start to its last result. It owns the run's parts (event
 * log, results folder, judges, targets, fault engine, runner, signal hook) and ends them once, in
 * one order, from every path: the normal end, a signal, a threshold's abort, an exception.
 *
 * <pre>{@code
 * try (Run run = Run.open(plan, types, terminal, web, control, workers, out)) {
 *     RunOutcome outcome = run.execute();
 *     ...print it...
 *     return run.ended(outcome.exitCode());
 * }
 * }</pre>
 *
 * <p>The order of shutdown: the page's commands no longer reach the run; faults are undone (a paused
 * process must be continued to exit); targets stop. That happens as the runner finishes, before
 * the console and the results write their final word, so those include every event. Closing then
 * removes the signal hook, or lets a hook that is waiting end the process with the run's exit code.
 */
final class Run implements AutoCloseable {

    /**
     * How long a SIGTERM/Ctrl-C waits, beyond the users' stop bound (stop timeout + 1 s), for faults
     * to be undone, targets stopped and the results written. Bounded, so the process ends even when
     * the main path is stuck.
     */
    static final Duration SHUTDOWN_RESULTS_WAIT = Duration.ofSeconds(20);
    /** Why a run stopped by the JVM's shutdown (SIGTERM, SIGINT, SIGHUP, a System.exit) is interrupted. */
    static final String SIGNAL_REASON = "signal (SIGTERM, SIGINT or SIGHUP)";

    private final PrintStream out;
    private final WebRuns control;
    private final EventLog events = new EventLog();
    /** Null when the plan writes no results. */
    private final ResultsFolder results;
    private final Thresholds thresholds;
    private final SloTracker judge;
    private final CountDownLatch closed = new CountDownLatch(1);
    private Plan plan;
    private RunTargets targets;
    private ChaosEngine chaos;
    private GuardedChaos guarded;
    private Runner runner;
    private Thread onSignal;
    private boolean partsStopped;
    private volatile int exitCode = ExitCode.VERDICT_FAILED;

    private Run(Plan planned, boolean terminal, WebUi web, WebRuns control, PrintStream out) {
        this.plan = planned;
        this.out = out;
        this.control = control;
        events.subscribe(new EventConsole(out, terminal, ZoneId.systemDefault()));
        boolean writesResults = planned.output().resultsDir().isPresent() || planned.output().csvPrefix().isPresent();
        results = writesResults ? new ResultsFolder(planned.output()) : null;
        if (results != null) {
            events.subscribe(results::event);
        }
        thresholds = new Thresholds(planned.judgement().thresholds());
        judge = new SloTracker(planned.judgement().slos(), events, planned.judgement().recoverySeconds(),
                thresholds::judge, verdict -> {
                    if (results != null) {
                        results.verdict(verdict);
                    }
                });
        if (web != null) {
            web.beginRun(planned, events, judge);
        }
    }

    /**
     * Starts the plan's targets and makes the run, ready to {@link #execute()}; what was started is
     * stopped again when a later step fails.
     *
     * @param web     the live UI, or null; it outlives the run, which only reports to it
     * @param workers the worker processes to run the users in, or null for this process
     */
    static Run open(Plan planned, List<UserType> types, boolean terminal, WebUi web, WebRuns control,
                    Runner.Workforce workers, PrintStream out) {
        Run run = new Run(planned, terminal, web, control, out);
        try {
            run.start(planned, types, terminal, web, workers);
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    private void start(Plan planned, List<UserType> types, boolean terminal, WebUi web, Runner.Workforce workers) {
        ServerSli.check(planned.judgement().slos()); // a bad query or an unusable Prometheus: before anything starts
        String proxyHost = faultProxyHost(workers);
        targets = RunTargets.start(planned.targets(), events, planned.chaos(), proxyHost);
        Map<Authority, Authority> toProxies = targets.connectTo();
        plan = planned.withHost(targets.userFacing(planned.host())).withConnectTo(new ConnectTo(toProxies));
        for (Map.Entry<Authority, Authority> entry : toProxies.entrySet()) {
            out.println("Workers connect to the fault proxy at " + entry.getValue() + " for " + entry.getKey()
                    + " (a connect-to entry; the URL keeps its name for the Host, SNI and the certificate check;"
                    + " WebSockets and event streams to it are not redirected and fail)");
        }
        boolean proxied = !plan.host().equals(planned.host()) || !toProxies.isEmpty();
        if (proxied) {
            if (!plan.host().equals(planned.host())) {
                out.println("Users reach " + planned.host() + " through the fault proxy at " + plan.host());
            }
            if (!proxyHost.equals(RunTargets.LOOPBACK)) {
                out.println("The fault proxy listens on " + proxyHost + ", where workers on other machines reach it:"
                        + " so does anyone else who can reach that address");
            }
        }
        warnOfOpenFiles(plan, proxied, workers);
        if (plan.http().tls().insecure()) { // said once, and kept in the results' events
            events.emitTarget(Event.Kind.TLS_NOT_VERIFIED, "", "WARNING: TLS certificates are not verified (insecure):"
                    + " any service can answer for the host");
        }
        chaos = new ChaosEngine(plan.chaos(), targets.handles(), events, new Random());
        chaos.check();
        guarded = new GuardedChaos(plan, chaos, judge.serverSlis(), events, why -> runner.stop(RunEnd.Cause.ABORTED, why));
        Runner.Workforce workforce = workers instanceof Runner.Cluster cluster ? cluster.withEvents(events) : workers;
        runner = new Runner(plan.run(), types, listeners(terminal, web), workforce, events.clock()); // one time axis: events and intervals
        Runner stoppable = runner;
        Duration shutdownWait = plan.stopTimeout().plusSeconds(1).plus(SHUTDOWN_RESULTS_WAIT);
        ExitRule.watchSignals(); // tells a signal from scenario code's System.exit
        onSignal = new Thread(() -> onSignal(stoppable, shutdownWait), "stampede-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        if (web != null) {
            web.exceptions(runner.taskErrors());
            web.guard(guarded::status);
        }
        if (workforce instanceof Runner.Cluster) { // the Workers tab and the per-worker totals
            Runner workersOf = runner;
            if (web != null) {
                web.workers(workersOf::workers);
            }
            if (results != null) {
                results.workers(workersOf::workers);
            }
        }
        control.started(runner, chaos, plan, events);
    }

    /**
     * Where the fault proxies listen: on the coordinator's own address when its workers may be on
     * other machines, since a proxy on loopback would be reached by none of their requests and its
     * faults would silently hit nobody; on loopback otherwise.
     */
    private static String faultProxyHost(Runner.Workforce workers) {
        return workers instanceof Runner.Cluster cluster && !RunOptions.loopback(cluster.bindHost()) ? cluster.bindHost()
                : RunTargets.LOOPBACK;
    }

    /** Too few open files for the users' sockets is said before the run, not found as failures in it. */
    private static void warnOfOpenFiles(Plan plan, boolean proxied, Runner.Workforce workers) {
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
    }

    /** The runner's listeners, in the order they hear each interval and the end. */
    private List<RunListener> listeners(boolean terminal, WebUi web) {
        List<RunListener> listeners = new ArrayList<>();
        // First: faults start with the run's clock, and the parts stop before the others hear the end.
        listeners.add(new RunListener() {
            @Override
            public void onStart(RunInfo info) {
                judge.baseline(); // before the first user and fault: what the server-side SLOs count from
                guarded.start(); // the chaos starts now, or once the steady state is reached
            }

            @Override
            public void onInterval(IntervalStats interval, RunStats stats) {
                guarded.onInterval(interval, stats);
            }

            @Override
            public void onFinish(RunStats stats) {
                stopParts();
            }
        });
        listeners.add(thresholds);
        listeners.add(judge);
        List<ThresholdSpec> aborting = plan.judgement().thresholds().stream()
                .map(PlanThreshold::spec).filter(ThresholdSpec::abortOnFail).toList();
        if (!aborting.isEmpty()) {
            listeners.add(new AbortOnFail(aborting, events, why -> runner.stop(RunEnd.Cause.ABORTED, why)));
        }
        listeners.add(new ConsoleReport(out, terminal));
        if (results != null) {
            listeners.add(results);
        }
        if (web != null) {
            listeners.add(web);
        }
        return listeners;
    }

    /**
     * Runs to the end (run time, end of stages, a stop) with every part stopped before it returns,
     * and the HTML report written beside the results.
     */
    RunOutcome execute() {
        RunStats stats;
        try {
            stats = runner.run();
        } finally {
            stopParts(); // also when the run could not start, or its ending failed
        }
        Optional<Path> folder = Optional.ofNullable(results).map(ResultsFolder::folder);
        folder.ifPresent(Run::writeReport);
        boolean judged = !plan.judgement().slos().isEmpty() || !plan.judgement().thresholds().isEmpty()
                || !plan.chaos().isEmpty();
        return new RunOutcome(plan, stats, runner.end(), runner.droppedIterations(), runner.taskErrors().snapshot(),
                judge.verdict(), judged, folder, judge.filtersMatchingNothing());
    }

    private static void writeReport(Path folder) {
        try {
            ReportFiles.writeInto(folder);
        } catch (StampedeException e) {
            System.err.println("stampede: the report could not be written: " + e.getMessage());
        }
    }

    /** Records the run's exit code, for a signal that arrives before the process ends; returns it. */
    int ended(int code) {
        exitCode = code;
        return code;
    }

    /** The page's commands no longer reach the run; faults are undone before the targets stop. Once. */
    private synchronized void stopParts() {
        if (partsStopped) {
            return;
        }
        partsStopped = true;
        control.finished();
        if (guarded != null) {
            guarded.close();
        }
        if (chaos != null) {
            chaos.close();
        }
        judge.settle(); // the users and faults are done, the service is still up for Prometheus's last scrape
        if (targets != null) {
            targets.close();
        }
    }

    /** Stops every part not stopped yet, then releases a signal hook waiting for the run's end. */
    @Override
    public void close() {
        stopParts();
        closed.countDown();
        if (onSignal != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived: the hook is running and will return now that the run is closed
            }
        }
    }

    /** The JVM is shutting down (a signal): stop the run, let it write its results, end with its code. */
    private void onSignal(Runner stoppable, Duration shutdownWait) {
        if (ExitRule.signalled() == null) {
            System.err.println("stampede: " + ExitRule.SCENARIO_EXIT_REASON + "; the run is aborted");
            stoppable.stop(RunEnd.Cause.ABORTED, ExitRule.SCENARIO_EXIT_REASON);
        } else {
            stoppable.stop(RunEnd.Cause.INTERRUPTED, SIGNAL_REASON);
        }
        try {
            if (closed.await(shutdownWait.toMillis(), TimeUnit.MILLISECONDS)) {
                // The run is over, faults undone and results written: end with its exit code. An
                // exit() from a hook would wait for this hook; and the JVM's own code (143, or a
                // System.exit's) would let a run stopped early read as whatever that says.
                out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(exitCode);
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
    }
}
