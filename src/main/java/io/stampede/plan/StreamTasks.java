package io.stampede.plan;

import io.stampede.engine.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan's {@code websocket:} and {@code sse:} tasks (README, "WebSocket and server-sent events"):
 *
 * <pre>{@code
 * - websocket: /chat
 *   name: chat                      # default: the path
 *   timeout: 5s                     # each reply's wait; default http.timeout
 *   messages:
 *     - { send: hello, name: hello }                                 # the reply: the next message
 *     - { send: '{"id":7}', name: ping, reply: { json: { /id: "7" } }, timeout: 2s }
 *     - { receive: tick, reply: { contains: tick } }                 # a message the service pushes
 * - sse: /prices
 *   events: 3                       # read three events; default 1 without until
 *   until: close                    # then wait for the first "event: close"
 * }</pre>
 */
final class StreamTasks {

    static final List<String> WEBSOCKET_KEYS = List.of("websocket", "name", "weight", "tags", "timeout", "messages");
    static final List<String> MESSAGE_KEYS = List.of("send", "receive", "name", "reply", "timeout");
    static final List<String> REPLY_KEYS = List.of("contains", "json");
    static final List<String> SSE_KEYS = List.of("sse", "name", "weight", "tags", "timeout", "events", "until");

    private StreamTasks() {
    }

    /** Whether a task entry is one of these (it has a {@code websocket:} or {@code sse:} key). */
    static boolean declares(YamlNode item) {
        if (item.kind() != YamlNode.Kind.OBJECT) {
            return false;
        }
        Map<String, YamlNode> fields = item.anyObject();
        return fields.containsKey("websocket") || fields.containsKey("sse");
    }

    static Scenario.TaskSpec task(YamlNode item) {
        boolean socket = item.anyObject().containsKey("websocket");
        Map<String, YamlNode> fields = item.object(socket ? WEBSOCKET_KEYS : SSE_KEYS);
        String path = path(fields.get(socket ? "websocket" : "sse"));
        String name = fields.containsKey("name") ? fields.get("name").text() : path;
        int weight = fields.containsKey("weight") ? PlanFile.nonNegative(fields.get("weight")) : 1;
        Set<String> tags = fields.containsKey("tags") ? PlanFile.strings(fields.get("tags")) : Set.of();
        Duration timeout = fields.containsKey("timeout") ? positive(fields.get("timeout")) : null;
        Scenario.Step step = socket ? socket(item, fields, path, name, timeout) : events(item, fields, path, name, timeout);
        return new Scenario.TaskSpec(name, weight, tags, List.of(step));
    }

    private static Scenario.SocketSpec socket(YamlNode item, Map<String, YamlNode> fields, String path, String name,
                                              Duration timeout) {
        if (!fields.containsKey("messages")) {
            throw item.error("a websocket task needs 'messages' (e.g. messages: [ { send: hello } ])");
        }
        List<Scenario.SocketMessage> messages = new ArrayList<>();
        List<YamlNode> items = fields.get("messages").array();
        if (items.isEmpty()) {
            throw fields.get("messages").error("needs at least one message");
        }
        for (YamlNode message : items) {
            messages.add(message(message, messages.size()));
        }
        return new Scenario.SocketSpec(path, name, timeout, messages);
    }

    private static Scenario.SocketMessage message(YamlNode node, int index) {
        Map<String, YamlNode> fields = node.object(MESSAGE_KEYS);
        boolean send = fields.containsKey("send");
        if (send == fields.containsKey("receive")) {
            throw node.error("a message has either 'send: TEXT' or 'receive: NAME'");
        }
        if (!send && fields.containsKey("name")) {
            throw fields.get("name").error("a 'receive' message is named by its value");
        }
        String name = send
                ? (fields.containsKey("name") ? fields.get("name").text() : "message " + (index + 1))
                : fields.get("receive").text();
        String text = send ? fields.get("send").text() : null;
        Scenario.ReplySpec reply = fields.containsKey("reply") ? reply(fields.get("reply")) : Scenario.ReplySpec.next();
        Duration timeout = fields.containsKey("timeout") ? positive(fields.get("timeout")) : null;
        return new Scenario.SocketMessage(name, text, reply, timeout);
    }

    private static Scenario.ReplySpec reply(YamlNode node) {
        Map<String, YamlNode> fields = node.object(REPLY_KEYS);
        String contains = fields.containsKey("contains") ? fields.get("contains").text() : null;
        Map<String, String> json = fields.containsKey("json") ? PlanFile.stringMap(fields.get("json")) : Map.of();
        for (String pointer : json.keySet()) {
            if (!pointer.startsWith("/")) {
                throw fields.get("json").error("JSON field '" + pointer + "' must be a JSON Pointer such as /" + pointer);
            }
        }
        return new Scenario.ReplySpec(contains, json);
    }

    private static Scenario.EventsSpec events(YamlNode item, Map<String, YamlNode> fields, String path, String name,
                                              Duration timeout) {
        String until = fields.containsKey("until") ? fields.get("until").text() : null;
        int events = fields.containsKey("events") ? PlanFile.nonNegative(fields.get("events")) : (until == null ? 1 : 0);
        if (events == 0 && until == null) {
            throw fields.get("events").error("reads nothing: give events: N (1 or more) or until: TYPE");
        }
        return new Scenario.EventsSpec(path, name, timeout, events, until);
    }

    private static String path(YamlNode node) {
        String path = node.text();
        if (!path.startsWith("/")) {
            throw node.error("path must start with '/', got '" + path + "'");
        }
        return path;
    }

    private static Duration positive(YamlNode node) {
        Duration d = PlanFile.duration(node);
        if (d.isZero()) {
            throw node.error("must be more than 0, got " + node.text());
        }
        return d;
    }
}
