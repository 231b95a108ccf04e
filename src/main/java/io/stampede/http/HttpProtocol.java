package io.stampede.http;

import java.util.Locale;

/**
 * Which HTTP a user speaks, the plan's {@code http.version}.
 */
public enum HttpProtocol {
    /** HTTP/1.1 on every origin: one kept-alive connection per origin, one request at a time. */
    HTTP_1_1("1.1"),
    /**
     * HTTP/2 on every origin: negotiated in the TLS handshake (ALPN "h2") on {@code https://}, spoken
     * with prior knowledge (h2c) on {@code http://}. A TLS service that does not agree is a failed
     * request, "server did not negotiate HTTP/2".
     */
    HTTP_2("2"),
    /**
     * As browsers and k6 do: offers h2 and http/1.1 in the TLS handshake and speaks what the service
     * picks; {@code http://} origins get HTTP/1.1.
     */
    AUTO("auto");

    private final String written;

    HttpProtocol(String written) {
        this.written = written;
    }

    /** As the plan writes it: "1.1", "2", "auto". */
    public String written() {
        return written;
    }

    /** The value written in a plan, a flag or a scenario; null if it is none of them. */
    public static HttpProtocol parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1.1", "http/1.1", "1" -> HTTP_1_1;
            case "2", "2.0", "h2", "h2c", "http/2" -> HTTP_2;
            case "auto" -> AUTO;
            default -> null;
        };
    }
}
