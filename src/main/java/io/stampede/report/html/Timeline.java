package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.events.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The run's events as the charts draw them: every fault as a window on the time axis, every change
 * of a target's state as a marker. Times are seconds from the run's start.
 *
 * <p>A fault with a rollback event (same {@code injection} id) is a window from injection to
 * rollback. An instant fault (a kill: nothing to roll back) has no end of its own; its window runs
 * until the target is healthy again, when the target went down after it, and to the end of the run
 * when it never came back. An instant fault that took nothing down is a window of zero width, drawn
 * as a line.
 */
final class Timeline {

    /** How a window ended, which the chart shows by colour. */
    enum WindowKind {
        /** Injection to rollback. */
        LASTING,
        /** Instant fault to the target's next healthy event. */
        UNTIL_HEALTHY,
        /** The target went down and was not healthy again before the run ended. */
        NOT_RECOVERED,
        /** Instant fault with no visible effect on the target's health: a line. */
        INSTANT;

        /** As the page's script names it: the band's class, {@code kind-until_healthy}. */
        @com.fasterxml.jackson.annotation.JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Window(String label, String fault, String target, double from, double to, WindowKind kind) {
    }

    /** A marker's line: target down (exited, unhealthy, paused), up (healthy), started (or resumed), ended (stopped after the run); a fault that failed. */
    enum MarkerKind {
        DOWN, UP, STARTED, ENDED, FAILED;

        /** As the page's script names it: the line's style, {@code line-down}. */
        @com.fasterxml.jackson.annotation.JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Marker(double at, MarkerKind kind, String target, String text) {
    }

    /** @param kind null for a kind this version does not know (a newer summary) */
    private record Ev(double at, Event.Kind kind, String target, String fault, String injection, String detail) {
    }

    /** A target's exit this close to the run's end (or after it) is the stop at the end. */
    static final double END_SLACK_SECONDS = 0.5;

    final List<Window> windows = new ArrayList<>();
    final List<Marker> markers = new ArrayList<>();

    /**
     * @param events     the summary's {@code events} array (may be missing)
     * @param startMillis the run's start, epoch milliseconds
     * @param endSeconds  the run's length: open windows end here
     */
    Timeline(JsonNode events, long startMillis, double endSeconds) {
        List<Ev> list = new ArrayList<>();
        if (events != null && events.isArray()) {
            for (JsonNode e : events) {
                Double at = Format.number(e, "epochMillis");
                if (at != null) {
                    list.add(new Ev((at - startMillis) / 1000.0, kind(Format.string(e, "kind")), Format.string(e, "target"),
                            Format.string(e, "fault"), Format.string(e, "injection"), Format.string(e, "detail")));
                }
            }
        }
        list.sort(Comparator.comparingDouble(Ev::at)); // stable: same-millisecond events keep their order
        for (int i = 0; i < list.size(); i++) {
            Ev e = list.get(i);
            switch (e.kind()) {
                case FAULT_INJECTED -> windows.add(window(list, i, endSeconds));
                case FAULT_FAILED -> markers.add(new Marker(e.at(), MarkerKind.FAILED, e.target(),
                        label(e) + " failed on " + e.target() + (e.detail().isEmpty() ? "" : ": " + e.detail())));
                // Stampede stops its targets once the run is over: an end, not a target going down
                case TARGET_EXITED, TARGET_UNHEALTHY -> markers.add(
                        e.kind() == Event.Kind.TARGET_EXITED && e.at() >= endSeconds - END_SLACK_SECONDS
                                ? new Marker(e.at(), MarkerKind.ENDED, e.target(), e.target() + " stopped at the end of the run")
                                : new Marker(e.at(), MarkerKind.DOWN, e.target(),
                                        e.target() + (e.kind() == Event.Kind.TARGET_EXITED ? " exited" : " unhealthy")));
                case TARGET_HEALTHY -> markers.add(new Marker(e.at(), MarkerKind.UP, e.target(), e.target() + " healthy"));
                case TARGET_STARTED -> markers.add(new Marker(e.at(), MarkerKind.STARTED, e.target(), e.target() + " started"));
                case TARGET_PAUSED -> markers.add(new Marker(e.at(), MarkerKind.DOWN, e.target(), e.target() + " paused"));
                case TARGET_RESUMED -> markers.add(new Marker(e.at(), MarkerKind.STARTED, e.target(), e.target() + " resumed"));
                case FAULT_ROLLED_BACK, THRESHOLD_CROSSED, STATS_RESET, USERS_CHANGED, RUN_STOPPED, MANUAL_INJECTION, STEADY_STATE_REACHED,
                     SLI_SOURCE_LOST, SLI_SOURCE_BACK, HALT_CONDITION_UNREADABLE, TLS_NOT_VERIFIED, WORKER_JOINED, WORKER_REFUSED, WORKER_MISSING,
                     WORKER_BACK, WORKER_LOST, WORKER_FINISHED -> {
                    // not drawn: listed in the events table
                }
                case CHAOS_HALTED, STEADY_STATE_NOT_REACHED -> markers.add(new Marker(e.at(), MarkerKind.FAILED, "", e.detail()));
                case null -> {
                    // a kind this report does not know yet: listed in the events table, not drawn
                }
            }
        }
    }

    private static Event.Kind kind(String name) {
        for (Event.Kind kind : Event.Kind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    private static String label(Ev e) {
        return !e.injection().isEmpty() ? e.injection() : !e.fault().isEmpty() ? e.fault() : "fault";
    }

    private static Window window(List<Ev> list, int injectedAt, double endSeconds) {
        Ev injected = list.get(injectedAt);
        if (!injected.injection().isEmpty()) {
            for (int j = injectedAt + 1; j < list.size(); j++) {
                Ev e = list.get(j);
                if (injected.injection().equals(e.injection())
                        && (e.kind() == Event.Kind.FAULT_ROLLED_BACK || e.kind() == Event.Kind.FAULT_FAILED)) {
                    return window(injected, e.at(), WindowKind.LASTING);
                }
            }
        }
        boolean wentDown = false;
        for (int j = injectedAt + 1; j < list.size(); j++) {
            Ev e = list.get(j);
            if (e.target().equals(injected.target())) {
                if (e.kind() == Event.Kind.TARGET_EXITED || e.kind() == Event.Kind.TARGET_UNHEALTHY) {
                    wentDown = true;
                } else if (e.kind() == Event.Kind.TARGET_HEALTHY && wentDown) {
                    return window(injected, e.at(), WindowKind.UNTIL_HEALTHY);
                }
            }
        }
        return wentDown
                ? window(injected, Math.max(injected.at(), endSeconds), WindowKind.NOT_RECOVERED)
                : window(injected, injected.at(), WindowKind.INSTANT);
    }

    private static Window window(Ev injected, double to, WindowKind kind) {
        return new Window(label(injected), injected.fault(), injected.target(), injected.at(), to, kind);
    }
}
