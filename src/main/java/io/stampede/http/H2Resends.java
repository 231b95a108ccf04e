package io.stampede.http;

/**
 * Whether one request of a batch, its HTTP/2 stream ended without an answer, is sent again on a new
 * stream. Only a stream the service did not process ({@link H2Connection.H2Stream#unprocessed}: refused
 * before any of its response, or above a GOAWAY's last stream) is: RFC 9113 (8.7) says such a request
 * can safely be retried, whatever its method, a POST with its body included. A stream that got any of its
 * response, was reset otherwise, or whose connection ended without saying which streams it processed
 * may have been processed, and is a failure.
 *
 * <p>Bounded by progress: the request goes again as long as the service answered another stream on the
 * connection while this one was out (a service that ends connections after so many streams, as nginx's
 * {@code keepalive_requests} does, or refuses those past its limit, serves a batch larger than either
 * over several rounds); after an attempt during which it answered none, at most
 * {@link #RESENDS_WITHOUT_PROGRESS} more time. So a service that refuses everything costs one more
 * attempt per request, not a loop. One object per request, for the batch's life.
 */
final class H2Resends {

    /** Resends after an attempt during which the service answered no other stream on its connection. */
    static final int RESENDS_WITHOUT_PROGRESS = 1;

    private int withoutProgress;

    /** Whether the request whose {@code stream} (on {@code connection}) has ended goes again; counts it if so. */
    boolean resend(H2Connection connection, H2Connection.H2Stream stream) {
        if (!stream.done || !stream.unprocessed) {
            return false;
        }
        if (connection.answeredSince(stream)) {
            return true;
        }
        if (withoutProgress < RESENDS_WITHOUT_PROGRESS) {
            withoutProgress++;
            return true;
        }
        return false;
    }
}
