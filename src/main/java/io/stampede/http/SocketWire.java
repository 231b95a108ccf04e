package io.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** A socket's streams under an {@link Http1Connection}: TLS, and connections tests make from a socket. */
final class SocketWire implements Http1Wire {

    private final Socket socket;
    /** The TCP socket: {@link #socket} itself, or the one under it for TLS. */
    private final Socket transport;
    private final InputStream in;
    private final OutputStream out;

    /**
     * @param socket    connected, with its read timeout set; a TLS socket has done its handshake
     * @param transport the TCP socket {@code socket} is layered on, or {@code socket} itself
     */
    SocketWire(Socket socket, Socket transport) throws IOException {
        this.socket = socket;
        this.transport = transport;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (n > 0) {
            buffer.position(buffer.position() + n);
        }
        return n;
    }

    @Override
    public void write(byte[] head, int headLength, byte[] body) throws IOException {
        out.write(head, 0, headLength);
        if (body != null && body.length > 0) {
            out.write(body);
        }
        out.flush();
    }

    @Override
    public void idle() {
        // nothing held: the socket's streams copy through the JDK's own buffers
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void closeTransport() {
        try {
            transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
