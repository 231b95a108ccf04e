package io.stampede.slo.threshold;

import io.stampede.stats.RequestKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests a threshold looks at, from k6's sub-metric syntax {@code metric{tag:value,...}}.
 * Stampede keeps statistics per request name and method, so those are tags: {@code name}
 * matches exactly, {@code method} ignoring case (as the plan's SLO filters do). k6's
 * {@code expected_response:true} (or {@code false}) keeps the successful (or failed) requests
 * only; a failure here is Stampede's (an error, an unexpected status, a failed {@code expect}).
 * An absent tag matches everything.
 *
 * <pre>{@code
 * TagFilter health = new TagFilter(Optional.of("/health"), Optional.empty());
 * health.matches(new RequestKey("GET", "/health"));   // true
 * health.text();                                      // "{name:/health}"
 * }</pre>
 */
public record TagFilter(Optional<String> name, Optional<String> method, Optional<Boolean> expectedResponse) {

    /** The tags a filter may name, as listed in error messages. */
    public static final String VALID_TAGS = "name, method, expected_response";

    /** Matches every request. */
    public static final TagFilter NONE = new TagFilter(Optional.empty(), Optional.empty());

    public TagFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(expectedResponse, "expectedResponse");
    }

    public TagFilter(Optional<String> name, Optional<String> method) {
        this(name, method, Optional.empty());
    }

    public boolean isEmpty() {
        return name.isEmpty() && method.isEmpty() && expectedResponse.isEmpty();
    }

    public boolean matches(RequestKey key) {
        return name.map(key.name()::equals).orElse(true) && method.map(key.method()::equalsIgnoreCase).orElse(true);
    }

    /**
     * Whether at least one of {@code keys} (e.g. {@code RunStats.totals().keySet()}) matches. A filter
     * that matches no request of a run is most likely a typo in the plan; the verdict says so.
     */
    public boolean matchesAny(Collection<RequestKey> keys) {
        return keys.stream().anyMatch(this::matches);
    }

    /** {@code {name:/health,method:GET}}, or the empty string for {@link #NONE}. */
    public String text() {
        if (isEmpty()) {
            return "";
        }
        List<String> tags = new ArrayList<>();
        name.ifPresent(n -> tags.add("name:" + n));
        method.ifPresent(m -> tags.add("method:" + m));
        expectedResponse.ifPresent(e -> tags.add("expected_response:" + e));
        return "{" + String.join(",", tags) + "}";
    }
}
