package io.stampede.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which incoming WebSocket message answers a send, and how long to wait for it. The time from the
 * send to that message is the sample; messages that do not match are kept for a later
 * {@link WebSocket#expect}.
 *
 * <pre>{@code
 * ws.request("ping", "{\"id\":7,\"op\":\"ping\"}", Reply.jsonField("/id", "7"));   // correlate by a JSON field
 * ws.request("hello", "hi", Reply.next().within(Duration.ofSeconds(2)));         // the next message, 2 s at most
 * ws.request("quote", "AAPL", Reply.containing("AAPL"));
 * ws.request("odd", "x", Reply.matching(text -> text.length() > 3));
 * }</pre>
 *
 * @param describe what the rule waits for, for failure messages
 * @param test     whether a message's text answers
 * @param timeout  how long to wait; {@code null}: the session's response timeout
 */
public record Reply(String describe, Predicate<String> test, Duration timeout) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Reply {
        Objects.requireNonNull(describe, "describe");
        Objects.requireNonNull(test, "test");
    }

    /** The first message that arrives after the send. */
    public static Reply next() {
        return new Reply("a reply", text -> true, null);
    }

    /** The first message after the send that contains {@code text}. */
    public static Reply containing(String text) {
        Objects.requireNonNull(text, "text");
        return new Reply("a reply containing '" + text + "'", message -> message.contains(text), null);
    }

    /**
     * The first message that is JSON with {@code expected} (compared as text) at a JSON Pointer such
     * as {@code /id}: the usual way to pair a reply with its request when messages interleave.
     */
    public static Reply jsonField(String pointer, String expected) {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(expected, "expected");
        return new Reply("a reply with " + pointer + " = '" + expected + "'", message -> {
            JsonNode at = json(message).at(pointer);
            return !at.isMissingNode() && expected.equals(at.asText());
        }, null);
    }

    /** The first message for which {@code test} is true. */
    public static Reply matching(Predicate<String> test) {
        return new Reply("a matching reply", test, null);
    }

    /** The same rule, waiting at most {@code timeout}. */
    public Reply within(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a reply timeout must be positive, got " + timeout);
        }
        return new Reply(describe, test, timeout);
    }

    /** Whether {@code text} answers; a predicate that throws does not match. */
    public boolean matches(String text) {
        try {
            return test.test(text);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static JsonNode json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException notJson) {
            return JSON.missingNode();
        }
    }
}
