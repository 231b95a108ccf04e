package io.stampede.web;

import io.stampede.jetty.Routes;
import io.stampede.web.ControlBodies.None;
import io.stampede.web.ControlBodies.Start;
import io.stampede.web.ControlBodies.UsersChange;
import io.stampede.web.LiveJson.Accepted;
import io.stampede.web.LiveJson.Accepted.Doing;
import io.stampede.web.RunControl.ControlException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The REST API's commands: each path, the record its JSON body is read into ({@link ControlBodies},
 * by {@link ControlJson}), and the {@link RunControl} call it makes. A bad body is a 400 naming the
 * field; the run never sees it.
 *
 * <pre>
 * POST /api/start               {"users": 100, "spawnRate": 10, "host": "http://127.0.0.1:5001", "runTime": "5m"}  → 202
 *                               (runTime also in seconds: 30; 422 when the run could not be carried out)
 * POST /api/users               {"users": 50, "spawnRate": 5}                                                       → 200
 * POST /api/stop                {}                                                                                  → 200
 * POST /api/reset               {}                                                                                  → 200
 * POST /api/faults/{n}/inject   {}                                                                                  → 202
 * </pre>
 */
final class ControlRoutes {

    record Result(int status, LiveJson.Accepted body) {
    }

    /** One command: its body as sent, the path's named segments, the run to act on. */
    @FunctionalInterface
    interface Command {
        Result call(byte[] body, Routes.Params params, RunControl control);
    }

    /** A command once its body is read into its record. */
    @FunctionalInterface
    private interface Reading<T extends Record> {
        Result call(T body, Routes.Params params, RunControl control);
    }

    /** The commands, each at its path: the web server's table adds them as POST routes. */
    static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("/api/start", reading(Start.class, ControlRoutes::start));
        commands.put("/api/users", reading(UsersChange.class, ControlRoutes::users));
        commands.put("/api/stop", reading(None.class, ControlRoutes::stop));
        commands.put("/api/reset", reading(None.class, ControlRoutes::reset));
        commands.put("/api/faults/{n}/inject", reading(None.class, ControlRoutes::inject));
        return Collections.unmodifiableMap(commands);
    }

    private static <T extends Record> Command reading(Class<T> type, Reading<T> command) {
        return (body, params, control) -> command.call(ControlJson.read(body, type), params, control);
    }

    private ControlRoutes() {
    }

    /** Reads the body (empty: {}) into the command's record and runs the command on it. */
    static Result call(Command command, byte[] body, Routes.Params params, RunControl control) {
        return command.call(body, params, control);
    }

    private static Result start(Start start, Routes.Params params, RunControl control) {
        control.start(start.form());
        return new Result(202, new Accepted(Doing.STARTING));
    }

    private static Result users(UsersChange change, Routes.Params params, RunControl control) {
        control.changeUsers(change.users(), change.perSecond());
        return new Result(200, new Accepted(true, Doing.CHANGING, change.users(), null));
    }

    private static Result stop(None none, Routes.Params params, RunControl control) {
        control.stop();
        return new Result(200, new Accepted(Doing.STOPPING));
    }

    private static Result reset(None none, Routes.Params params, RunControl control) {
        control.resetStats();
        return new Result(200, new Accepted(Doing.RESET));
    }

    private static Result inject(None none, Routes.Params params, RunControl control) {
        int index = index(params.get("n"));
        control.inject(index);
        return new Result(202, new Accepted(true, Doing.INJECTING, null, index));
    }

    private static int index(String text) {
        try {
            int index = Integer.parseInt(text);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw ControlException.badInput("fault: expected the entry's number (0, 1, ...) in /api/faults/{n}/inject, got '" + text + "'");
    }
}
