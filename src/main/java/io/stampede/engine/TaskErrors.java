package io.stampede.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exceptions thrown by scenario code, counted by task and exception (Locust's "Exceptions" tab).
 * A task that throws does not stop its user; the exception is counted and the user goes on.
 */
public final class TaskErrors {

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String userType, String task, Throwable error) {
        String key = userType + "." + task + ": " + error.getClass().getName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage().lines().findFirst().orElse(""));
        LongAdder count = counts.get(key);
        if (count == null) {
            count = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    /** Occurrences by "UserType.task: exception: message", sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, n) -> copy.put(key, n.sum()));
        return copy;
    }
}
