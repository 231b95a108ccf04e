package io.stampede.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/** The event-stream paths; anything else is a 404. */
final class EventStreams extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/events" -> stream(response, callback, SocketLab.MAX_EVENTS);
            case "/events-drop" -> stream(response, callback, 2);
            case "/not-events" -> {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "plain", callback);
            }
            default -> Response.writeError(request, response, callback, 404);
        }
        return true;
    }

    /** Writes {@code count} events a period apart on this thread, then ends the response. */
    private static void stream(Response response, Callback callback, int count) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        try {
            write(response, ": hello\n\n");
            for (int n = 1; n <= count; n++) {
                Thread.sleep(SocketLab.PERIOD_MILLIS);
                String type = n % 5 == 0 ? "five" : "tick";
                write(response, "event: " + type + "\nid: " + n + "\ndata: {\"n\":" + n + "}\n\n");
            }
            callback.succeeded();
        } catch (IOException | InterruptedException gone) {
            callback.failed(gone); // the subscriber left
        }
    }

    private static void write(Response response, String text) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.block();
        }
    }
}
