package io.stampede.engine;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.stampede.api.WaitTime;
import io.stampede.http.HttpProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Users declared in a plan ({@code users:}, {@code tasks:}) as a coordinator sends them to a
 * networked worker: records of the wire's own, so {@link Scenario}'s types can change without
 * changing the protocol, and a worker builds from them the same user types a one-process run does
 * ({@link UserTypes#fromSpec}). Durations go as nanoseconds, exact.
 */
final class ClusterUsers {

    private ClusterUsers() {
    }

    record User(String name, int weight, Wait waitTime, boolean sequential, List<Task> tasks) {
    }

    /** Locust's wait times: {@link WaitTime}'s closed set. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Wait.Between.class, name = "between"),
            @JsonSubTypes.Type(value = Wait.Constant.class, name = "constant"),
            @JsonSubTypes.Type(value = Wait.Pacing.class, name = "pacing")})
    sealed interface Wait {
        record Between(long minNanos, long maxNanos) implements Wait {
        }

        record Constant(long nanos) implements Wait {
        }

        record Pacing(long periodNanos) implements Wait {
        }

        static Wait of(WaitTime wait) {
            return switch (wait) {
                case WaitTime.Between b -> new Between(b.min().toNanos(), b.max().toNanos());
                case WaitTime.Constant c -> new Constant(c.duration().toNanos());
                case WaitTime.ConstantPacing p -> new Pacing(p.period().toNanos());
            };
        }

        default WaitTime waitTime() {
            return switch (this) {
                case Between b -> WaitTime.between(Duration.ofNanos(b.minNanos()), Duration.ofNanos(b.maxNanos()));
                case Constant c -> WaitTime.constant(Duration.ofNanos(c.nanos()));
                case Pacing p -> WaitTime.constantPacing(Duration.ofNanos(p.periodNanos()));
            };
        }
    }

    record Task(String name, int weight, Set<String> tags, List<Step> steps) {
    }

    /** A request, a batch of them, a WebSocket session or an event-stream subscription; timeouts null for the run's. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Request.class, name = "request"),
            @JsonSubTypes.Type(value = Batch.class, name = "batch"),
            @JsonSubTypes.Type(value = Socket.class, name = "websocket"),
            @JsonSubTypes.Type(value = Events.class, name = "events")})
    sealed interface Step {
    }

    /** {@code version} null: the user's own HTTP version. */
    record Request(String method, String path, String name, Map<String, String> headers, String body, Expect expect,
                   HttpProtocol version) implements Step {
    }

    /** Requests sent at once ({@code batch:}). */
    record Batch(List<Request> requests) implements Step {
    }

    record Expect(List<Integer> status, String bodyContains, Map<String, String> json) {
    }

    record Socket(String path, String name, Long timeoutNanos, List<SocketMessage> messages) implements Step {
    }

    record SocketMessage(String name, String send, ReplyMatch reply, Long timeoutNanos) {
    }

    record ReplyMatch(String contains, Map<String, String> json) {
    }

    record Events(String path, String name, Long timeoutNanos, int events, String until) implements Step {
    }

    static List<User> of(Scenario.Declared declared) {
        return declared.users().stream().map(u -> new User(u.name(), u.weight(), Wait.of(u.waitTime()),
                u.sequential(), u.tasks().stream().map(t -> new Task(t.name(), t.weight(), t.tags(),
                        t.steps().stream().map(ClusterUsers::step).toList())).toList())).toList();
    }

    /** The plan's users again, as the plan file made them. */
    static Scenario.Declared declared(List<User> users) {
        return new Scenario.Declared(users.stream().map(u -> new Scenario.UserSpec(u.name(), u.weight(), u.waitTime().waitTime(),
                u.sequential(), u.tasks().stream().map(t -> new Scenario.TaskSpec(t.name(), t.weight(), t.tags(),
                        t.steps().stream().map(ClusterUsers::spec).toList())).toList())).toList());
    }

    private static Step step(Scenario.Step step) {
        return switch (step) {
            case Scenario.RequestSpec r -> request(r);
            case Scenario.BatchSpec b -> new Batch(b.requests().stream().map(ClusterUsers::request).toList());
            case Scenario.SocketSpec s -> new Socket(s.path(), s.name(), nanos(s.timeout()), s.messages().stream()
                    .map(m -> new SocketMessage(m.name(), m.send(), new ReplyMatch(m.reply().contains(), m.reply().json()),
                            nanos(m.timeout()))).toList());
            case Scenario.EventsSpec e -> new Events(e.path(), e.name(), nanos(e.timeout()), e.events(), e.until());
        };
    }

    private static Scenario.Step spec(Step step) {
        return switch (step) {
            case Request r -> requestSpec(r);
            case Batch b -> new Scenario.BatchSpec(b.requests().stream().map(ClusterUsers::requestSpec).toList());
            case Socket s -> new Scenario.SocketSpec(s.path(), s.name(), duration(s.timeoutNanos()), s.messages().stream()
                    .map(m -> new Scenario.SocketMessage(m.name(), m.send(),
                            new Scenario.ReplySpec(m.reply().contains(), m.reply().json()), duration(m.timeoutNanos())))
                    .toList());
            case Events e -> new Scenario.EventsSpec(e.path(), e.name(), duration(e.timeoutNanos()), e.events(), e.until());
        };
    }

    private static Request request(Scenario.RequestSpec r) {
        return new Request(r.method(), r.path(), r.name(), r.headers(), r.body(),
                new Expect(r.expect().status(), r.expect().bodyContains(), r.expect().json()), r.version());
    }

    private static Scenario.RequestSpec requestSpec(Request r) {
        return new Scenario.RequestSpec(r.method(), r.path(), r.name(), r.headers(), r.body(),
                new Scenario.Expect(r.expect().status(), r.expect().bodyContains(), r.expect().json()), r.version());
    }

    private static Long nanos(Duration duration) {
        return duration == null ? null : duration.toNanos();
    }

    private static Duration duration(Long nanos) {
        return nanos == null ? null : Duration.ofNanos(nanos);
    }
}
