package io.stampede.stats;

/**
 * Where finished requests go. Called by many user threads at once; implementations must be
 * thread-safe and cheap: this is the hot path of every request.
 */
public interface SampleSink {

    /**
     * Records one request's outcome.
     *
     * @param method        HTTP method, e.g. {@code GET}
     * @param name          the name statistics group by (the path, or a template such as {@code /item/{id}})
     * @param latencyMicros time from the request's start (its intended start in an open model) to the
     *                      last byte of the response, in microseconds
     * @param contentBytes  response body size
     * @param error         {@code null} for a success, otherwise a short readable reason
     */
    void record(String method, String name, long latencyMicros, long contentBytes, String error);

    /**
     * The same, with when the request ended as the caller measured it ({@link System#nanoTime()}):
     * the hot path then reads no clock of its own.
     *
     * @param endNanoTime {@code System.nanoTime()} when the last byte of the response arrived
     */
    default void record(String method, String name, long latencyMicros, long contentBytes, String error, long endNanoTime) {
        record(method, name, latencyMicros, contentBytes, error);
    }

    /**
     * The same, with the request's phase times (connecting, TLS, sending, waiting, receiving).
     *
     * @param phases read during the call only: the caller reuses it for its next request
     */
    default void record(String method, String name, long latencyMicros, long contentBytes, String error, long endNanoTime,
                        PhaseTimes phases) {
        record(method, name, latencyMicros, contentBytes, error, endNanoTime);
    }

    /**
     * A request was sent: it is in flight until its {@link #record} (or {@link #cancelled}). What
     * tells a stalled service (requests waiting, none answered) from users in their think time.
     *
     * @param startNanoTime {@code System.nanoTime()} when it was sent
     */
    default void started(long startNanoTime) {
    }

    /**
     * A request that {@link #started} ended without an outcome to record (its user was stopped while
     * it waited): it is no longer in flight.
     *
     * @param endNanoTime {@code System.nanoTime()} when it ended
     */
    default void cancelled(long endNanoTime) {
    }
}
