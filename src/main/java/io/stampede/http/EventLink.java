package io.stampede.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One open event stream over the JDK's HTTP client: its lines go through an {@link SseParser} into
 * an {@link Inbox} with each event's arrival time, and it reports once how the stream ended.
 */
final class EventLink implements Flow.Subscriber<String> {

    static final String EVENT_STREAM = "text/event-stream";

    final Inbox<SseParser.Event> inbox = new Inbox<>();
    private final SseParser parser = new SseParser(); // the client's thread only
    private final Duration connectTimeout;
    private final Consumer<String> onDrop;
    private volatile Flow.Subscription subscription;
    private volatile boolean closing;
    private CompletableFuture<HttpResponse<Void>> exchange;

    private EventLink(Duration connectTimeout, Consumer<String> onDrop) {
        this.connectTimeout = connectTimeout;
        this.onDrop = onDrop;
    }

    /** Why a stream could not be opened: a status or content type, not an exception. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Sends the request and waits for the response head, at most {@code headTimeout}; a status other
     * than 200 or a body that is not an event stream is {@link Refused}.
     */
    static EventLink open(URI uri, Map<String, String> headers, HttpClient client, Duration connectTimeout, Duration headTimeout,
                          Consumer<String> onDrop) throws ExecutionException, TimeoutException, Refused {
        EventLink link = new EventLink(connectTimeout, onDrop);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach((name, value) -> {
            try {
                request.header(name, value);
            } catch (IllegalArgumentException restricted) {
                // Host, Connection, Content-Length are the client's own
            }
        });
        request.setHeader("Accept", EVENT_STREAM).setHeader("Cache-Control", "no-cache");
        CompletableFuture<String> head = new CompletableFuture<>();
        link.exchange = client.sendAsync(request.build(), info -> {
            String type = info.headers().firstValue("content-type").orElse("");
            if (info.statusCode() != 200) {
                head.complete("HTTP " + info.statusCode());
                return HttpResponse.BodySubscribers.replacing(null);
            }
            if (!type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
                head.complete("not an event stream (" + (type.isEmpty() ? "no content type" : type) + ")");
                return HttpResponse.BodySubscribers.replacing(null);
            }
            head.complete(null);
            return HttpResponse.BodySubscribers.fromLineSubscriber(link);
        });
        link.exchange.whenComplete((response, failed) -> {
            if (failed != null) {
                head.completeExceptionally(failed);
            }
        });
        try {
            String refused = head.get(headTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (refused != null) {
                link.exchange.cancel(true);
                throw new Refused(refused);
            }
            return link;
        } catch (InterruptedException stopped) {
            link.exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("user stopped");
        } catch (TimeoutException slow) {
            link.exchange.cancel(true);
            throw slow;
        }
    }

    /** Why the stream cannot be read: how it ended, or that the user closed it. */
    String endedReason() {
        String reason = inbox.endReason();
        return reason == null ? "stream closed" : reason;
    }

    /** Ends the subscription and the connection under it. Not a drop. */
    void close() {
        closing = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        exchange.cancel(true);
        inbox.end(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closing) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE); // the inbox bounds what is kept
        }
    }

    @Override
    public void onNext(String line) {
        long now = System.nanoTime();
        SseParser.Event event = parser.line(line);
        if (event != null) {
            inbox.add(event, now);
        }
    }

    @Override
    public void onError(Throwable error) {
        ended(closing ? null : ErrorNames.socketFailure(error, connectTimeout));
    }

    @Override
    public void onComplete() {
        ended(closing ? null : "stream ended by the service");
    }

    private void ended(String reason) {
        if (inbox.end(reason) && reason != null) {
            onDrop.accept(reason);
        }
    }
}
