package io.stampede.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A finished request as the scenario sees it. A request that failed on the wire (refused, reset,
 * timed out) still returns a response, with status 0 and {@link #error()} saying what happened, so a
 * scenario never has to catch exceptions.
 */
public final class Response {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final byte[] body;
    private final Map<String, List<String>> headers;
    private final long latencyMicros;
    private String error;
    private JsonNode json;

    /** Made by the HTTP session; header names are lower case. */
    public Response(int status, byte[] body, Map<String, List<String>> headers, long latencyMicros, String error) {
        this.status = status;
        this.body = body;
        this.headers = headers;
        this.latencyMicros = latencyMicros;
        this.error = error;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    /** The body decoded as UTF-8. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (case-insensitive name), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body parsed as JSON; throws {@link IllegalStateException} when it is not JSON. */
    public JsonNode json() {
        if (json == null) {
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("body is not JSON");
            }
            if (json == null || json.isMissingNode()) {
                throw new IllegalStateException("body is not JSON");
            }
        }
        return json;
    }

    public double latencyMillis() {
        return latencyMicros / 1000.0;
    }

    /** {@code true} when the request was recorded as a success. */
    public boolean ok() {
        return error == null;
    }

    /** Why the request was recorded as a failure, or {@code null}. */
    public String error() {
        return error;
    }

    /** Used by the session when a check fails after the response arrived. */
    public void markFailed(String reason) {
        if (error == null) {
            error = reason;
        }
    }
}
