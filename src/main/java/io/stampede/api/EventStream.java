package io.stampede.api;

import java.time.Duration;

/**
 * A subscription to a server-sent event stream ({@code text/event-stream}), opened by
 * {@link HttpSession#events(String)}. What it records, with {@code NAME} the stream's name (its path
 * by default):
 *
 * <ul>
 *   <li>{@code SSE connect:NAME}: from the request to the stream's response headers, or why it
 *       failed ({@code HTTP 404}, {@code not an event stream (text/html)}, {@code connection refused});</li>
 *   <li>{@code SSE event:NAME}: each event {@link #next()} returns, timed from the previous event's
 *       arrival (or the stream's opening): the gaps a subscriber sees; a {@code event timeout (5 s)}
 *       when none comes in time;</li>
 *   <li>{@code SSE await:TYPE}: from an {@link #await} call to the first event of that type;</li>
 *   <li>{@code SSE drop:NAME}: a stream that ended or broke without this user closing it, a
 *       failure whose time is how long the stream had lived.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EventStream prices = http().events("/prices")) {
 *     prices.next();                 // the first event, whatever its type
 *     prices.await("close");         // time to the first "event: close"
 * }
 * }</pre>
 *
 * Not thread-safe: one user, one thread.
 */
public interface EventStream extends AutoCloseable {

    /** The next event of any type, recorded as {@code SSE event:NAME}. */
    ServerEvent next();

    /** The first event of {@code type}, skipping others (not recorded), timed from the call as {@code SSE await:type}. */
    ServerEvent await(String type);

    /** Whether the stream is open. */
    boolean isOpen();

    /** Why the stream is not open ({@code null} while it is, or after {@link #close()}). */
    String error();

    /** How long {@link #next()} and {@link #await} wait for an event; default the session's response timeout. */
    EventStream timeout(Duration timeout);

    /** Ends the subscription; not a failure. */
    @Override
    void close();
}
