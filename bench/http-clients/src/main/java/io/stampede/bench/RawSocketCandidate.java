package io.stampede.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * (f) Ceiling reference, not a candidate: a fixed GET written to a blocking socket, body read by
 * Content-Length. With {@code yieldAfterSend}, the virtual thread steps aside once the request is
 * sent, as Stampede's connection does (its {@code http/Http1Connection}).
 */
final class RawSocketCandidate implements Candidate {
    private final InetSocketAddress address;
    private final byte[] request;
    private final boolean yieldAfterSend;

    RawSocketCandidate(URI uri, boolean yieldAfterSend) {
        this.yieldAfterSend = yieldAfterSend;
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.request = Candidate.plainGet(uri);
    }

    @Override
    public Session newSession() {
        return new Session() {
            private Socket socket;
            private InputStream in;
            private OutputStream out;

            @Override
            public int get() throws IOException {
                if (socket == null) connect();
                try {
                    out.write(request);
                    out.flush();
                    if (yieldAfterSend) Thread.yield();
                    String statusLine = readLine();
                    int status = Integer.parseInt(statusLine.substring(9, 12));
                    int length = -1;
                    for (String line; !(line = readLine()).isEmpty(); ) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (length < 0) throw new IOException("no Content-Length");
                    if (in.readNBytes(length).length != length) throw new EOFException();
                    return status;
                } catch (IOException | RuntimeException e) {
                    close();
                    throw e;
                }
            }

            private void connect() throws IOException {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(address, TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
                out = socket.getOutputStream();
            }

            private String readLine() throws IOException {
                var sb = new StringBuilder(64);
                for (int c; (c = in.read()) != '\n'; ) {
                    if (c < 0) throw new EOFException();
                    if (c != '\r') sb.append((char) c);
                }
                return sb.toString();
            }

            @Override
            public void close() throws IOException {
                if (socket != null) socket.close();
                socket = null;
            }
        };
    }
}
