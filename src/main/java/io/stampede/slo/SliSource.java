package io.stampede.slo;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an SLI's good and total events come from; summary.json writes the words. */
public enum SliSource {
    /** The run's own requests, as the users saw them. */
    USERS("users"),
    /** A server-side SLI: counters read from Prometheus with PromQL. */
    PROMETHEUS("prometheus");

    private final String text;

    SliSource(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
