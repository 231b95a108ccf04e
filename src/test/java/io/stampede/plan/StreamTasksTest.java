package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.engine.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamTasksTest {

    @TempDir
    Path dir;

    private static final String HEAD = "host: http://127.0.0.1:5001\ntasks:\n";

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<Scenario.TaskSpec> tasks(String yaml) throws IOException {
        Plan plan = PlanFile.read(write(HEAD + yaml)).toPlan();
        return ((Scenario.Declared) plan.scenario()).users().get(0).tasks();
    }

    private String error(String yaml) throws IOException {
        Path file = write(HEAD + yaml);
        try {
            PlanFile.draft(file).toPlan();
        } catch (StampedeException.BadInput e) {
            assertThat(e.exitCode()).isEqualTo(2);
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected a bad-input error for:\n" + yaml);
    }

    @Test
    void readsAWebSocketTask() throws IOException {
        List<Scenario.TaskSpec> tasks = tasks("""
                  - get: /
                  - websocket: /chat
                    name: chat
                    weight: 2
                    timeout: 5s
                    messages:
                      - { send: hello, name: hello }
                      - { send: '{"id":7}', name: ping, reply: { json: { /id: "7" }, contains: pong }, timeout: 2s }
                      - { receive: tick, reply: { contains: tick } }
                """);
        Scenario.TaskSpec chat = tasks.get(1);
        assertThat(chat.name()).isEqualTo("chat");
        assertThat(chat.weight()).isEqualTo(2);
        Scenario.SocketSpec socket = (Scenario.SocketSpec) chat.steps().get(0);
        assertThat(socket.path()).isEqualTo("/chat");
        assertThat(socket.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(socket.messages()).containsExactly(
                new Scenario.SocketMessage("hello", "hello", Scenario.ReplySpec.next(), null),
                new Scenario.SocketMessage("ping", "{\"id\":7}", new Scenario.ReplySpec("pong", Map.of("/id", "7")),
                        Duration.ofSeconds(2)),
                new Scenario.SocketMessage("tick", null, new Scenario.ReplySpec("tick", Map.of()), null));
        assertThat(socket.names()).containsExactly("connect:chat", "drop:chat", "send:hello", "send:ping", "receive:tick");
    }

    @Test
    void readsAnEventStreamTask() throws IOException {
        List<Scenario.TaskSpec> tasks = tasks("""
                  - { sse: /prices, events: 3, until: close, timeout: 10s }
                  - { sse: /news }
                """);
        assertThat(tasks.get(0).steps()).containsExactly(
                new Scenario.EventsSpec("/prices", "/prices", Duration.ofSeconds(10), 3, "close"));
        assertThat(tasks.get(1).steps()).containsExactly(new Scenario.EventsSpec("/news", "/news", null, 1, null));
    }

    @Test
    void badWebSocketTasksNameFileLineAndField() throws IOException {
        assertThat(error("""
                  - websocket: /chat
                    messages:
                      - { sned: hello }
                """)).isEqualTo("plan.yaml:5:17: tasks[0].messages[0]: unknown key 'sned'; valid keys: send, receive, name, reply, timeout");
        assertThat(error("""
                  - websocket: /chat
                    mesages: [ { send: hi } ]
                """)).isEqualTo("plan.yaml:4:14: tasks[0]: unknown key 'mesages'; valid keys: websocket, name, weight, tags, timeout, messages");
        assertThat(error("""
                  - websocket: chat
                    messages: [ { send: hi } ]
                """)).isEqualTo("plan.yaml:3:16: tasks[0].websocket: path must start with '/', got 'chat'");
        assertThat(error("""
                  - websocket: /chat
                    messages: [ { send: hi, reply: { json: { id: "1" } } } ]
                """)).isEqualTo("plan.yaml:4:44: tasks[0].messages[0].reply.json: JSON field 'id' must be a JSON Pointer such as /id");
        assertThat(error("""
                  - websocket: /chat
                    messages: [ { send: hi, receive: tick } ]
                """)).isEqualTo("plan.yaml:4:17: tasks[0].messages[0]: a message has either 'send: TEXT' or 'receive: NAME'");
        assertThat(error("""
                  - websocket: /chat
                    timeout: 0s
                    messages: [ { send: hi } ]
                """)).isEqualTo("plan.yaml:4:14: tasks[0].timeout: must be more than 0, got 0s");
        assertThat(error("""
                  - websocket: /chat
                """)).isEqualTo("plan.yaml:3:5: tasks[0]: a websocket task needs 'messages' (e.g. messages: [ { send: hello } ])");
    }

    @Test
    void badEventStreamTasksNameFileLineAndField() throws IOException {
        assertThat(error("""
                  - { sse: /prices, event: 3 }
                """)).isEqualTo("plan.yaml:3:28: tasks[0]: unknown key 'event'; valid keys: sse, name, weight, tags, timeout, events, until");
        assertThat(error("""
                  - { sse: /prices, events: 0 }
                """)).isEqualTo("plan.yaml:3:29: tasks[0].events: reads nothing: give events: N (1 or more) or until: TYPE");
    }
}
