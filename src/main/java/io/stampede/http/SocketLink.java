package io.stampede.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One open connection of the JDK's {@link WebSocket}: its listener puts whole text messages in an
 * {@link Inbox} with their arrival time (taken on the client's thread, so a busy user thread does
 * not lengthen a reply's time), and reports once how the connection ended.
 */
final class SocketLink implements WebSocket.Listener {

    /** How long a close waits for the service's close frame before the socket is dropped. */
    static final long CLOSE_WAIT_MILLIS = 1_000;

    final Inbox<String> inbox = new Inbox<>();
    private final Consumer<String> onDrop;
    private final Duration connectTimeout;
    private final StringBuilder partial = new StringBuilder(); // the listener's thread only
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile WebSocket socket;
    private volatile boolean closing;

    private SocketLink(Duration connectTimeout, Consumer<String> onDrop) {
        this.connectTimeout = connectTimeout;
        this.onDrop = onDrop;
    }

    /**
     * Opens a connection; throws what the handshake failed with ({@link ExecutionException} with the
     * cause, {@link TimeoutException}), or {@link CancellationException} when the user is stopped.
     *
     * @param onDrop told once, on the client's thread, why the connection ended without {@link #close()}
     */
    static SocketLink open(URI uri, Map<String, String> headers, HttpClient client, Duration connectTimeout,
                           Consumer<String> onDrop)
            throws ExecutionException, TimeoutException {
        SocketLink link = new SocketLink(connectTimeout, onDrop);
        WebSocket.Builder builder = client.newWebSocketBuilder()
                .connectTimeout(connectTimeout);
        headers.forEach((name, value) -> {
            try {
                builder.header(name, value);
            } catch (IllegalArgumentException restricted) {
                // Host, Connection, Upgrade and the Sec-WebSocket-* headers are the handshake's own
            }
        });
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, link);
        try {
            // connectTimeout bounds the connect and the handshake; twice that bounds a handshake
            // stuck after the connect (a service that never answers the upgrade).
            link.socket = opening.get(2 * connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return link;
        } catch (InterruptedException stopped) {
            opening.cancel(true);
            opening.thenAccept(WebSocket::abort);
            Thread.currentThread().interrupt();
            throw new CancellationException("user stopped");
        } catch (TimeoutException slow) {
            opening.cancel(true);
            opening.thenAccept(WebSocket::abort);
            throw slow;
        }
    }

    /** Sends one text message; null when sent, otherwise why not. */
    String send(String text, Duration timeout) throws InterruptedException {
        if (inbox.ended()) {
            return endedReason();
        }
        try {
            socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return ErrorNames.socketFailure(e, connectTimeout);
        } catch (TimeoutException e) {
            return "send timeout (" + ErrorNames.seconds(timeout) + ")";
        }
    }

    /** Why the connection cannot be used: how it ended, or that the user closed it. */
    String endedReason() {
        String reason = inbox.endReason();
        return reason == null ? "socket closed" : reason;
    }

    /** Closes: a close frame, the service's answer (briefly), then the socket. Not a drop. */
    void close() {
        closing = true;
        WebSocket open = socket;
        if (open == null || inbox.ended()) {
            if (open != null) {
                open.abort();
            }
            inbox.end(null);
            return;
        }
        try {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "");
            closed.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            open.abort();
            inbox.end(null);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        partial.append(data);
        if (last) {
            inbox.add(partial.toString(), now);
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1); // text is what scenarios match on; binary frames are read and let go
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.countDown();
        ended(closing ? null : "connection closed by the service (code " + statusCode + ")");
        if (!closing) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, ""); // answer it, as the protocol asks
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.countDown();
        ended(closing ? null : ErrorNames.socketFailure(error, connectTimeout));
    }

    private void ended(String reason) {
        if (inbox.end(reason) && reason != null) {
            onDrop.accept(reason);
        }
    }
}
