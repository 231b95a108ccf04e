package io.stampede.http;

import io.stampede.api.Message;
import io.stampede.api.Reply;
import io.stampede.api.WebSocket;
import io.stampede.stats.SampleSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A user's WebSocket: opens a {@link SocketLink}, times requests and expectations, and records them
 * under the names {@link WebSocket} documents. Made and used by one user's thread; only a drop is
 * recorded from the client's thread.
 */
final class UserWebSocket implements WebSocket {

    static final String METHOD = "WS";

    private final String name;
    private final SampleSink sink;
    private final Consumer<AutoCloseable> onClose;
    private Duration timeout;
    private SocketLink link;
    private String connectError;
    private volatile long openedAt;

    private UserWebSocket(String name, SampleSink sink, Duration timeout, Consumer<AutoCloseable> onClose) {
        this.name = name;
        this.sink = sink;
        this.timeout = timeout;
        this.onClose = onClose;
    }

    /** Opens a socket and records the handshake as {@code WS connect:name}. */
    static UserWebSocket open(URI uri, String name, Map<String, String> headers, HttpOptions options, SampleSink sink,
                              Consumer<AutoCloseable> onClose) {
        UserWebSocket ws = new UserWebSocket(name, sink, options.responseTimeout(), onClose);
        HttpClient client = SocketClients.forUri(uri, options); // the process's first builds the client: not the service's time
        long start = System.nanoTime();
        sink.started(start);
        ws.openedAt = start;
        try {
            String refusal = SocketClients.connectToRefusal(uri, options);
            if (refusal != null) {
                ws.connectError = refusal;
            } else {
                ws.link = SocketLink.open(uri, headers, client, options.connectTimeout(), ws::dropped);
            }
        } catch (CancellationException stopped) {
            sink.cancelled(System.nanoTime());
            throw stopped;
        } catch (ExecutionException e) {
            ws.connectError = ErrorNames.socketFailure(e, options.connectTimeout());
        } catch (TimeoutException e) {
            ws.connectError = "handshake timeout (" + ErrorNames.seconds(options.connectTimeout().multipliedBy(2)) + ")";
        }
        long end = System.nanoTime();
        sink.record(METHOD, "connect:" + name, (end - start) / 1_000, 0, ws.connectError, end);
        return ws;
    }

    @Override
    public Message request(String messageName, String text, Reply reply) {
        if (link == null) {
            return new Message(null, 0, "not connected: " + connectError);
        }
        long start = System.nanoTime();
        sink.started(start);
        long mark = link.inbox.mark();
        Duration wait = reply.timeout() == null ? timeout : reply.timeout();
        String error;
        try {
            error = link.send(text, wait);
        } catch (InterruptedException stopped) {
            throw stopped(stopped);
        }
        return error != null
                ? recorded("send:" + messageName, start, null, error)
                : await("send:" + messageName, start, mark, reply, wait);
    }

    @Override
    public Message expect(String messageName, Reply reply) {
        if (link == null) {
            return new Message(null, 0, "not connected: " + connectError);
        }
        long start = System.nanoTime();
        sink.started(start);
        return await("receive:" + messageName, start, 0, reply, reply.timeout() == null ? timeout : reply.timeout());
    }

    private Message await(String sample, long start, long fromSeq, Reply reply, Duration wait) {
        Inbox.Arrival<String> got;
        try {
            got = link.inbox.take(fromSeq, reply::matches, start + wait.toNanos());
        } catch (InterruptedException stopped) {
            throw stopped(stopped);
        }
        if (got != null) {
            return recorded(sample, start, got, null);
        }
        String error = link.inbox.ended() ? link.endedReason() : "reply timeout (" + ErrorNames.seconds(wait) + ")";
        return recorded(sample, start, null, error);
    }

    private Message recorded(String sample, long start, Inbox.Arrival<String> got, String error) {
        long end = got == null ? System.nanoTime() : got.nanoTime();
        long micros = Math.max(0, end - start) / 1_000;
        String text = got == null ? null : got.value();
        long bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        sink.record(METHOD, sample, micros, bytes, error, end);
        return new Message(text, micros, error);
    }

    @Override
    public void send(String text) {
        if (link == null) {
            return;
        }
        long start = System.nanoTime();
        String error;
        try {
            error = link.send(text, timeout);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            throw new CancellationException("user stopped");
        }
        if (error != null) {
            long end = System.nanoTime();
            sink.record(METHOD, "send:" + name, (end - start) / 1_000, 0, error, end);
        }
    }

    /** A connection that ended without the user: one failure, timed by how long it had lived. */
    private void dropped(String reason) {
        long end = System.nanoTime();
        sink.record(METHOD, "drop:" + name, (end - openedAt) / 1_000, 0, reason, end);
    }

    private CancellationException stopped(InterruptedException e) {
        sink.cancelled(System.nanoTime());
        Thread.currentThread().interrupt();
        return new CancellationException("user stopped");
    }

    @Override
    public boolean isOpen() {
        return link != null && !link.inbox.ended();
    }

    @Override
    public String error() {
        if (link == null) {
            return connectError;
        }
        return link.inbox.endReason();
    }

    @Override
    public WebSocket timeout(Duration newTimeout) {
        if (newTimeout.isNegative() || newTimeout.isZero()) {
            throw new IllegalArgumentException("a timeout must be positive, got " + newTimeout);
        }
        this.timeout = newTimeout;
        return this;
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
        onClose.accept(this);
    }
}
