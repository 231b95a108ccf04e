package io.stampede.engine;

import io.stampede.api.WaitTime;
import io.stampede.http.HttpProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the users do: a Java source file with {@code User} classes, or tasks declared in the plan. */
public sealed interface Scenario {

    /** User classes compiled from one Java source file at start-up. */
    record JavaFile(Path file) implements Scenario {
    }

    /** Users described in the plan file, no code needed. */
    record Declared(List<UserSpec> users) implements Scenario {
        public Declared {
            users = List.copyOf(users);
        }
    }

    /** One kind of declared user. */
    record UserSpec(String name, int weight, WaitTime waitTime, boolean sequential, List<TaskSpec> tasks) {
        public UserSpec {
            tasks = List.copyOf(tasks);
        }
    }

    /** A task: one request, or several in sequence (a flow), or a WebSocket or event-stream session. */
    record TaskSpec(String name, int weight, Set<String> tags, List<Step> steps) {
        public TaskSpec {
            tags = Set.copyOf(tags);
            steps = List.copyOf(steps);
        }
    }

    /** What a task does in turn: a request, a batch of requests, a WebSocket session, an event-stream subscription. */
    sealed interface Step permits RequestSpec, BatchSpec, SocketSpec, EventsSpec {

        /** The names its samples are recorded under (an SLO's filter names one of them). */
        List<String> names();
    }

    /**
     * One request and what its response must satisfy.
     *
     * @param version the HTTP it goes over, or null for the run's ({@code http.version})
     */
    record RequestSpec(String method, String path, String name, Map<String, String> headers, String body,
                       Expect expect, HttpProtocol version) implements Step {
        public RequestSpec {
            headers = Map.copyOf(headers);
        }

        @Override
        public List<String> names() {
            return List.of(name);
        }
    }

    /**
     * Several requests sent at once, as {@code HttpSession.batch} sends them: concurrent streams on
     * one HTTP/2 connection, one after another on HTTP/1.1. Each is recorded under its own name.
     */
    record BatchSpec(List<RequestSpec> requests) implements Step {
        public BatchSpec {
            requests = List.copyOf(requests);
        }

        @Override
        public List<String> names() {
            return requests.stream().map(RequestSpec::name).distinct().toList();
        }
    }

    /**
     * A WebSocket session: open, exchange the messages in order, close. Stops early when the
     * connection is gone (its drop is recorded once).
     *
     * @param timeout how long each reply is awaited; null: the run's response timeout
     */
    record SocketSpec(String path, String name, Duration timeout, List<SocketMessage> messages) implements Step {
        public SocketSpec {
            messages = List.copyOf(messages);
        }

        @Override
        public List<String> names() {
            List<String> names = new ArrayList<>(List.of("connect:" + name, "drop:" + name));
            messages.forEach(m -> names.add((m.send() == null ? "receive:" : "send:") + m.name()));
            return names;
        }
    }

    /**
     * One message of a {@link SocketSpec}: {@code send} then wait for the reply, or, with
     * {@code send} null, wait for a message the service pushes.
     *
     * @param timeout this message's own, or null
     */
    record SocketMessage(String name, String send, ReplySpec reply, Duration timeout) {
    }

    /**
     * Which message answers: all conditions must hold; none means the next message.
     *
     * @param contains text the message must contain, or null
     * @param json     JSON Pointer → expected value as text
     */
    record ReplySpec(String contains, Map<String, String> json) {
        public ReplySpec {
            json = Map.copyOf(json);
        }

        public static ReplySpec next() {
            return new ReplySpec(null, Map.of());
        }
    }

    /**
     * An event-stream subscription: read {@code events} events, then (with {@code until}) wait for
     * the first event of that type, then close.
     *
     * @param timeout how long each event is awaited; null: the run's response timeout
     */
    record EventsSpec(String path, String name, Duration timeout, int events, String until) implements Step {
        @Override
        public List<String> names() {
            List<String> names = new ArrayList<>(List.of("connect:" + name, "event:" + name, "drop:" + name));
            if (until != null) {
                names.add("await:" + until);
            }
            return names;
        }
    }

    /**
     * Conditions on a response; an empty {@code status} list means Locust's rule (below 400 passes).
     *
     * @param bodyContains text the body must contain, or null
     * @param json         JSON Pointer → expected value as text
     */
    record Expect(List<Integer> status, String bodyContains, Map<String, String> json) {
        public Expect {
            status = List.copyOf(status);
            json = Map.copyOf(json);
        }

        public static Expect none() {
            return new Expect(List.of(), null, Map.of());
        }
    }
}
