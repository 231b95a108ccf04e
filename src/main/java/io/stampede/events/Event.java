package io.stampede.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dated entry on a run's timeline: a fault injected or rolled back, a target down or healthy
 * again. Faults and their effects share the run's time axis through these, so the analysis can
 * line up each fault with the latency and error curves.
 *
 * @param epochMillis wall-clock time, on the timeline's clock ({@link EventLog#clock()})
 * @param kind        what happened
 * @param target      the target's name, or empty
 * @param fault       the fault's kind (e.g. {@code kill}), or empty
 * @param injection   pairs an injection with its rollback, e.g. {@code kill#3}; empty otherwise
 * @param detail      a short human-readable detail (pid, signal, exit code, error)
 * @param lastsMillis for an injected fault with a duration, how long it is meant to last (it ends with
 *                    its rollback event); null for an instant fault and for every other event
 */
public record Event(long epochMillis, Kind kind, String target, String fault, String injection, String detail,
                    @com.fasterxml.jackson.annotation.JsonInclude(JsonInclude.Include.NON_NULL)
                    Long lastsMillis) {

    public Event(long epochMillis, Kind kind, String target, String fault, String injection, String detail) {
        this(epochMillis, kind, target, fault, injection, detail, null);
    }

    public enum Kind {
        TARGET_STARTED, TARGET_EXITED, TARGET_HEALTHY, TARGET_UNHEALTHY,
        /** A container's processes frozen, and thawed again (the engine's pause and unpause). */
        TARGET_PAUSED, TARGET_RESUMED,
        FAULT_INJECTED, FAULT_ROLLED_BACK, FAULT_FAILED,
        /** A threshold with abortOnFail failed: the run stops early. */
        THRESHOLD_CROSSED,
        /** The totals were reset (Locust's Reset stats); the detail says by whom. The charts and SLOs keep the whole run. */
        STATS_RESET,
        /** The running users were changed during the run (Locust's Edit); the detail says to what and by whom. */
        USERS_CHANGED,
        /** The run was stopped before its end (Locust's Stop); the detail says by whom. */
        RUN_STOPPED,
        /**
         * "Inject now" was asked for a chaos entry outside its schedule; the detail names the entry. The
         * FAULT_INJECTED (or FAULT_FAILED) of that entry's fault on its target that follows is this one.
         */
        MANUAL_INJECTION,
        /** A halt condition fired: no new fault, every active one rolled back; the detail names the condition and its value. */
        CHAOS_HALTED,
        /** The SLOs held for the plan's steady-state time: the chaos schedule starts. */
        STEADY_STATE_REACHED,
        /** The SLOs did not hold in time: no fault is injected in this run; the detail says what broke. */
        STEADY_STATE_NOT_REACHED,
        /** A server-side SLO's Prometheus stopped answering: the SLO has no data until it is back. */
        SLI_SOURCE_LOST, SLI_SOURCE_BACK,
        /**
         * A halt condition could not be read (Prometheus unreachable or refusing the query): it does not
         * fire, the others still guard; the detail says why. Said once per outage.
         */
        HALT_CONDITION_UNREADABLE,
        /** The users accept any TLS certificate (insecure: true): said at the start, so results show it. */
        TLS_NOT_VERIFIED,
        /**
         * A networked worker ({@code stampede worker}) joined the run, was refused (wrong token, another
         * protocol version), went silent, spoke again, was lost (its share moves to the others), or
         * finished (the detail holds its totals). The target is the worker's id and host.
         */
        WORKER_JOINED, WORKER_REFUSED, WORKER_MISSING, WORKER_BACK, WORKER_LOST, WORKER_FINISHED
    }
}
