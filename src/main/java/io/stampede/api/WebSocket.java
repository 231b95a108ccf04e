package io.stampede.api;

import java.time.Duration;

/**
 * One user's WebSocket connection, opened by {@link HttpSession#websocket(String)}: blocking calls
 * that suit a user's virtual thread. What it records, with {@code NAME} the socket's name (its path
 * by default) and {@code MSG} a message's name:
 *
 * <ul>
 *   <li>{@code WS connect:NAME}: the handshake, or why it failed ({@code handshake refused (HTTP 403)},
 *       {@code connection refused});</li>
 *   <li>{@code WS send:MSG}: from a {@link #request request}'s send to the reply that matches its
 *       {@link Reply}, or {@code reply timeout (5 s)}, {@code connection dropped: ...};</li>
 *   <li>{@code WS receive:MSG}: from an {@link #expect expect}'s start to the matching message;</li>
 *   <li>{@code WS drop:NAME}: a connection that ended without this user closing it (reset, closed
 *       by the service), a failure whose time is how long the connection had lived.</li>
 * </ul>
 *
 * <pre>{@code
 * try (WebSocket ws = http().websocket("/chat")) {
 *     ws.request("join", "{\"op\":\"join\",\"id\":1}", Reply.jsonField("/id", "1"));
 *     ws.request("echo", "hello");                          // the next message is the reply
 *     ws.expect("tick", Reply.containing("tick"));          // a message the service pushes
 * }
 * }</pre>
 *
 * After a failed handshake every call returns a failed {@link Message} without recording again.
 * Not thread-safe: one user, one thread.
 */
public interface WebSocket extends AutoCloseable {

    /** Sends a text message and waits for the next message, timed as {@code WS send:name}. */
    default Message request(String name, String text) {
        return request(name, text, Reply.next());
    }

    /** Sends a text message and waits for the message {@code reply} accepts, timed as {@code WS send:name}. */
    Message request(String name, String text, Reply reply);

    /**
     * Waits for a message {@code reply} accepts, among those not yet taken (including ones that
     * arrived before the call), timed from the call as {@code WS receive:name}.
     */
    Message expect(String name, Reply reply);

    /** Sends a text message and waits for nothing; nothing is recorded unless the send fails. */
    void send(String text);

    /** Whether the connection is open: the handshake succeeded and nothing closed it since. */
    boolean isOpen();

    /** Why the connection is not open ({@code null} while it is, or after {@link #close()}). */
    String error();

    /** How long {@link #request} and {@link #expect} wait when their {@link Reply} says nothing. */
    WebSocket timeout(Duration timeout);

    /** Closes the connection (a close frame, then the socket); not a failure. */
    @Override
    void close();
}
