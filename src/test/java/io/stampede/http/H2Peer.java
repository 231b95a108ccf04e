package io.stampede.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.PrefaceFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.frames.WindowUpdateFrame;
import org.eclipse.jetty.http2.generator.Generator;
import org.eclipse.jetty.http2.parser.Parser;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A scripted HTTP/2 service on 127.0.0.1 for one connection: it reads the client's preface, then
 * every frame the client sends is queued for the test to take ({@link #next}); the test writes the
 * service's frames ({@link #send}, {@link #raw}). Frames are Jetty's, parsed and generated as a
 * server would, so what the client sends is checked against another implementation than its own.
 */
final class H2Peer implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final ServerSocket server;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final Generator generator = new Generator(ByteBufferPool.NON_POOLING, false, 0);
    private Socket socket;
    private OutputStream out;
    private Thread reader;

    H2Peer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        generator.getHpackEncoder().setMaxHeaderListSize(64 * 1024); // the size of its HPACK buffer too
    }

    /** A client socket connected to this peer, with a read timeout; the peer reads the preface, then frames. */
    Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        socket = server.accept();
        out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Parser parser = new Parser(ByteBufferPool.NON_POOLING, 64 * 1024);
        parser.init(new Parser.Listener() {
            @Override public void onData(DataFrame frame) {
                ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.getByteBuffer()).flip();
                received.add(new DataFrame(frame.getStreamId(), copy, frame.isEndStream()));
            }

            @Override public void onHeaders(HeadersFrame frame) {
                received.add(frame);
            }

            @Override public void onReset(ResetFrame frame) {
                received.add(frame);
            }

            @Override public void onSettings(SettingsFrame frame) {
                received.add(frame);
            }

            @Override public void onPing(PingFrame frame) {
                received.add(frame);
            }

            @Override public void onGoAway(GoAwayFrame frame) {
                received.add(frame);
            }

            @Override public void onWindowUpdate(WindowUpdateFrame frame) {
                received.add(frame);
            }
        });
        reader = Thread.ofPlatform().daemon().start(() -> {
            byte[] bytes = new byte[8192];
            try {
                if (!Arrays.equals(in.readNBytes(PrefaceFrame.PREFACE_BYTES.length), PrefaceFrame.PREFACE_BYTES)) {
                    socket.close(); // not HTTP/2: the test sees no frames
                    return;
                }
                for (int n; (n = in.read(bytes)) > 0; ) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
                    while (buffer.hasRemaining()) {
                        parser.parse(buffer);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return client;
    }

    /** The next frame of this type the client sent, skipping others. */
    <F extends Frame> F next(Class<F> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            Frame frame = received.poll(1, TimeUnit.SECONDS);
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " from the client");
    }

    void send(Frame... frames) throws Exception {
        RetainableByteBuffer.DynamicCapacity bytes = new RetainableByteBuffer.DynamicCapacity();
        for (Frame frame : frames) {
            if (frame instanceof DataFrame data) {
                boolean last;
                do { // the generator moves the data's position past a partial frame, not past the last one
                    last = data.remaining() <= generator.getMaxFrameSize();
                    generator.data(bytes, data, data.remaining());
                } while (!last);
            } else {
                generator.control(bytes, frame);
            }
        }
        raw(bytes.takeByteArray());
    }

    /** Bytes as they are, for frames Jetty's generator will not make (padding, a bad length). */
    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] frameHeader(int length, int type, int flags, int streamId) {
        return ByteBuffer.allocate(Frame.HEADER_LENGTH).put((byte) (length >>> 16)).put((byte) (length >>> 8))
                .put((byte) length).put((byte) type).put((byte) flags).putInt(streamId).array();
    }

    static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static HeadersFrame response(int streamId, int status, boolean endStream, HttpFields fields) {
        return new HeadersFrame(streamId, new MetaData.Response(status, null, HttpVersion.HTTP_2, fields), null,
                endStream);
    }

    /** The service's side of the generator, for a larger frame size. */
    Generator generator() {
        return generator;
    }

    void closeSocket() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.close();
        }
        server.close();
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }
}
