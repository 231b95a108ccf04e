package io.stampede.prometheus;

/**
 * A query that got no result, with a message for the user that names the server and, when
 * Prometheus refused the query, Prometheus's own words ({@code 1:5: parse error: ...}).
 */
public final class PrometheusException extends Exception {

    /** Why: lets a caller tell bad input (exit 2) from a server it cannot use (exit 3). */
    public enum Reason {
        /** No connection, or no answer in time. */
        UNREACHABLE,
        /** Prometheus answered with an error about the query: syntax ({@code bad_data}), execution, timeout. */
        REFUSED,
        /** Something answered, but not Prometheus's API (another server on that port, a proxy's error page). */
        NOT_PROMETHEUS
    }

    private final Reason reason;
    private final String errorType;

    PrometheusException(Reason reason, String errorType, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errorType = errorType;
    }

    public Reason reason() {
        return reason;
    }

    /** Prometheus's {@code errorType} ({@code bad_data}, {@code execution}, {@code timeout}, ...), or empty. */
    public String errorType() {
        return errorType;
    }
}
