package io.stampede.stats;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The parts of one request's time, in the order they happen, as k6 splits them: opening the TCP
 * connection, the TLS handshake, writing the request, waiting for the first byte of the response,
 * reading the rest. A kept-alive connection's reuse has 0 for the first two.
 */
public enum Phase {
    CONNECTING("connecting"),
    TLS_HANDSHAKING("tlsHandshaking"),
    SENDING("sending"),
    WAITING("waiting"),
    RECEIVING("receiving");

    /** {@link #values()} without the copy each call makes: read on every request. Not to be modified. */
    static final Phase[] ALL = values();
    public static final int COUNT = ALL.length;

    private final String json;

    Phase(String json) {
        this.json = json;
    }

    /** The name in summary.json and on the wire: {@code tlsHandshaking}. */
    @JsonValue
    public String json() {
        return json;
    }
}
