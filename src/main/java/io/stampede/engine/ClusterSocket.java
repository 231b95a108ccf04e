package io.stampede.engine;

import org.eclipse.jetty.websocket.api.Session;

/**
 * One end of a coordinator-worker connection as Jetty sees it: Jetty calls a listener's methods
 * through method handles, so the listener must be a public class; it hands each event to the
 * package's own handler.
 */
public final class ClusterSocket implements Session.Listener.AutoDemanding {

    /** What an end does with its connection's events (Jetty's threads call it). */
    interface Handler {
        void opened(Session session);

        /** One whole text frame: one message. */
        void text(String frame);

        /** The connection is over; {@code why} says how. Called once at most per cause, may be called twice. */
        void closed(String why);
    }

    private final Handler handler;

    ClusterSocket(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        handler.opened(session);
    }

    @Override
    public void onWebSocketText(String frame) {
        handler.text(frame);
    }

    @Override
    public void onWebSocketClose(int status, String reason) {
        handler.closed("the connection closed" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")"));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        handler.closed("the connection failed: " + describe(cause));
    }

    /** A reset by a killed peer often comes without a message: its type then says what happened. */
    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
