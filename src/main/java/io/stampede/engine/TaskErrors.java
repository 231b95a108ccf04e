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
    /** A worker process's counts so far, by worker: each message replaces the last. */
    private final ConcurrentHashMap<Integer, Map<String, Long>> remote = new ConcurrentHashMap<>();

    void record(String userType, String task, Throwable error) {
        String key = userType + "." + task + ": " + error.getClass().getName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage().lines().findFirst().orElse(""));
        LongAdder count = counts.get(key);
        if (count == null) {
            count = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    /** A worker process's counts so far (cumulative). */
    void remote(int worker, Map<String, Long> countsSoFar) {
        remote.put(worker, Map.copyOf(countsSoFar));
    }

    /** Occurrences by "UserType.task: exception: message", sorted; in this process and its workers. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, n) -> copy.put(key, n.sum()));
        remote.values().forEach(w -> w.forEach((key, n) -> copy.merge(key, n, Long::sum)));
        return copy;
    }
}
