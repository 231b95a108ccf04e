package io.stampede.slo.threshold;

import io.stampede.stats.Phase;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The k6 built-in metrics Stampede can judge, under their k6 names, so k6 thresholds paste as they
 * are. Durations are in milliseconds, as in k6.
 */
public enum Metric {
    /** Request latency; Stampede measures it from the intended start in the open model. */
    HTTP_REQ_DURATION("http_req_duration", MetricType.TREND),
    /** Share of failed requests, from 0 to 1. */
    HTTP_REQ_FAILED("http_req_failed", MetricType.RATE),
    /** Requests made; {@code rate} is per second of the run. */
    HTTP_REQS("http_reqs", MetricType.COUNTER),
    /** Opening the TCP connection; 0 for a request on a kept-alive connection. */
    HTTP_REQ_CONNECTING("http_req_connecting", Phase.CONNECTING),
    /** The TLS handshake; 0 for plain HTTP and on a kept-alive connection. */
    HTTP_REQ_TLS_HANDSHAKING("http_req_tls_handshaking", Phase.TLS_HANDSHAKING),
    /** Writing the request. */
    HTTP_REQ_SENDING("http_req_sending", Phase.SENDING),
    /** From the request written to the first byte of the response (time to first byte). */
    HTTP_REQ_WAITING("http_req_waiting", Phase.WAITING),
    /** From the first byte of the response to its last. */
    HTTP_REQ_RECEIVING("http_req_receiving", Phase.RECEIVING);

    /**
     * k6 built-ins Stampede does not record, named as such in the error rather than as typos.
     * {@code http_req_blocked} (waiting for a free connection) has nothing to measure: each user owns
     * its connection and never waits for one.
     */
    private static final Set<String> K6_ONLY = Set.of("checks", "data_received", "data_sent",
            "dropped_iterations", "group_duration", "http_req_blocked",
            "iteration_duration", "iterations", "vus", "vus_max");

    private final String k6Name;
    private final MetricType type;
    private final Phase phase;

    Metric(String k6Name, MetricType type) {
        this.k6Name = k6Name;
        this.type = type;
        this.phase = null;
    }

    /** A phase of the requests' time: a trend in milliseconds. */
    Metric(String k6Name, Phase phase) {
        this.k6Name = k6Name;
        this.type = MetricType.TREND;
        this.phase = phase;
    }

    /** The phase of a request's time this metric is, empty for the others. */
    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    public String k6Name() {
        return k6Name;
    }

    public MetricType type() {
        return type;
    }

    /** The metric's names as listed in error messages: {@code http_req_duration, http_req_failed, http_reqs, ...}. */
    public static String validNames() {
        return Arrays.stream(values()).map(Metric::k6Name).collect(Collectors.joining(", "));
    }

    /**
     * The metric called {@code name} in k6.
     *
     * @throws InvalidThresholdException naming the metric and listing the valid ones
     */
    public static Metric named(String name) {
        for (Metric metric : values()) {
            if (metric.k6Name.equals(name)) {
                return metric;
            }
        }
        if (K6_ONLY.contains(name)) {
            throw new InvalidThresholdException("metric '" + name + "' is a k6 metric that Stampede does not record;"
                    + " valid metrics: " + validNames());
        }
        throw new InvalidThresholdException("unknown metric '" + name + "'; valid metrics: " + validNames());
    }
}
