package io.stampede.target;

import io.stampede.input.Authority;
import io.stampede.os.SelfConnect;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Whether a target's port is free: a connection is refused. A stopped server's workers or a
 * leftover child may still hold the listening socket, and a new process then cannot bind it.
 */
public final class PortCheck {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    private static final Duration POLL = Duration.ofMillis(20);

    private PortCheck() {
    }

    /** True when nothing accepts a connection at {@code url}'s host and port (a paused listener still accepts). */
    public static boolean refuses(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(Authority.of(url).socketAddress(), (int) CONNECT_TIMEOUT.toMillis());
            // Connected to itself: nothing listens there, and closing frees the port at once.
            return SelfConnect.is(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
        } catch (IOException e) {
            return e instanceof ConnectException;
        }
    }

    /** Waits up to {@code within} until {@link #refuses(URI)}; false when something still accepts then. */
    public static boolean awaitRefusing(URI url, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!refuses(url)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Probes before a partial pause is called effective: one slow answer on a busy machine is not silence. */
    private static final int ANSWER_ATTEMPTS = 3;

    /**
     * True when an HTTP GET of {@code url} gets any answer within a second, in any of three tries: the
     * service still serves. A single try missed live gunicorn workers at a load average of 30.
     */
    public static boolean answers(URI url) {
        HealthProbe probe = new HealthProbe(url);
        for (int i = 0; i < ANSWER_ATTEMPTS; i++) {
            if (probe.answers()) {
                return true;
            }
        }
        return false;
    }

    /** {@code port 8000}, for event details. */
    static String name(URI url) {
        return "port " + Authority.of(url).port();
    }
}
