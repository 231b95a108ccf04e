package io.stampede.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A WebSocket message as the scenario sees it: the reply a {@link WebSocket#request} waited for,
 * or what went wrong. Like {@link Response}, it never throws for a network problem: a timeout or a
 * dropped connection is a message with {@link #error()} set and no text.
 *
 * @param text          the message's text, or {@code null} when none arrived
 * @param latencyMicros from the send (or the start of the wait) to the message's arrival
 * @param error         {@code null} for a success, otherwise the failure recorded
 */
public record Message(String text, long latencyMicros, String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code true} when a matching message arrived. */
    public boolean ok() {
        return error == null;
    }

    public double latencyMillis() {
        return latencyMicros / 1000.0;
    }

    /** The text parsed as JSON; throws {@link IllegalStateException} when it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode node = text == null ? null : JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalStateException("message is not JSON");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("message is not JSON");
        }
    }
}
