package io.stampede.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.slo.threshold.Status;
import io.stampede.stats.PhaseMillis;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the browser receives, in one place: every JSON the live page and its API send is one of these
 * records, serialised by Jackson. {@code live.js} reads these names and these enums' words; the
 * contract test fails when a name {@code live.js} reads is not a field here. A new field is one
 * component here (and the line that fills it), then its use in {@code live.js}.
 *
 * <ul>
 *   <li>{@link Snapshot}: {@code GET /api/stats} and the stream's {@code stats} message (a
 *       {@code delta} message is the top-level fields of a snapshot that changed, see
 *       {@link SnapshotDelta});</li>
 *   <li>{@link EventRow}: the stream's {@code event} message and each item of {@code GET /api/events};</li>
 *   <li>{@link Reset}: the stream's {@code reset} message;</li>
 *   <li>{@link Accepted} and {@link Refusal}: the answers to the commands ({@code POST /api/...}).</li>
 * </ul>
 *
 * Null fields of a snapshot are left out; inside its rows, a null is written as null ("not measured yet").
 */
final class LiveJson {

    private LiveJson() {
    }

    /**
     * {@code component}, checked to be one of {@code type}'s: code that reads the JSON by name (the
     * stream's delta) takes its names from here, so a renamed field fails when the class loads.
     *
     * @throws IllegalStateException when {@code type} has no such component
     */
    static String field(Class<? extends Record> type, String component) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(component)) {
                return component;
            }
        }
        throw new IllegalStateException(type.getSimpleName() + " has no field '" + component + "'");
    }

    /** The run as the page shows it. */
    enum RunState {
        /** Nothing ran yet: the start form. */
        WAITING,
        /** A run was started: its targets come up before its clock starts. */
        STARTING,
        RUNNING,
        FINISHED,
        /** The run could not be made (a target never became healthy, ...): the snapshot's error says why. */
        FAILED;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A target's state in the chaos panel, from its events. */
    enum TargetState {
        NOT_STARTED("not started"), NOT_PROBED("not probed"), STARTING("starting"), UP("up"), UNHEALTHY("unhealthy"),
        DOWN("down"), PAUSED("paused"),
        /** Stampede stopped it at the end of the run: an exit then is the end, not a failure. */
        STOPPED("stopped");

        private final String json;

        TargetState(String json) {
            this.json = json;
        }

        @JsonValue
        String json() {
            return json;
        }
    }

    /** An SLO's or threshold's row: its {@link Status} once measured, "not started" before the run. */
    enum Judged {
        PASS("pass"), FAIL("fail"), NO_DATA("no data"), NOT_STARTED("not started");

        private final String json;

        Judged(String json) {
            this.json = json;
        }

        static Judged of(Status status) {
            return switch (status) {
                case PASS -> PASS;
                case FAIL -> FAIL;
                case NO_DATA -> NO_DATA;
            };
        }

        @JsonValue
        String json() {
            return json;
        }
    }

    /**
     * The run's snapshot: its state, the figures (absent before the run starts), the tables, the chart's
     * points, the panels; stamped with the run's number, what the page may do, and a sequence number a
     * delta names as its base.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Snapshot(RunState status, String name, String host, String proxy,
                    @JsonUnwrapped Progress progress,
                    List<RequestRow> requests, List<FailureRow> failures, List<Point> points,
                    @JsonUnwrapped Panels panels, String error, Control control, Long run, Long seq) {

        /** Before the run's clock starts: the plan's panels, if any, and empty tables. */
        static Snapshot waiting(RunState status, Planned planned, String error) {
            return new Snapshot(status, planned == null ? null : planned.name(), planned == null ? null : planned.host(),
                    null, null, List.of(), List.of(), List.of(), planned == null ? null : planned.panels(), error,
                    null, null, null);
        }

        Snapshot withPanels(Panels panels) {
            return new Snapshot(status, name, host, proxy, progress, requests, failures, points, panels, error,
                    control, run, seq);
        }

        Snapshot stamped(long run, Control control, long seq) {
            return new Snapshot(status, name, host, proxy, progress, requests, failures, points, panels, error,
                    control, run, seq);
        }
    }

    /**
     * How far the run is: its clock (epoch milliseconds, seconds), the users, the faults in effect, how
     * many events there are (they come from {@code /api/events} and the stream), and the totals.
     */
    record Progress(long startEpochMillis, long endEpochMillis, double elapsedSeconds, int users,
                    long droppedIterations, int activeFaults, int events, Figures totals) {
    }

    /**
     * One request key's figures, or all of them. Latencies are milliseconds over the whole run; "current"
     * rates are over the last 10 seconds (Locust's Current RPS).
     */
    record Figures(long requests, long failures, double failureRatio, double requestsPerSecond, double currentRps,
                   double currentFailuresPerSecond, double medianMillis, double p95Millis, double p99Millis,
                   double averageMillis, double minMillis, double maxMillis, double averageContentBytes) {
    }

    /** A row of the requests table: {@code {"method": "GET", "name": "/", ...the figures}}. */
    record RequestRow(String method, String name, @JsonUnwrapped Figures figures) {
    }

    record FailureRow(String method, String name, String error, long occurrences) {
    }

    /**
     * One second of the chart.
     *
     * @param phases the mean of each request phase over the second, stacked by the phase chart; left
     *               out when no request of the second had phase times
     */
    record Point(long endEpochMillis, int users, long requests, long failures, double requestsPerSecond,
                 double failuresPerSecond, double p50Millis, double p95Millis, double p99Millis,
                 @JsonInclude(JsonInclude.Include.NON_NULL) PhaseMillis phases) {
    }

    /** The plan as the page shows it before its run starts. */
    record Planned(String name, String host, Panels panels) {
    }

    /**
     * The panels beside the tables; {@code exceptions} only once a run is shown, {@code workers} only in a
     * {@code --master} run (the page shows its Workers tab then).
     */
    record Panels(Chaos chaos, Slo slo, List<UserClass> ratio,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<ExceptionRow> exceptions,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<WorkerRow> workers) {

        Panels(Chaos chaos, Slo slo, List<UserClass> ratio, List<ExceptionRow> exceptions) {
            this(chaos, slo, ratio, exceptions, null);
        }

        Panels withTargetsIn(TargetState state) {
            List<TargetRow> targets = chaos.targets().stream()
                    .map(t -> new TargetRow(t.name(), t.kind(), state)).toList();
            return new Panels(new Chaos(targets, chaos.faults(), chaos.active(), chaos.guard()), slo, ratio, exceptions, workers);
        }

        Panels withGuard(Guard guard) {
            return new Panels(new Chaos(chaos.targets(), chaos.faults(), chaos.active(), guard), slo, ratio, exceptions, workers);
        }

        Panels withExceptions(List<ExceptionRow> exceptions) {
            return new Panels(chaos, slo, ratio, exceptions, workers);
        }

        Panels withWorkers(List<WorkerRow> workers) {
            return new Panels(chaos, slo, ratio, exceptions, workers);
        }
    }

    /**
     * A row of the Workers tab: a networked worker as the coordinator sees it now.
     *
     * @param cpuPercent  its last heartbeat's CPU use; null before the first
     * @param cpuHigh     above {@link WorkerStatus#CPU_WARNING_PERCENT}: its figures cannot be trusted, the page warns
     * @param heartbeatAgeSeconds since the coordinator last heard from it
     */
    record WorkerRow(String id, String host, WorkerStatus.State state, int users, double requestsPerSecond,
                     Double cpuPercent, boolean cpuHigh, double heartbeatAgeSeconds, long requests, long failures) {

        static WorkerRow of(WorkerStatus w) {
            return new WorkerRow(w.id(), w.host(), w.state(), w.users(), w.requestsPerSecond(), w.cpuPercent(),
                    w.cpuOverloaded(), w.heartbeatAgeMillis() / 1000.0, w.requests(), w.failures());
        }
    }

    /** @param guard the plan's halt conditions and steady state; absent when it has neither */
    record Chaos(List<TargetRow> targets, List<FaultRow> faults, List<ActiveFault> active,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Guard guard) {
    }

    /**
     * What guards the chaos, as the guard sees it now.
     *
     * @param then     "continue" or "stop": what the users do when a condition fires
     * @param steady   the steady-state wait; null without one
     * @param haltedBy the guard's decision, "chaos halted at 0:42 by ... (...)"; null while none fired
     */
    record Guard(List<HaltRow> halt, String then, SteadyRow steady, String haltedBy) {
    }

    /**
     * A halt condition and its current value ("62.5% left", "burn rate 3.10", "2 failures in a row",
     * "empty", "1 series: {code=\"503\"} 5"); value null before the run or while nothing tells.
     */
    record HaltRow(String condition, String value, boolean firing) {
    }

    /** The steady-state wait: every SLO held for {@code heldSeconds} of {@code holdSeconds}, within {@code withinSeconds}. */
    record SteadyRow(SteadyState state, int heldSeconds, int holdSeconds, long withinSeconds) {
    }

    enum SteadyState {
        WAITING("waiting"), REACHED("reached"), NOT_REACHED("not reached");

        private final String json;

        SteadyState(String json) {
            this.json = json;
        }

        static SteadyState of(String words) {
            for (SteadyState s : values()) {
                if (s.json.equals(words)) return s;
            }
            throw new IllegalArgumentException("no steady state '" + words + "'");
        }

        @JsonValue
        String json() {
            return json;
        }
    }

    /** @param kind "managed", "process", "address", "container" or "container from IMAGE" */
    record TargetRow(String name, String kind, TargetState state) {
    }

    /**
     * A chaos entry of the plan.
     *
     * @param index       its place in the plan, the {@code n} of {@code POST /api/faults/{n}/inject}
     * @param nextSeconds seconds from the start of the run to its next firing; null when none is left
     */
    record FaultRow(int index, String kind, String target, String describe, Schedule schedule, Double nextSeconds) {
    }

    /** When an entry fires: at a moment, or every so often after a delay, maybe a number of times. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Schedule(Double atSeconds, Double everySeconds, Double startAfterSeconds, Integer count) {
    }

    record ActiveFault(String injection, String target) {
    }

    /**
     * The SLO panel: the verdict as if the run ended now (null when nothing is judged or nothing
     * measured yet), each SLO and threshold.
     */
    record Slo(Status verdict, List<SloRow> slos, List<ThresholdRow> thresholds) {
    }

    /**
     * One SLO. Before the run: its objective in words, no figures. During it: the figures, and the highest
     * burn rate seen so far over each window ("10s", "1m", "5m").
     */
    record SloRow(String name, String kind, double objectivePercent,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String objective,
                  Double sliPercent,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Double errorBudget,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Long budgetSpent,
                  Double budgetLeftPercent, Judged status,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> burnRates) {
    }

    /** @param value the measured value; null before the run or without data */
    record ThresholdRow(String metric, String expression, Double value, Judged status) {
    }

    /**
     * Locust's Current ratio: a user class's share of the users and its tasks' shares of its picks.
     */
    record UserClass(String name, double percent, List<TaskShare> tasks) {
    }

    /** @param percent null when the tasks run in order, each in turn */
    record TaskShare(String name, Double percent) {
    }

    /** Locust's Exceptions table: what the scenario code threw, by task. */
    record ExceptionRow(String task, long occurrences) {
    }

    /**
     * What the page may do: watch only, start runs from the form, or change the one run the process
     * was started with; {@code model} and {@code form} only when it may act.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Control(Mode mode, Model model, Form form) {

        static final Control WATCH = new Control(Mode.WATCH, null, null);

        enum Mode {
            WATCH, INTERACTIVE, AUTOSTART;

            @JsonValue
            String json() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        /** Closed (a number of users, editable) or open (an arrival rate: no user count to edit). */
        enum Model {
            CLOSED, OPEN;

            @JsonValue
            String json() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /** The start form's defaults, from the plan and the command line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Form(Integer users, Double spawnRate, String host, String runTime) {
    }

    /**
     * A timeline event, numbered: {@code seq} is its place in the run's events (a reconnecting page
     * never doubles one); {@code run} the run it belongs to, on the stream only.
     */
    record EventRow(@JsonUnwrapped Event event, int seq, @JsonInclude(JsonInclude.Include.NON_NULL) Integer run) {
    }

    /**
     * A command accepted: {@code {"ok": true, "status": "changing", "users": 20}}.
     *
     * @param users the users asked for, for {@code POST /api/users}
     * @param fault the chaos entry's index, for {@code POST /api/faults/{n}/inject}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Accepted(boolean ok, Doing status, Integer users, Integer fault) {

        Accepted(Doing status) {
            this(true, status, null, null);
        }

        enum Doing {
            STARTING, CHANGING, STOPPING, RESET, INJECTING;

            @JsonValue
            String json() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /** The stream's {@code reset} message: run number {@code run} starts, the page forgets the one before. */
    record Reset(int run) {
    }

    /** A request refused: its HTTP status and why, which the page shows as it is. */
    record Refusal(int status, String error) {
    }
}
