package io.stampede.report;

import io.stampede.events.Event;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints each event on the console as it happens, e.g.
 * {@code 10:31:20.004  kill#1 injected on app: pid 4242, SIGKILL}. On a terminal it first clears
 * the progress line, which the next second redraws below.
 */
public final class EventConsole implements Consumer<Event> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream out;
    private final boolean terminal;
    private final ZoneId zone;

    public EventConsole(PrintStream out, boolean terminal, ZoneId zone) {
        this.out = out;
        this.terminal = terminal;
        this.zone = zone;
    }

    @Override
    public void accept(Event event) {
        String line = TIME.format(Instant.ofEpochMilli(event.epochMillis()).atZone(zone)) + "  " + describe(event);
        synchronized (out) {
            out.println((terminal ? CLEAR_LINE : "") + line);
        }
    }

    static String describe(Event event) {
        String detail = event.detail().isEmpty() ? "" : ": " + event.detail();
        return switch (event.kind()) {
            case FAULT_INJECTED -> event.injection() + " injected on " + event.target() + detail;
            case FAULT_ROLLED_BACK -> event.injection() + " rolled back on " + event.target() + detail;
            case FAULT_FAILED -> (event.injection().isEmpty() ? event.fault() : event.injection()) + " FAILED on "
                    + event.target() + detail;
            case THRESHOLD_CROSSED -> "threshold crossed, stopping the run" + detail;
            case STATS_RESET -> "statistics reset" + detail;
            case USERS_CHANGED -> "users changed" + detail;
            case RUN_STOPPED -> "run stopped" + detail;
            case MANUAL_INJECTION -> event.fault() + " on " + event.target() + " asked" + detail;
            case CHAOS_HALTED, STEADY_STATE_NOT_REACHED, SLI_SOURCE_LOST, SLI_SOURCE_BACK, HALT_CONDITION_UNREADABLE,
                 TLS_NOT_VERIFIED -> event.detail();
            case STEADY_STATE_REACHED -> "steady state reached" + detail;
            default -> "target " + event.target() + " "
                    + event.kind().name().substring("TARGET_".length()).toLowerCase(Locale.ROOT) + detail;
        };
    }
}
