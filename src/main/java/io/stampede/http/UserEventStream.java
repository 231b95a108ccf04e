package io.stampede.http;

import io.stampede.api.EventStream;
import io.stampede.api.ServerEvent;
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
import java.util.function.Predicate;

/**
 * A user's event stream: opens an {@link EventLink}, times events and records them under the names
 * {@link EventStream} documents. Made and used by one user's thread; only a drop is recorded from
 * the client's thread.
 */
final class UserEventStream implements EventStream {

    static final String METHOD = "SSE";

    private final String name;
    private final SampleSink sink;
    private final Consumer<AutoCloseable> onClose;
    private Duration timeout;
    private EventLink link;
    private String connectError;
    private volatile long openedAt;
    /** When the last event {@link #next()} returned arrived: the next one's gap starts there. */
    private long lastArrival;

    private UserEventStream(String name, SampleSink sink, Duration timeout, Consumer<AutoCloseable> onClose) {
        this.name = name;
        this.sink = sink;
        this.timeout = timeout;
        this.onClose = onClose;
    }

    /** Subscribes and records the time to the response head as {@code SSE connect:name}. */
    static UserEventStream open(URI uri, String name, Map<String, String> headers, HttpOptions options, SampleSink sink,
                                Consumer<AutoCloseable> onClose) {
        UserEventStream stream = new UserEventStream(name, sink, options.responseTimeout(), onClose);
        HttpClient client = SocketClients.forUri(uri, options); // the process's first builds the client: not the service's time
        long start = System.nanoTime();
        sink.started(start);
        stream.openedAt = start;
        try {
            String refusal = SocketClients.connectToRefusal(uri, options);
            if (refusal != null) {
                stream.connectError = refusal;
            } else {
                stream.link = EventLink.open(uri, headers, client, options.connectTimeout(), options.responseTimeout(), stream::dropped);
            }
        } catch (CancellationException stopped) {
            sink.cancelled(System.nanoTime());
            throw stopped;
        } catch (ExecutionException e) {
            stream.connectError = ErrorNames.socketFailure(e, options.connectTimeout());
        } catch (TimeoutException e) {
            stream.connectError = "response timeout (" + ErrorNames.seconds(options.responseTimeout()) + ")";
        } catch (EventLink.Refused e) {
            stream.connectError = e.getMessage();
        }
        long end = System.nanoTime();
        stream.lastArrival = end;
        sink.record(METHOD, "connect:" + name, (end - start) / 1_000, 0, stream.connectError, end);
        return stream;
    }

    @Override
    public ServerEvent next() {
        if (link == null) {
            return new ServerEvent(null, null, null, 0, "not connected: " + connectError);
        }
        long start = System.nanoTime();
        sink.started(start);
        Inbox.Arrival<SseParser.Event> got = take(any -> true, start);
        if (got != null) {
            // the gap since the previous event, even when this one waited in the inbox
            long micros = Math.max(0, got.nanoTime() - lastArrival) / 1_000;
            lastArrival = got.nanoTime();
            return recorded("event:" + name, micros, got, null, got.nanoTime());
        }
        long end = System.nanoTime();
        return recorded("event:" + name, (end - start) / 1_000, null, failure(), end);
    }

    @Override
    public ServerEvent await(String type) {
        if (link == null) {
            return new ServerEvent(null, null, null, 0, "not connected: " + connectError);
        }
        long start = System.nanoTime();
        sink.started(start);
        Inbox.Arrival<SseParser.Event> got = take(event -> event.type().equals(type), start);
        if (got != null) {
            long micros = Math.max(0, got.nanoTime() - start) / 1_000;
            lastArrival = got.nanoTime();
            return recorded("await:" + type, micros, got, null, got.nanoTime());
        }
        long end = System.nanoTime();
        return recorded("await:" + type, (end - start) / 1_000, null, failure(), end);
    }

    private Inbox.Arrival<SseParser.Event> take(Predicate<SseParser.Event> test, long start) {
        try {
            return link.inbox.take(0, test, start + timeout.toNanos());
        } catch (InterruptedException stopped) {
            sink.cancelled(System.nanoTime());
            Thread.currentThread().interrupt();
            throw new CancellationException("user stopped");
        }
    }

    private String failure() {
        return link.inbox.ended() ? link.endedReason() : "event timeout (" + ErrorNames.seconds(timeout) + ")";
    }

    private ServerEvent recorded(String sample, long micros, Inbox.Arrival<SseParser.Event> got, String error, long end) {
        SseParser.Event event = got == null ? null : got.value();
        long bytes = event == null ? 0 : event.data().getBytes(StandardCharsets.UTF_8).length;
        sink.record(METHOD, sample, micros, bytes, error, end);
        return event == null ? new ServerEvent(null, null, null, micros, error)
                : new ServerEvent(event.type(), event.data(), event.id(), micros, null);
    }

    /** A stream that ended without the user: one failure, timed by how long it had lived. */
    private void dropped(String reason) {
        long end = System.nanoTime();
        sink.record(METHOD, "drop:" + name, (end - openedAt) / 1_000, 0, reason, end);
    }

    @Override
    public boolean isOpen() {
        return link != null && !link.inbox.ended();
    }

    @Override
    public String error() {
        return link == null ? connectError : link.inbox.endReason();
    }

    @Override
    public EventStream timeout(Duration newTimeout) {
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
