package io.stampede.chaos.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What one HTTP fault does to the requests that go through an {@link HttpFaultProxy}: answer with
 * an error instead of forwarding, wait before answering or forwarding, or both, on a share of the
 * requests whose path it covers.
 *
 * <pre>{@code
 * HttpFaultSpec.error(503).withRate(0.3).withExcludedPaths("/health")   // 30% of requests get a 503
 * HttpFaultSpec.latency(Duration.ofMillis(300)).withPaths("/item")      // /item and /item/... wait 300 ms
 * HttpFaultSpec.error(500).withFirstN(5)                               // the next 5 requests fail, then none
 * }</pre>
 *
 * <p>Paths (in {@code paths} and {@code excludedPaths}) are matched against the decoded,
 * normalized request path, never the query. {@code /health} covers {@code /health} and everything
 * below it ({@code /health/db}) but not {@code /healthz}; a trailing {@code *} makes a plain
 * prefix ({@code /item*} covers {@code /items} too); {@code /} covers every path. An excluded
 * path is never affected, even when {@code paths} also lists it.
 *
 * @param status        the error to answer (200..599), or {@link #NO_ERROR} to only delay and then forward
 * @param body          the text of the error answer; {@code null} gives a short reason naming the status
 * @param rate          the share of covered requests affected, 0..1 (1 = all)
 * @param paths         the only paths affected; empty = every path
 * @param excludedPaths paths never affected, e.g. {@code /health} so that a health checker keeps its view
 * @param delay         added before answering (with the error) or forwarding (without); zero = none
 * @param firstN        the most requests this fault affects after it is added, then it lets all through; 0 = no limit
 */
public record HttpFaultSpec(
        int status,
        String body,
        double rate,
        List<String> paths,
        List<String> excludedPaths,
        Duration delay,
        long firstN) {

    /** The {@code status} of a fault that only delays. */
    public static final int NO_ERROR = 0;
    /** Longer delays are almost surely a typo (ms for s), and would overflow nanosecond timers far later. */
    public static final Duration MAX_DELAY = Duration.ofHours(1);

    /** Validates every field; messages name the field and the value given. */
    public HttpFaultSpec {
        if (status != NO_ERROR && (status < 200 || status > 599)) {
            throw new IllegalArgumentException("status must be 0 (delay only) or a final HTTP status 200..599, got "
                    + status + (status >= 100 && status < 200 ? " (1xx are interim answers and cannot end a request)" : ""));
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be a share between 0 and 1, got " + rate);
        }
        delay = delay == null ? Duration.ZERO : delay;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        if (delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay must be at most " + MAX_DELAY + ", got " + delay);
        }
        if (firstN < 0) {
            throw new IllegalArgumentException("firstN must not be negative (0 = no limit), got " + firstN);
        }
        if (status == NO_ERROR && delay.isZero()) {
            throw new IllegalArgumentException("status and delay are both empty: a fault needs an error status (200..599) or a delay > 0");
        }
        if (status == NO_ERROR && body != null) {
            throw new IllegalArgumentException("body is the text of an error answer: with status 0 (delay only) there is"
                    + " none, and it would be ignored");
        }
        paths = PathRules.checked("paths", paths);
        excludedPaths = PathRules.checked("excludedPaths", excludedPaths);
        body = body == null ? defaultBody(status) : body;
    }

    /** Every covered request is answered {@code status} (200..599) with a short reason, at once. */
    public static HttpFaultSpec error(int status) {
        return new HttpFaultSpec(status, null, 1, List.of(), List.of(), Duration.ZERO, 0);
    }

    /** Every covered request waits {@code delay}, then goes to the upstream as usual. */
    public static HttpFaultSpec latency(Duration delay) {
        return new HttpFaultSpec(NO_ERROR, null, 1, List.of(), List.of(), delay, 0);
    }

    /** The same fault answering {@code status} (or {@link #NO_ERROR}); a default body follows the status. */
    public HttpFaultSpec withStatus(int status) {
        return new HttpFaultSpec(status, givenBody(), rate, paths, excludedPaths, delay, firstN);
    }

    /** The body as given, or null for the status's default one: a copy keeps the default, not its text. */
    private String givenBody() {
        return body.equals(defaultBody(status)) ? null : body;
    }

    /** The same fault answering {@code body} as its error text. */
    public HttpFaultSpec withBody(String body) {
        return new HttpFaultSpec(status, body, rate, paths, excludedPaths, delay, firstN);
    }

    /** The same fault on a share {@code rate} (0..1) of the covered requests. */
    public HttpFaultSpec withRate(double rate) {
        return new HttpFaultSpec(status, givenBody(), rate, paths, excludedPaths, delay, firstN);
    }

    /** The same fault covering only these paths (see the class comment for the syntax). */
    public HttpFaultSpec withPaths(String... paths) {
        return new HttpFaultSpec(status, givenBody(), rate, Arrays.asList(paths), excludedPaths, delay, firstN);
    }

    /** The same fault never touching these paths (see the class comment for the syntax). */
    public HttpFaultSpec withExcludedPaths(String... excludedPaths) {
        return new HttpFaultSpec(status, givenBody(), rate, paths, Arrays.asList(excludedPaths), delay, firstN);
    }

    /** The same fault adding {@code delay} before it answers or forwards. */
    public HttpFaultSpec withDelay(Duration delay) {
        return new HttpFaultSpec(status, givenBody(), rate, paths, excludedPaths, delay, firstN);
    }

    /** The same fault affecting at most {@code firstN} requests after it is added (0 = no limit). */
    public HttpFaultSpec withFirstN(long firstN) {
        return new HttpFaultSpec(status, givenBody(), rate, paths, excludedPaths, delay, firstN);
    }

    /** Whether this fault answers with an error (rather than only delaying). */
    public boolean injectsError() {
        return status != NO_ERROR;
    }

    /** Whether a request for {@code path} (decoded, without the query) is covered by this fault. */
    public boolean covers(String path) {
        return !PathRules.anyMatches(excludedPaths, path) && (paths.isEmpty() || PathRules.anyMatches(paths, path));
    }

    private static String defaultBody(int status) {
        return status == NO_ERROR ? "" : "fault injected by stampede: " + status + " " + HttpStatus.getMessage(status) + "\n";
    }
}
