package io.stampede.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Floor reference, not a candidate: the least a virtual thread per connection can do per request on
 * the JDK's sockets. A fixed GET from one reused buffer on a {@link SocketChannel}, a yield once it
 * is sent, the response read into one reused buffer and only framed (end of head, Content-Length):
 * no header objects, no strings, no streams. What this does per core bounds what any HTTP code on
 * this I/O model can do.
 */
final class ChannelCandidate implements Candidate {
    private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);
    private final InetSocketAddress address;
    private final byte[] request;

    ChannelCandidate(URI uri) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.request = Candidate.plainGet(uri);
    }

    @Override
    public Session newSession() {
        return new Session() {
            private final ByteBuffer out = ByteBuffer.wrap(request);
            private final ByteBuffer in = ByteBuffer.allocate(4096);
            private SocketChannel channel;

            @Override
            public int get() throws IOException {
                if (channel == null) {
                    channel = SocketChannel.open(address);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                try {
                    out.clear();
                    while (out.hasRemaining()) channel.write(out);
                    Thread.yield();
                    in.clear();
                    int headEnd = -1;
                    long length = -1;
                    while (true) {
                        if (channel.read(in) < 0) throw new EOFException();
                        byte[] a = in.array();
                        if (headEnd < 0) {
                            headEnd = indexOfHeadEnd(a, in.position());
                            if (headEnd < 0) continue;
                            length = contentLength(a, headEnd);
                            if (length < 0) throw new IOException("no Content-Length");
                        }
                        if (in.position() >= headEnd + length) {
                            return (a[9] - '0') * 100 + (a[10] - '0') * 10 + (a[11] - '0');
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    close();
                    throw e;
                }
            }

            @Override
            public void close() throws IOException {
                if (channel != null) channel.close();
                channel = null;
            }
        };
    }

    private static int indexOfHeadEnd(byte[] a, int limit) {
        for (int i = 3; i < limit; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    private static long contentLength(byte[] a, int headEnd) {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length < headEnd; i++) {
            for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                if ((a[i + j] | 0x20) != (CONTENT_LENGTH[j] | 0x20)) continue outer;
            }
            long n = 0;
            int k = i + CONTENT_LENGTH.length;
            while (a[k] == ' ') k++;
            while (a[k] >= '0' && a[k] <= '9') n = n * 10 + (a[k++] - '0');
            return n;
        }
        return -1;
    }
}
