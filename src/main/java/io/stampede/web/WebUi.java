package io.stampede.web;

import io.stampede.chaos.HaltGuard;
import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.engine.TaskErrors;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.jetty.JettyServer;
import io.stampede.plan.Plan;
import io.stampede.slo.SloTracker;
import io.stampede.slo.Verdict;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

/**
 * The live web UI of a run, Locust's dashboard: a page with the run's figures, live charts with the
 * faults drawn on them, the request and failure tables and the events, plus a JSON API, a
 * Server-Sent Events stream and Prometheus metrics. The page changes the run only
 * through {@link #control}: each command it gives is recorded on the run's timeline as an event.
 *
 * <pre>{@code
 * try (WebUi ui = WebUi.start("127.0.0.1", 8089, events)) {
 *     listeners.add(ui);
 *     out.println("Web UI: " + ui.url());
 *     runner.run();
 * }
 * }</pre>
 *
 * <p>Routes: {@code GET /} the page; {@code /api/stats} the snapshot (JSON); {@code /api/events} the
 * timeline (JSON array); {@code /api/stream} SSE with the whole snapshot as a {@code stats} message
 * on connect, then a {@code delta} message each second ({@link SnapshotDelta}), and an
 * {@code event} message per event as it happens (every earlier event is replayed on connect);
 * {@code /metrics} Prometheus text; {@code /download/...} summary.json, Locust's CSVs (stats,
 * stats_history, failures, exceptions) and report.html. Gzip for every client that asks.
 * A method a path does not take gets 405 with {@code Allow}, an unknown path 404, both as JSON.
 *
 * <p>Safety: without a token the UI only listens on a loopback address. On any other address it
 * needs a token, given as {@code Authorization: Bearer TOKEN} or as the password of basic auth
 * (any user name), which a browser asks for.
 */
public final class WebUi implements RunListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebUi.class.getName());

    /** Locust's default port. */
    public static final int DEFAULT_PORT = 8089;
    private static final int MAX_THREADS = 32;
    /** Nothing to finish gracefully: the UI only reads, and streams end at once. */
    private static final Duration STOP_TIMEOUT = Duration.ZERO;
    /** A target's exit this close to the run's end (or after it) is Stampede stopping it, as in the report. */
    private static final long END_SLACK_MILLIS = 500;

    private final LiveRun live = new LiveRun();
    private final JettyServer server;
    private final WebHandler handler;
    private final String host;
    private volatile RunInfo run;
    private volatile Plan plan;
    private volatile SloTracker judge;
    private volatile TaskErrors exceptions;
    /** Null unless the run is a {@code --master} one: no Workers tab then. */
    private volatile Supplier<List<WorkerStatus>> workers;
    private volatile Supplier<HaltGuard.Status> guard;
    /** The run's event log, where the page's commands are recorded; null before the first run. */
    private volatile EventLog events;

    private WebUi(String host, int port, String token) {
        this.host = host;
        handler = new WebHandler(live, token);
        server = JettyServer.on(host, port).threads("stampede-web", MAX_THREADS).daemon().stopTimeout(STOP_TIMEOUT)
                .build(jetty -> compressed(handler));
    }

    /**
     * Gzip for the page, its assets, the JSON and the stream (a browser always asks for it). The
     * stream is flushed after each message (sync flush) so a message is not held back in the
     * compressor, and shares the compressor's dictionary with the messages before it: the repeated
     * field names of each second cost almost nothing.
     */
    private static Handler compressed(WebHandler handler) {
        var gzip = new GzipHandler(handler);
        gzip.setSyncFlush(true);
        gzip.setExcludedMimeTypes(Arrays.stream(gzip.getExcludedMimeTypes())
                .filter(type -> !type.equals("text/event-stream")).toArray(String[]::new));
        return gzip;
    }

    /**
     * Starts the UI on a loopback address ({@code 127.0.0.1}, {@code ::1}, {@code localhost}).
     *
     * @param port 0 for any free port; {@link #url()} tells which
     * @throws IllegalArgumentException if {@code host} is not a loopback address
     * @throws UncheckedIOException     if it cannot listen (port taken, ...)
     */
    public static WebUi start(String host, int port, EventLog events) {
        return start(host, port, events, null);
    }

    /**
     * Starts the UI; on a non-loopback address only with a token.
     *
     * @param token required from every client as a bearer token or basic-auth password; null or
     *              blank for none, which only a loopback {@code host} allows
     * @throws IllegalArgumentException if {@code host} is not loopback and there is no token, or the
     *                                  port is out of range
     * @throws UncheckedIOException     if it cannot listen (port taken, unknown host, ...)
     */
    public static WebUi start(String host, int port, EventLog events, String token) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("web UI port " + port + " is out of range (0-65535)");
        }
        String required = token == null || token.isBlank() ? null : token;
        if (required == null && !isLoopback(host)) {
            throw new IllegalArgumentException("the web UI would listen on " + host + ", which is not a loopback"
                    + " address, without an auth token: anyone on the network could read the run. Use a loopback address"
                    + " (127.0.0.1, localhost or ::1),"
                    + " or give a token (clients send it as 'Authorization: Bearer TOKEN' or as the basic-auth password)");
        }
        WebUi ui = new WebUi(host, port, required);
        try {
            ui.server.start();
        } catch (IOException e) {
            ui.close();
            String why = e instanceof BindException ? "port " + port + " is taken" : String.valueOf(e.getMessage());
            throw new UncheckedIOException("the web UI cannot listen on " + new Authority(host, port) + ": " + why, e);
        }
        if (events != null) {
            ui.follow(events);
        }
        return ui;
    }

    /**
     * Lets the page and the API change the run through {@code control}.
     *
     * @param interactive true when runs are started from the page (the start form), false when the
     *                    process runs one run and ends with it ({@code --autostart})
     * @param openModel   whether the plan's load is an arrival rate, which has no user count to edit
     */
    public void control(RunControl control, boolean interactive, boolean openModel) {
        handler.control(new RecordedControl(control, () -> events, () -> plan));
        RunControl.StartForm form = control.defaults();
        live.control(new LiveJson.Control(interactive ? LiveJson.Control.Mode.INTERACTIVE : LiveJson.Control.Mode.AUTOSTART,
                openModel ? LiveJson.Control.Model.OPEN : LiveJson.Control.Model.CLOSED,
                new LiveJson.Form(form.users(), form.spawnRate(), form.host(), form.runTime())));
    }

    /**
     * Shows a new run from now on: the page forgets the previous one. Its targets, chaos entries and
     * SLOs fill the panels; its events stream as they happen.
     *
     * @param judge gives the SLO panel its figures each second, or null for none
     */
    public void beginRun(Plan plan, EventLog events, SloTracker judge) {
        this.run = null;
        this.guard = null;
        this.plan = plan;
        this.judge = judge;
        this.exceptions = null;
        this.workers = null;
        this.events = events;
        live.end(null);
        live.planned(planned(plan));
        follow(events);
    }

    /**
     * Shows what {@code plan} declares (its targets, chaos entries with their schedules, SLOs with
     * their objectives, the users' ratio) before any run starts, while the page waits for Start.
     */
    public void showPlan(Plan plan) {
        this.plan = plan;
        live.planned(planned(plan));
    }

    private static LiveJson.Planned planned(Plan plan) {
        LiveJson.Panels panels = Panels.of(plan, 0, Map.of(), Map.of(), null);
        return new LiveJson.Planned(plan.name(), plan.host(), panels.withTargetsIn(LiveJson.TargetState.NOT_STARTED));
    }

    private void follow(EventLog events) {
        int number = live.newRun();
        events.events().forEach(e -> live.event(number, e));
        events.subscribe(e -> live.event(number, e));
    }

    /** {@code http://HOST:PORT/}, with the port actually chosen. */
    public String url() {
        return "http://" + Addresses.urlHost(host) + ":" + port() + "/";
    }

    /** The port listened on (the one chosen when asked for 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void onStart(RunInfo info) {
        run = info;
        live.publish(info, null, LiveJson.RunState.RUNNING, panels(null));
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        if (run != null) {
            live.publish(run, stats, LiveJson.RunState.RUNNING, panels(stats));
        }
    }

    @Override
    public void onFinish(RunStats stats, RunEnd end) {
        live.end(end);
        onFinish(stats);
    }

    @Override
    public void onFinish(RunStats stats) {
        if (run != null) {
            SloTracker tracker = judge;
            Verdict verdict = tracker == null ? null : tracker.verdict();
            live.publish(run, stats, LiveJson.RunState.FINISHED, panels(stats, verdict != null ? verdict : interim(stats), true));
        }
    }

    /** The run's halt guard, whose conditions and decision the chaos panel shows each second. */
    public void guard(Supplier<HaltGuard.Status> status) {
        this.guard = status;
    }

    /** The networked workers of a {@code --master} run, for the Workers tab; a run without never calls this. */
    public void workers(Supplier<List<WorkerStatus>> workers) {
        this.workers = workers;
    }

    /** The exceptions the run's scenario code throws, for Locust's Exceptions table. */
    public void exceptions(TaskErrors errors) {
        this.exceptions = errors;
    }

    /** The run that was started could not be made; the page shows why and offers the form again. */
    public void runFailed(String message) {
        live.failed(message);
    }

    private LiveJson.Panels panels(RunStats stats) {
        return panels(stats, stats == null ? null : interim(stats), false);
    }

    /** @param over the run ended: nothing fires again */
    private LiveJson.Panels panels(RunStats stats, Verdict verdict, boolean over) {
        Plan shown = plan; // null for a run fed without beginRun: nothing declared to show
        double elapsed = stats == null ? 0 : stats.elapsedSeconds();
        live.verdict(verdict);
        TaskErrors errors = exceptions;
        Map<String, LiveJson.TargetState> states = new HashMap<>(live.targetStates());
        if (over && stats != null) {
            // Stampede stops its targets at the end: an exit then is the end, not a failure
            for (Event e : live.events()) {
                if (e.kind() == Event.Kind.TARGET_EXITED
                        && e.epochMillis() >= stats.endEpochMillis() - END_SLACK_MILLIS) {
                    states.put(e.target(), LiveJson.TargetState.STOPPED);
                }
            }
        }
        List<LiveJson.ExceptionRow> list = new ArrayList<>();
        if (errors != null) {
            errors.snapshot().forEach((task, n) -> list.add(new LiveJson.ExceptionRow(task, n)));
        }
        LiveJson.Panels panels = Panels.of(shown, elapsed, states, live.activeFaultTargets(), verdict, over).withExceptions(list);
        Supplier<List<WorkerStatus>> cluster = workers;
        if (cluster != null) {
            panels = panels.withWorkers(cluster.get().stream().map(LiveJson.WorkerRow::of).toList());
        }
        Supplier<HaltGuard.Status> status = guard;
        return status == null || shown == null ? panels
                : panels.withGuard(Panels.guard(shown.judgement().guard(), status.get()));
    }

    private Verdict interim(RunStats stats) {
        SloTracker tracker = judge;
        try {
            return tracker == null ? null : tracker.interim(stats);
        } catch (RuntimeException e) {
            return null; // the panel waits for the next second rather than failing the run
        }
    }

    /** Ends the streams and stops the server. Idempotent. */
    @Override
    public void close() {
        live.closeStreams();
        try {
            server.close();
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "the web UI did not stop cleanly: " + e.getCause());
        }
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // all interfaces
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress address : all) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
