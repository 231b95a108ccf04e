package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.ChaosSpec;
import io.stampede.engine.LoadModel;
import io.stampede.engine.OpenFiles;
import io.stampede.engine.RunEnd;
import io.stampede.engine.Runner;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Durations;
import io.stampede.plan.Plan;
import io.stampede.web.RunControl;
import io.stampede.web.RunControl.ControlException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The web UI's commands on this process's runs: Locust's start form, then edit, stop and reset of
 * the running test, and "inject now" for the plan's chaos entries. Runs are started one at a time
 * by the main thread, which waits in {@link #nextRun()}.
 */
final class WebRuns implements RunControl {

    /** Why a run stopped from the page or the API is interrupted. */
    static final String STOP_REASON = "Stop on the web UI (POST /api/stop)";

    /** Who resets: the page's button and the API are the same request. */
    static final String RESET_DETAIL = "totals reset from the web UI (POST /api/reset); charts and SLOs keep the whole run";

    private final Plan planned;
    private final Function<StartForm, Plan> replan;
    private final boolean interactive;
    /** Processes the users are spread over (1: this one): each holds its share of the sockets. */
    private final int processes;
    private final SynchronousQueue<Optional<Plan>> starts = new SynchronousQueue<>();
    private final Object lock = new Object();
    private Running running;
    private boolean closed;
    /** A Start was accepted and is being handed to the main thread, or its run is being set up. */
    private boolean starting;
    /** The main thread took a start's plan: when it asks again, that start's run began or failed. */
    private boolean taken;

    /**
     * How long a Start waits for the main thread to finish the last run's tail (its verdict, report
     * and results, written after the page already reads "finished"): seconds on a loaded machine.
     */
    static final long FINISHING_WAIT_SECONDS = 60;

    /** The run going now, what the commands act on. */
    record Running(Runner runner, ChaosEngine chaos, List<ChaosSpec> schedule,
                   EventLog events) {
    }

    /**
     * @param replan      a plan from the start form, checked as the flags are; null when the
     *                    process runs only {@code planned}, once
     * @param interactive whether runs are started from the page
     */
    WebRuns(Plan planned, Function<StartForm, Plan> replan, boolean interactive) {
        this(planned, replan, interactive, 1);
    }

    WebRuns(Plan planned, Function<StartForm, Plan> replan, boolean interactive, int processes) {
        this.planned = planned;
        this.replan = replan;
        this.interactive = interactive && replan != null;
        this.processes = processes;
    }

    boolean interactive() {
        return interactive;
    }

    /** Waits for the page's Start; null once {@link #close()} was called. */
    Plan nextRun() throws InterruptedException {
        synchronized (lock) {
            if (taken) {
                starting = false; // the last start's run ended, or failed before it began
                taken = false;
            }
        }
        while (!closedNow()) {
            Optional<Plan> next = starts.poll(200, TimeUnit.MILLISECONDS);
            if (next != null) {
                synchronized (lock) {
                    taken = true;
                }
                return next.orElse(null);
            }
        }
        return null;
    }

    private boolean closedNow() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Ends {@link #nextRun()}: the process is stopping. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        starts.offer(Optional.empty()); // a waiting nextRun() returns at once
    }

    void started(Runner runner, ChaosEngine chaos, Plan plan, EventLog events) {
        synchronized (lock) {
            running = new Running(runner, chaos, plan.chaos(), events);
            starting = false;
        }
    }

    void finished() {
        synchronized (lock) {
            running = null;
        }
    }

    @Override
    public StartForm defaults() {
        Integer users = null;
        Double rate = null;
        if (planned.load() instanceof LoadModel.Closed closed) {
            users = closed.stages().isEmpty() ? closed.users() : null;
            rate = closed.stages().isEmpty() ? closed.spawnRate() : null;
        }
        return new StartForm(users, rate, planned.host(), planned.runTime().map(Durations::format).orElse(null));
    }

    @Override
    public void start(StartForm form) {
        if (!interactive) {
            throw ControlException.conflict("this process runs one test and ends with it (--autostart or demo);"
                    + " start Stampede without --autostart to start runs from the page");
        }
        synchronized (lock) {
            // a run whose end is known is only writing its results: the start waits for that below
            if (running != null && running.runner().end() == null) {
                throw ControlException.conflict("a run is going: stop it first");
            }
            if (starting) {
                throw ControlException.conflict("a run is starting: wait for it");
            }
            if (closed) {
                throw ControlException.conflict("Stampede is stopping");
            }
            starting = true;
        }
        boolean handed = false;
        try {
            Plan plan;
            try {
                plan = replan.apply(form);
                preflight(plan, processes);
            } catch (StampedeException.BadInput e) {
                throw ControlException.badInput(e.getMessage());
            } catch (StampedeException.CannotRun e) {
                throw ControlException.cannotRun(e.getMessage());
            }
            // The page offers Start as soon as it reads "finished"; the main thread takes the plan once
            // it has written the last run's results.
            handed = starts.offer(Optional.of(plan), FINISHING_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!handed) {
                throw ControlException.conflict("the last run is still finishing (writing its results): try again in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ControlException.conflict("Stampede is stopping");
        } finally {
            if (!handed) {
                synchronized (lock) {
                    starting = false;
                }
            }
        }
    }

    /**
     * What the command line refuses before a run, refused before the page's run is accepted: too
     * many users for the open-files limit, a host that does not answer (unless a target of the plan,
     * started by the run, is to serve it). The run itself checks again, with the fault proxy counted.
     */
    private static void preflight(Plan plan, int processes) {
        OpenFiles.check(plan.load().share(0, processes), 1, OpenFiles.current());
        if (plan.targets().isEmpty()) {
            Runner.checkReachable(URI.create(plan.host()), plan.http().connectTimeout());
        }
    }

    @Override
    public void changeUsers(int users, Double spawnRate) {
        Runner runner = require("change the users").runner();
        try {
            OpenFiles.check(new LoadModel.Closed(Math.max(users, 1), 1, List.of()).share(0, processes), 1,
                    OpenFiles.current());
        } catch (StampedeException.CannotRun tooMany) {
            throw ControlException.cannotRun(tooMany.getMessage());
        }
        try {
            runner.changeUsers(users, spawnRate != null ? spawnRate : runner.spawnRate());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ControlException.badInput("users: " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        require("stop").runner().stop(RunEnd.Cause.INTERRUPTED, STOP_REASON);
    }

    @Override
    public void resetStats() {
        Running now = require("reset the statistics");
        now.runner().resetStats();
        // On the timeline, so the results say what their totals cover and who reset them.
        now.events().emitTarget(Event.Kind.STATS_RESET, "", RESET_DETAIL);
    }

    @Override
    public void inject(int index) {
        Running now = require("inject a fault");
        if (index >= now.schedule().size()) {
            throw new ControlException(404, "no chaos entry " + index + ": the plan declares "
                    + (now.schedule().isEmpty() ? "none" : now.schedule().size() + " (0 to " + (now.schedule().size() - 1) + ")"));
        }
        // inject() may wait on a process or a proxy: the request returns at once, the events tell the rest
        Thread.ofVirtual().name("stampede-inject-now").start(() -> now.chaos().fire(now.schedule().get(index)));
    }

    private Running require(String what) {
        synchronized (lock) {
            if (running == null) {
                throw ControlException.conflict("no run is going: nothing to " + what);
            }
            return running;
        }
    }
}
