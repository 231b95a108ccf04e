package io.stampede.os;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * TCP's simultaneous open: connecting to a local port nobody listens on can draw that same port as
 * the source, and the socket connects to itself. It then holds the port the service must come back
 * on, and reads back what it writes. Every client socket to a target refuses such a connection.
 */
public final class SelfConnect {

    private SelfConnect() {
    }

    /** Whether a connected socket's two ends are one address (either end null: not connected, not self). */
    public static boolean is(SocketAddress local, SocketAddress remote) {
        return local != null && local.equals(remote);
    }

    /**
     * Closes {@code socket} and throws when it is connected to itself.
     *
     * @throws ConnectException as a refused connection would, so callers treat it as one
     */
    public static void refuse(Socket socket) throws ConnectException {
        if (is(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress())) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
            throw refused();
        }
    }

    /** The exception a self-connected socket reports: a refused connection, which is what it stands for. */
    public static ConnectException refused() {
        return new ConnectException("Connection refused (connected to itself)");
    }
}
