package io.stampede.engine;

import io.stampede.api.User;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One kind of user the runner can spawn, whether it came from a Java class or from the plan file.
 *
 * @param name       shown in logs and the UI
 * @param weight     share of the users of this kind
 * @param factory    makes a fresh user instance
 * @param tasks      what it does, already filtered by tags
 * @param sequential run tasks in list order instead of at random by weight
 */
public record UserType(String name, int weight, Supplier<User> factory, List<TaskDef> tasks, boolean sequential) {

    public UserType {
        tasks = List.copyOf(tasks);
    }

    /** A single task. */
    public record TaskDef(String name, int weight, Set<String> tags, Body body) {
        public TaskDef {
            tags = Set.copyOf(tags);
        }
    }

    /** A task's code; may throw anything, which the user loop counts and survives. */
    @FunctionalInterface
    public interface Body {
        void run(User user) throws Throwable;
    }

    /** Keeps the tasks that match the include tags (when any) and none of the exclude tags. */
    public UserType withTags(Set<String> include, Set<String> exclude) {
        List<TaskDef> kept = tasks.stream()
                .filter(t -> include.isEmpty() || t.tags().stream().anyMatch(include::contains))
                .filter(t -> t.tags().stream().noneMatch(exclude::contains))
                .toList();
        return new UserType(name, weight, factory, kept, sequential);
    }
}
