package io.stampede.http;

import java.io.IOException;

/** A TLS service chose another protocol than HTTP/2 in ALPN, when the plan asks for HTTP/2 only. */
final class NotNegotiated extends IOException {

    /** The failure's name in the statistics: one row whatever the service picked. */
    static final String NAME = "server did not negotiate HTTP/2";

    NotNegotiated(String chosen) {
        super(NAME + " (ALPN: " + (chosen == null || chosen.isEmpty() ? "none" : chosen) + ")");
    }
}
