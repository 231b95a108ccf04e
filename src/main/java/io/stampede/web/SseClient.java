package io.stampede.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code /api/stream}: a bounded queue drained by its own virtual thread, so the run's
 * listener never waits on a slow browser. A client that falls {@value #QUEUE_MESSAGES} messages
 * behind, or whose write fails or stalls, is dropped; its EventSource reconnects and is replayed.
 */
final class SseClient {

    static final int QUEUE_MESSAGES = 1024;
    static final long KEEP_ALIVE_SECONDS = 15;
    static final long WRITE_TIMEOUT_SECONDS = 10;
    private static final String CLOSE = "";

    private final Response response;
    private final Callback done;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_MESSAGES);
    private volatile boolean closed;

    SseClient(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    /** One SSE message; data is one line (JSON from Jackson never holds a raw newline). */
    static String message(String event, String data) {
        return "event: " + event + "\ndata: " + data.replace("\n", "\ndata: ") + "\n\n";
    }

    void send(String message) {
        if (!closed && !queue.offer(message)) {
            close(); // too slow: drop it rather than hold memory for it
        }
    }

    void close() {
        closed = true;
        queue.clear();
        queue.offer(CLOSE);
    }

    /** Writes until closed or the connection fails; runs on its own virtual thread. */
    void pump(Runnable onEnd) {
        Throwable failure = null;
        try {
            write("retry: 1000\n\n");
            while (!closed) {
                String next = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    next = ": keep-alive\n\n";
                } else if (next == CLOSE) { // identity on purpose: the sentinel instance
                    break;
                }
                write(next);
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            closed = true;
            onEnd.run();
            if (failure == null) {
                Callback.Completable last = new Callback.Completable();
                response.write(true, ByteBuffer.allocate(0), last);
                last.whenComplete((ok, error) -> {
                    if (error == null) {
                        done.succeeded();
                    } else {
                        done.failed(error);
                    }
                });
            } else {
                done.failed(failure);
            }
        }
    }

    private void write(String text) throws Exception {
        Callback.Completable written = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
        written.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
