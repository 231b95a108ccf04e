package io.stampede.slo.threshold;

import java.util.Objects;
import java.util.Optional;

/**
 * The key of a {@code thresholds:} entry: a metric, optionally narrowed by tags in k6's sub-metric
 * syntax. Keys are parsed once and shared by all the expressions listed under them, so an error in
 * the key is reported at the key.
 *
 * <pre>{@code
 * MetricKey key = MetricKey.parse("http_req_duration{name:/health,method:GET}");
 * key.metric();   // HTTP_REQ_DURATION
 * key.filter();   // name /health, method GET
 * }</pre>
 *
 * <p>As in k6, blanks around tag names and values are ignored, as are quotes around them
 * ({@code {name:"/health"}}), and a value may contain {@code :}; it may not contain {@code ,}.
 *
 * @param text   the key as written
 * @param metric the metric it names
 * @param filter the requests it keeps; {@link TagFilter#NONE} without braces
 */
public record MetricKey(String text, Metric metric, TagFilter filter) {

    private static final String TAG_HINT = "expected a tag like name:/health or method:GET";

    public MetricKey {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * Parses a key such as {@code http_req_duration} or {@code http_req_duration{name:/health}}.
     *
     * @throws InvalidThresholdException for an unknown metric (listing the valid ones), an unknown or
     *     repeated tag (listing the valid ones), or malformed braces (with a caret)
     */
    public static MetricKey parse(String text) {
        Objects.requireNonNull(text, "text");
        int open = text.indexOf('{');
        String name = (open < 0 ? text : text.substring(0, open)).strip();
        if (name.isEmpty()) {
            throw InvalidThresholdException.unexpected(text, open < 0 ? text.length() : open, "expected a metric name");
        }
        if (open < 0) {
            int close = text.indexOf('}');
            if (close >= 0) {
                throw InvalidThresholdException.unexpected(text, close, "expected '{' before the tags");
            }
            return new MetricKey(text, Metric.named(name), TagFilter.NONE);
        }
        Metric metric = Metric.named(name);
        return new MetricKey(text, metric, tags(text, open));
    }

    private static TagFilter tags(String text, int open) {
        int end = text.stripTrailing().length();
        int close = text.lastIndexOf('}');
        if (close < open) {
            throw InvalidThresholdException.unexpected(text, text.length(), "expected '}' to close the tags");
        }
        if (close != end - 1) {
            throw InvalidThresholdException.unexpected(text, close + 1 + countBlanks(text, close + 1),
                    "expected nothing after '}'");
        }
        Optional<String> name = Optional.empty();
        Optional<String> method = Optional.empty();
        Optional<String> expected = Optional.empty();
        int start = open + 1;
        while (start <= close) {
            int comma = text.indexOf(',', start);
            int stop = comma < 0 || comma > close ? close : comma;
            String part = text.substring(start, stop);
            int colon = part.indexOf(':');
            if (part.isBlank()) {
                throw InvalidThresholdException.unexpected(text, stop, TAG_HINT);
            }
            if (colon < 0) {
                throw InvalidThresholdException.unexpected(text, stop, "expected ':' and a value");
            }
            String tag = unquote(part.substring(0, colon));
            String value = unquote(part.substring(colon + 1));
            if (tag.isEmpty()) {
                throw InvalidThresholdException.unexpected(text, start + colon, "expected a tag name (" + TagFilter.VALID_TAGS + ")");
            }
            if (value.isEmpty()) {
                throw InvalidThresholdException.unexpected(text, stop, "expected a value after ':'");
            }
            switch (tag) {
                case "name" -> name = once(text, tag, name, value);
                case "method" -> method = once(text, tag, method, value);
                case "expected_response" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new InvalidThresholdException("tag 'expected_response' is true or false, got '" + value
                                + "' in '" + text + "'");
                    }
                    expected = once(text, tag, expected, value);
                }
                default -> throw new InvalidThresholdException("unknown tag '" + tag + "' in '" + text
                        + "'; valid tags: " + TagFilter.VALID_TAGS);
            }
            start = stop + 1;
        }
        return new TagFilter(name, method, expected.map(Boolean::parseBoolean));
    }

    private static Optional<String> once(String text, String tag, Optional<String> previous, String value) {
        if (previous.isPresent()) {
            throw new InvalidThresholdException("tag '" + tag + "' is given twice in '" + text + "'; give each tag once");
        }
        return Optional.of(value);
    }

    /** Like k6: blanks, then any quotes around a tag name or value are dropped. */
    private static String unquote(String s) {
        String t = s.strip();
        int from = 0;
        int to = t.length();
        while (from < to && (t.charAt(from) == '"' || t.charAt(from) == '\'')) {
            from++;
        }
        while (to > from && (t.charAt(to - 1) == '"' || t.charAt(to - 1) == '\'')) {
            to--;
        }
        return t.substring(from, to);
    }

    private static int countBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i - from;
    }

    @Override
    public String toString() {
        return text;
    }
}
