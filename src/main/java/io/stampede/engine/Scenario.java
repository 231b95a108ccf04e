package io.stampede.engine;

import io.stampede.api.WaitTime;
import java.nio.file.Path;
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

    /** A task: one request, or several in sequence (a flow). */
    record TaskSpec(String name, int weight, Set<String> tags, List<RequestSpec> steps) {
        public TaskSpec {
            tags = Set.copyOf(tags);
            steps = List.copyOf(steps);
        }
    }

    /** One request and what its response must satisfy. */
    record RequestSpec(String method, String path, String name, Map<String, String> headers, String body,
                       Expect expect) {
        public RequestSpec {
            headers = Map.copyOf(headers);
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
