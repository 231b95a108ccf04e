package io.stampede.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.jetty.Routes;
import io.stampede.web.LiveJson.Accepted;
import io.stampede.web.LiveJson.Accepted.Doing;
import io.stampede.web.RunControl.ControlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API's commands: each path, its JSON body checked field by field, and the
 * {@link RunControl} call it makes. A bad body is a 400 naming the field; the run never sees it.
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

    /** One command: its checked body, the path's named segments, the run to act on. */
    @FunctionalInterface
    interface Command {
        Result call(ObjectNode json, Routes.Params params, RunControl control);
    }

    /** The commands, each at its path: the web server's table adds them as POST routes. */
    static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("/api/start", ControlRoutes::start);
        commands.put("/api/users", ControlRoutes::users);
        commands.put("/api/stop", ControlRoutes::stop);
        commands.put("/api/reset", ControlRoutes::reset);
        commands.put("/api/faults/{n}/inject", ControlRoutes::inject);
        return Collections.unmodifiableMap(commands);
    }

    private ControlRoutes() {
    }

    /** Reads the body as a JSON object (empty: {}) and runs the command on it. */
    static Result call(Command command, byte[] body, Routes.Params params, RunControl control) {
        return command.call(parse(body), params, control);
    }

    private static Result start(ObjectNode json, Routes.Params params, RunControl control) {
        only(json, "users", "spawnRate", "host", "runTime");
        RunControl.StartForm form = new RunControl.StartForm(wholeNumber(json, "users"), rate(json, "spawnRate"),
                text(json, "host"), duration(json, "runTime"));
        control.start(form);
        return new Result(202, new Accepted(Doing.STARTING));
    }

    private static Result users(ObjectNode json, Routes.Params params, RunControl control) {
        only(json, "users", "spawnRate");
        Integer users = wholeNumber(json, "users");
        if (users == null) {
            throw ControlException.badInput("users: missing; send {\"users\": N} and optionally \"spawnRate\"");
        }
        Double rate = rate(json, "spawnRate");
        control.changeUsers(users, rate);
        return new Result(200, new Accepted(true, Doing.CHANGING, users, null));
    }

    private static Result stop(ObjectNode json, Routes.Params params, RunControl control) {
        only(json);
        control.stop();
        return new Result(200, new Accepted(Doing.STOPPING));
    }

    private static Result reset(ObjectNode json, Routes.Params params, RunControl control) {
        only(json);
        control.resetStats();
        return new Result(200, new Accepted(Doing.RESET));
    }

    private static Result inject(ObjectNode json, Routes.Params params, RunControl control) {
        only(json);
        int index = index(params.get("n"));
        control.inject(index);
        return new Result(202, new Accepted(true, Doing.INJECTING, null, index));
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return LiveRun.JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = LiveRun.JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ControlException.badInput("the body holds a value too long for any field (a number of 1,000 digits or more?)");
        } catch (JsonProcessingException e) {
            throw ControlException.badInput("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ControlException.badInput("the body could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ControlException.badInput("the body must be a JSON object, like {\"users\": 10}");
        }
        return object;
    }

    private static void only(ObjectNode json, String... allowed) {
        List<String> valid = List.of(allowed);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!valid.contains(name)) {
                throw ControlException.badInput("unknown field '" + name + "'; "
                        + (valid.isEmpty() ? "this command takes none" : "valid fields: " + String.join(", ", valid)));
            }
        }
    }

    private static Integer wholeNumber(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ControlException.badInput(field + ": expected a whole number, got " + value);
        }
        if (value.intValue() < 0) {
            throw ControlException.badInput(field + ": must be 0 or more, got " + value.intValue());
        }
        return value.intValue();
    }

    private static Double rate(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ControlException.badInput(field + ": expected a number, got " + value);
        }
        double rate = value.doubleValue();
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw ControlException.badInput(field + ": must be above 0, got " + value);
        }
        return rate;
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ControlException.badInput(field + ": expected a string, got " + value);
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? null : text;
    }

    /** A duration as text ("5m") or a number of seconds (30), as {@code -t} takes both. */
    private static String duration(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && value.isNumber()) {
            if (value.isFloatingPointNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw ControlException.badInput(field + ": expected seconds as a whole number 0 or more, or a duration such as \"5m\"; got " + value);
            }
            return value.asText();
        }
        return text(json, field);
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
