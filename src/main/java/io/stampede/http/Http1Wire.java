package io.stampede.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes under an {@link Http1Connection}: a plain connection's {@link ChannelWire} (a blocking
 * {@link java.nio.channels.SocketChannel} whose bytes go through one direct buffer of its own) or a TLS connection's {@link SocketWire} (the socket's streams). The HTTP logic is
 * the connection's, once for both.
 */
sealed interface Http1Wire permits ChannelWire, SocketWire {

    /**
     * Reads into {@code buffer} (a heap buffer) from its position up to its limit, as a socket read with its read
     * timeout would: the bytes read, or -1 at the end of the connection.
     *
     * @throws java.net.SocketTimeoutException the service sent nothing within the response timeout
     */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes the request: {@code head}'s first {@code headLength} bytes, then {@code body} (may be null). */
    void write(byte[] head, int headLength, byte[] body) throws IOException;

    /** The user waits between tasks: buffers the wire holds go back meanwhile. */
    void idle();

    boolean isOpen();

    void close();

    /** Closes the TCP connection under it (for TLS, without a close_notify). */
    void closeTransport();
}
