package io.stampede.web;

import io.stampede.chaos.ChaosSpec;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.plan.Plan;
import java.util.function.Supplier;

/**
 * The page's commands, each left on the run's timeline: a manual injection must not look like a
 * scheduled one, and a change of users or a stop explains the curves that follow it. An event is
 * written once the command was accepted (an injection's just before its fault, so it comes first).
 */
final class RecordedControl implements RunControl {

    /** Who gave the command: the page's buttons and the REST API are the same requests. */
    static final String BY = "from the web UI";

    private final RunControl control;
    private final Supplier<EventLog> events;
    private final Supplier<Plan> plan;

    RecordedControl(RunControl control, Supplier<EventLog> events, Supplier<Plan> plan) {
        this.control = control;
        this.events = events;
        this.plan = plan;
    }

    @Override
    public StartForm defaults() {
        return control.defaults();
    }

    @Override
    public void start(StartForm form) {
        control.start(form);
    }

    @Override
    public void changeUsers(int users, Double spawnRate) {
        control.changeUsers(users, spawnRate);
        record(Event.Kind.USERS_CHANGED, "", "", "users → " + users
                + (spawnRate == null ? "" : " at " + spawnRate + "/s") + ", " + BY);
    }

    @Override
    public void stop() {
        control.stop();
        record(Event.Kind.RUN_STOPPED, "", "", "stopped " + BY);
    }

    @Override
    public void resetStats() {
        control.resetStats(); // records its own STATS_RESET
    }

    @Override
    public void inject(int index) {
        Plan shown = plan.get();
        ChaosSpec spec = shown != null && index < shown.chaos().size() ? shown.chaos().get(index) : null;
        if (spec == null) {
            control.inject(index); // refuses with the reason
            return;
        }
        EventLog log = events.get();
        long askedAt = log != null ? log.clock().millis() : 0; // dated before the firing, which waits for a thread to start
        control.inject(index); // refuses (no run going) before anything is recorded; fires in the background
        if (log != null) {
            log.emit(new Event(askedAt, Event.Kind.MANUAL_INJECTION, spec.target(), spec.kind(), "",
                    "Inject now on entry #" + index + " (" + spec.describe() + "), manual, " + BY));
        }
    }

    private void record(Event.Kind kind, String target, String fault, String detail) {
        EventLog log = events.get();
        if (log != null) {
            log.emitFault(kind, target, fault, "", detail);
        }
    }
}
