package io.stampede.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One server-sent event as the scenario sees it, or what went wrong while waiting for it.
 *
 * @param type          the {@code event:} field ({@code message} when absent), {@code null} on failure
 * @param data          the {@code data:} lines joined by newlines, {@code null} on failure
 * @param id            the {@code id:} field, or {@code null}
 * @param latencyMicros the time this event's sample recorded
 * @param error         {@code null} for a success, otherwise the failure recorded
 */
public record ServerEvent(String type, String data, String id, long latencyMicros, String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean ok() {
        return error == null;
    }

    public double latencyMillis() {
        return latencyMicros / 1000.0;
    }

    /** The data parsed as JSON; throws {@link IllegalStateException} when it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode node = data == null ? null : JSON.readTree(data);
            if (node == null || node.isMissingNode()) {
                throw new IllegalStateException("event data is not JSON");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("event data is not JSON");
        }
    }
}
