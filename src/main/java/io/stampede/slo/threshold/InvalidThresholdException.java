package io.stampede.slo.threshold;

import java.util.Optional;

/**
 * A threshold that cannot be read: unknown metric, aggregation or tag, a malformed expression, a
 * bad key in the object form. The message says what is wrong and what would be valid, and never
 * names a file: the plan reader prefixes {@code file:line:column}.
 *
 * <p>Syntax errors point at the offending character, echoed under the message with a caret:
 *
 * <pre>
 * 'p(95)&lt;&lt;500': unexpected '&lt;' at position 7
 *  p(95)&lt;&lt;500
 *        ^ expected a number
 * </pre>
 *
 * It is an {@link IllegalArgumentException}, so callers that already translate those into
 * "bad input" need nothing new.
 */
public final class InvalidThresholdException extends IllegalArgumentException {

    private final int position;
    /** The object form's key the error is about ({@code abortOnFail}...), or null: a reader points there. */
    private final String field;

    InvalidThresholdException(String message) {
        this(message, 0, null);
    }

    private InvalidThresholdException(String message, int position, String field) {
        super(message);
        this.position = position;
        this.field = field;
    }

    /** This error, as about the object form's key {@code name}: where a plan reader should point. */
    InvalidThresholdException inField(String name) {
        return new InvalidThresholdException(getMessage(), position, name);
    }

    /**
     * A syntax error at {@code index} (0-based) of {@code text}, shown with a caret.
     *
     * @param problem what was found, e.g. {@code unexpected '<'}
     * @param hint    what was expected, printed after the caret; may be empty
     */
    static InvalidThresholdException at(String text, int index, String problem, String hint) {
        String echo = text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        String message = "'" + text + "': " + problem + " at position " + (index + 1) + "\n"
                + " " + echo + "\n"
                + " " + " ".repeat(index) + "^" + (hint.isEmpty() ? "" : " " + hint);
        return new InvalidThresholdException(message, index + 1, null);
    }

    /** {@code unexpected 'c'} for the character at {@code index}, or {@code unexpected end} past the text. */
    static InvalidThresholdException unexpected(String text, int index, String hint) {
        String problem = index >= text.length() ? "unexpected end" : "unexpected '" + text.charAt(index) + "'";
        return at(text, index, problem, hint);
    }

    /** Where the error is, 1-based within the expression or metric key; 0 when it is not about one character. */
    public int position() {
        return position;
    }

    /** The object form's key the error is about, so a plan reader can point at that key's line, not the object's. */
    public Optional<String> field() {
        return java.util.Optional.ofNullable(field);
    }
}
