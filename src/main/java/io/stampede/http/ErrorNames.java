package io.stampede.http;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong on the wire into short, stable error names: the failures table groups by
 * them, so they must not contain per-request details such as ports or byte counts.
 */
final class ErrorNames {

    private ErrorNames() {
    }

    static String connectFailure(Exception e, Duration connectTimeout) {
        if (e instanceof SocketTimeoutException) {
            return "connect timeout (" + seconds(connectTimeout) + ")";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Too many open files")) {
            return "too many open files (this process's ulimit -n: fewer users per process)";
        }
        if (message.contains("Cannot assign requested address")) {
            return "no free local port (ephemeral ports to this address used up)";
        }
        return exchangeFailure(e, connectTimeout);
    }

    static String exchangeFailure(Exception e, Duration responseTimeout) {
        if (e instanceof SSLException tls) {
            return tls.getCause() instanceof SocketException socket ? exchangeFailure(socket, responseTimeout) : Tls.failureName(tls);
        }
        if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && !(e instanceof ClosedByInterruptException))) {
            return "response timeout (" + seconds(responseTimeout) + ")";
        }
        if (e instanceof Http1Connection.NoResponse) {
            return "no response (connection closed by the service)";
        }
        if (e instanceof Http1Connection.ClosedMidResponse) {
            return "connection closed before the response ended";
        }
        if (e instanceof Http1Connection.Malformed) {
            return "malformed response: " + firstLine(e.getMessage());
        }
        if (e instanceof H2Connection.StreamReset reset) {
            return "stream reset by the service (" + reset.getMessage() + ")";
        }
        if (e instanceof NotNegotiated) {
            return NotNegotiated.NAME;
        }
        if (e instanceof Http1Connection.BodyTooLarge) {
            return e.getMessage();
        }
        if (e instanceof SocketException) {
            String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("reset")) {
                return "connection reset by peer";
            }
            if (message.contains("broken pipe")) {
                return "connection closed while sending (broken pipe)";
            }
            return "socket error: " + firstLine(e.getMessage());
        }
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    /**
     * A WebSocket's or event stream's failure in the JDK client: the same names as a request's where
     * the cause is the same, and the handshake's own.
     */
    static String socketFailure(Throwable thrown, Duration connectTimeout) {
        Throwable e = thrown;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof WebSocketHandshakeException handshake) {
            return "handshake refused (HTTP " + handshake.getResponse().statusCode() + ")";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timeout (" + seconds(connectTimeout) + ")";
        }
        if (e instanceof EOFException) {
            return "connection closed by the service";
        }
        if (e instanceof Exception exception) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("reset")) {
                return "connection reset by peer";
            }
            if (message.contains("received no bytes")) { // the JDK client, when the handshake's response never came
                return "no response (connection closed by the service)";
            }
            // "closed input": the JDK's WebSocket, when the TCP connection under an open socket ends
            if (message.contains("connection closed") || message.contains("eof") || message.contains("closed input")) {
                return "connection closed by the service";
            }
            return connectFailure(exception, connectTimeout);
        }
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    static String httpStatus(int status, String reason) {
        return "HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason);
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
