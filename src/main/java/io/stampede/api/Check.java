package io.stampede.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A condition on a response; a request whose check fails is recorded as a failure with the check's
 * message. Without a {@link #status} check, any status of 400 or above is a failure (Locust's rule).
 *
 * <pre>{@code
 * http().get("/health", Check.status(200), Check.bodyContains("OK"));
 * http().get("/item/42", Check.jsonField("/id", "42"));
 * }</pre>
 */
@FunctionalInterface
public interface Check {

    /** Returns {@code null} when the response passes, otherwise why it failed. */
    String verify(Response response);

    /** The status must be one of {@code expected}; replaces the default "status below 400" rule. */
    static Check status(int... expected) {
        return new Status(expected.clone());
    }

    static Check bodyContains(String text) {
        Objects.requireNonNull(text, "text");
        return response -> response.text().contains(text)
                ? null : "body does not contain '" + abbreviate(text) + "'";
    }

    static Check bodyEquals(String text) {
        Objects.requireNonNull(text, "text");
        return response -> response.text().equals(text)
                ? null : "body is not '" + abbreviate(text) + "'";
    }

    /**
     * The JSON body must have {@code expected} (compared as text) at a JSON Pointer such as
     * {@code /user/id}; {@code expected == null} only requires the field to exist.
     */
    static Check jsonField(String pointer, String expected) {
        return response -> {
            JsonNode node;
            try {
                node = response.json().at(pointer);
            } catch (IllegalStateException notJson) {
                return notJson.getMessage();
            }
            if (node.isMissingNode()) {
                return "JSON field " + pointer + " is missing";
            }
            if (expected != null && !expected.equals(node.asText())) {
                return "JSON field " + pointer + " is '" + abbreviate(node.asText()) + "', expected '" + expected + "'";
            }
            return null;
        };
    }

    /** The status check, a type of its own so the session knows the default rule is replaced. */
    record Status(int[] expected) implements Check {
        @Override
        public String verify(Response response) {
            for (int status : expected) {
                if (response.status() == status) {
                    return null;
                }
            }
            return "status " + response.status() + ", expected "
                    + Arrays.stream(expected).mapToObj(Integer::toString).collect(Collectors.joining(" or "));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
