package io.stampede.slo.threshold;

import io.stampede.stats.RequestKey;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests a threshold looks at, from k6's sub-metric syntax {@code metric{tag:value,...}}.
 * Stampede keeps statistics per request name and method, so those are the two tags: {@code name}
 * matches exactly, {@code method} ignoring case (as the plan's SLO filters do). An absent tag
 * matches everything.
 *
 * <pre>{@code
 * TagFilter health = new TagFilter(Optional.of("/health"), Optional.empty());
 * health.matches(new RequestKey("GET", "/health"));   // true
 * health.text();                                      // "{name:/health}"
 * }</pre>
 */
public record TagFilter(Optional<String> name, Optional<String> method) {

    /** The tags a filter may name, as listed in error messages. */
    public static final String VALID_TAGS = "name, method";

    /** Matches every request. */
    public static final TagFilter NONE = new TagFilter(Optional.empty(), Optional.empty());

    public TagFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
    }

    public boolean isEmpty() {
        return name.isEmpty() && method.isEmpty();
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
        String tags = name.map(n -> "name:" + n).orElse("")
                + (name.isPresent() && method.isPresent() ? "," : "")
                + method.map(m -> "method:" + m).orElse("");
        return "{" + tags + "}";
    }
}
