package io.stampede.http;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.util.HostPort;

/**
 * One user's HTTP/2 connection (RFC 9113) over a blocking socket, driven by the user's own virtual
 * thread: {@link #start} writes a stream's HEADERS (and DATA), {@link #await} reads frames until that
 * stream has ended, handling on the way whatever arrives for the connection (SETTINGS, PING,
 * WINDOW_UPDATE, GOAWAY) and for the user's other open streams. Several streams started before the
 * first await are multiplexed on the connection, as a browser's parallel requests are; one thread
 * reads for all of them, so nothing here is shared and no reader thread is needed. Header blocks are
 * (de)compressed with Jetty's HPACK; the framing is this class's.
 *
 * <p>Flow control is kept out of the way on the receiving side: this end opens its windows to the
 * maximum at the start and tops the connection's window up when half is used, so a response never
 * waits for a WINDOW_UPDATE from the generator. Request bodies respect the service's windows.
 */
final class H2Connection implements OriginConnection {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER_BYTES = 9;
    private static final int DEFAULT_FRAME_BYTES = 16_384;
    private static final int DEFAULT_WINDOW = 65_535;
    private static final int MAX_WINDOW = Integer.MAX_VALUE;
    private static final int HPACK_TABLE_BYTES = 4_096;
    /** Response header blocks larger than this are malformed, as for HTTP/1.1 heads. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int READ_BUFFER_BYTES = 4 * 1024;
    private static final int HEADER_BLOCK_BYTES = 2 * 1024;
    /** Per field, more than HPACK adds to a name and value: a prefix byte and two length integers. */
    private static final int FIELD_OVERHEAD_BYTES = 16;

    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;

    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    private static final int SETTINGS_ENABLE_PUSH = 0x2;
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    private static final int REFUSED_STREAM = 0x7;
    private static final int CANCEL = 0x8;
    private static final List<String> CONNECTION_HEADERS =
            List.of("host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String scheme;
    private final HpackEncoder encoder = new HpackEncoder();
    private final HpackDecoder decoder = new HpackDecoder(MAX_HEADER_BYTES, System::nanoTime);
    private final Map<Integer, H2Stream> open = new HashMap<>();
    private final byte[] frameHeader = new byte[FRAME_HEADER_BYTES];
    /** Grows to the largest frame seen (at most the 16 KiB this end allows): most responses are small. */
    private byte[] payload = new byte[1024];
    private ByteBuffer writeBuffer = ByteBuffer.allocate(4 * 1024);
    /** The request header block, reused: a larger one gets a buffer of its own. */
    private final ByteBuffer headerBlock = ByteBuffer.allocate(HEADER_BLOCK_BYTES);
    private int nextStreamId = 1;
    private int peerMaxFrame = DEFAULT_FRAME_BYTES;
    private int peerInitialWindow = DEFAULT_WINDOW;
    private int peerMaxStreams = Integer.MAX_VALUE;
    private long sendWindow = DEFAULT_WINDOW;
    private long receivedSinceUpdate;
    /** Set by GOAWAY or a connection error: no new streams; the connection closes once its streams end. */
    private boolean goingAway;
    private boolean closed;
    /** The stream whose header block continues in CONTINUATION frames, or null. */
    private H2Stream continuing;

    /**
     * Sends the connection preface and this end's settings; does not wait for the service's.
     *
     * @param socket connected, with its read timeout set; a TLS socket has negotiated "h2"
     */
    H2Connection(Socket socket, boolean secure) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER_BYTES);
        this.out = socket.getOutputStream();
        this.scheme = secure ? "https" : "http";
        encoder.setTableCapacity(HPACK_TABLE_BYTES);
        decoder.setMaxTableCapacity(HPACK_TABLE_BYTES);
        ByteBuffer start = buffer(PREFACE.length + 3 * FRAME_HEADER_BYTES + 12 + 4);
        start.put(PREFACE);
        frameHeader(start, 12, SETTINGS, 0, 0);
        start.putShort((short) SETTINGS_ENABLE_PUSH).putInt(0);
        start.putShort((short) SETTINGS_INITIAL_WINDOW_SIZE).putInt(MAX_WINDOW);
        frameHeader(start, 4, WINDOW_UPDATE, 0, 0);
        start.putInt(MAX_WINDOW - DEFAULT_WINDOW);
        flush(start);
    }

    @Override
    public boolean isOpen() {
        return !closed && !goingAway && nextStreamId > 0 && !socket.isClosed(); // ids run out after 2^30 streams
    }

    /** Whether the service allows another stream now (its SETTINGS_MAX_CONCURRENT_STREAMS). */
    boolean canStart() {
        return open.size() < peerMaxStreams;
    }

    /**
     * Opens a stream and sends the request on it.
     *
     * @param method    the request method
     * @param authority the {@code :authority}, the Host header's value
     * @param head      the request's headers (its Host and connection-specific ones are left out)
     * @param body      the body or null
     */
    H2Stream start(String method, String authority, String pathQuery, RequestHead head, byte[] body,
                   long maxBodyBytes) throws IOException {
        if (!isOpen()) {
            throw new Http1Connection.NoResponse();
        }
        HttpFields.Mutable fields = HttpFields.build(head.size());
        int rawBytes = FIELD_OVERHEAD_BYTES * 4 + method.length() + authority.length() + pathQuery.length();
        for (int i = 0; i < head.size(); i++) {
            String name = head.name(i);
            if (!CONNECTION_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                fields.add(name, head.value(i));
                rawBytes += FIELD_OVERHEAD_BYTES + name.length() + head.value(i).length();
            }
        }
        HttpURI uri = HttpURI.from(scheme, new HostPort(authority), pathQuery);
        MetaData.Request request = new MetaData.Request(method, uri, HttpVersion.HTTP_2, fields);
        H2Stream stream = new H2Stream(nextStreamId, maxBodyBytes, peerInitialWindow, method.equals("HEAD"));
        nextStreamId += 2;
        open.put(stream.id, stream);
        // HPACK never makes a field longer than its raw bytes and a few of framing: the encoder must not
        // run out of room half-way, its table would then differ from the service's
        ByteBuffer block = rawBytes <= headerBlock.capacity() ? headerBlock.clear() : ByteBuffer.allocate(rawBytes);
        try {
            encoder.encode(block, request);
        } catch (HpackException e) {
            open.remove(stream.id);
            throw new IOException("request headers: " + e.getMessage(), e);
        }
        block.flip();
        boolean noBody = body == null || body.length == 0;
        ByteBuffer frames = buffer(block.remaining() + FRAME_HEADER_BYTES * (1 + block.remaining() / peerMaxFrame));
        int type = HEADERS;
        do {
            int n = Math.min(block.remaining(), peerMaxFrame);
            boolean last = n == block.remaining();
            int flags = (last ? END_HEADERS : 0) | (type == HEADERS && noBody ? END_STREAM : 0);
            frameHeader(frames, n, type, flags, stream.id);
            frames.put(block.slice(block.position(), n));
            block.position(block.position() + n);
            type = CONTINUATION;
        } while (block.hasRemaining());
        try {
            flush(frames);
            if (!noBody) {
                sendBody(stream, body);
            }
        } catch (IOException e) { // the connection is gone (a GOAWAY and close may cross the request)
            failAll(e);
            close();
            throw e;
        }
        stream.sentNanos = System.nanoTime();
        return stream;
    }

    /** DATA frames within the service's windows, reading frames (its WINDOW_UPDATEs) while they are shut. */
    private void sendBody(H2Stream stream, byte[] body) throws IOException {
        int offset = 0;
        while (offset < body.length) {
            long allowed = Math.min(Math.min(sendWindow, stream.sendWindow), peerMaxFrame);
            if (allowed <= 0) {
                readFrame();
                if (stream.done) {
                    return; // reset or answered before the whole body went
                }
                continue;
            }
            int n = (int) Math.min(allowed, body.length - offset);
            boolean last = offset + n == body.length;
            ByteBuffer frame = buffer(FRAME_HEADER_BYTES + n);
            frameHeader(frame, n, DATA, last ? END_STREAM : 0, stream.id);
            frame.put(body, offset, n);
            flush(frame);
            offset += n;
            sendWindow -= n;
            stream.sendWindow -= n;
        }
    }

    /**
     * Reads frames until {@code stream} has ended and returns its response.
     *
     * @throws Http1Connection.NoResponse        the connection ended (or the service refused the stream) before any response
     * @throws Http1Connection.ClosedMidResponse it ended inside the response
     * @throws StreamReset                       the service reset the stream
     * @throws Http1Connection.BodyTooLarge      the body is larger than allowed (the stream is cancelled)
     */
    H2Response await(H2Stream stream) throws IOException {
        try {
            while (!stream.done) {
                readFrame();
            }
        } catch (IOException e) {
            failAll(e);
            close();
        }
        open.remove(stream.id);
        if (goingAway && open.isEmpty()) {
            close();
        }
        if (stream.failure != null) {
            throw stream.failure;
        }
        return stream.response();
    }

    private void failAll(IOException cause) {
        for (H2Stream s : open.values()) {
            if (!s.done) {
                s.fail(s.firstByteNanos == Http1Connection.NOT_YET && cause instanceof EOFException
                        ? new Http1Connection.NoResponse()
                        : cause instanceof EOFException ? new Http1Connection.ClosedMidResponse() : cause);
            }
        }
    }

    private void readFrame() throws IOException {
        if (in.readNBytes(frameHeader, 0, FRAME_HEADER_BYTES) < FRAME_HEADER_BYTES) {
            throw new EOFException("connection closed");
        }
        int length = (frameHeader[0] & 0xff) << 16 | (frameHeader[1] & 0xff) << 8 | frameHeader[2] & 0xff;
        int type = frameHeader[3] & 0xff;
        int flags = frameHeader[4] & 0xff;
        int streamId = ((frameHeader[5] & 0x7f) << 24 | (frameHeader[6] & 0xff) << 16 | (frameHeader[7] & 0xff) << 8
                | frameHeader[8] & 0xff);
        if (length > payload.length) {
            if (length > DEFAULT_FRAME_BYTES) { // this end never raises SETTINGS_MAX_FRAME_SIZE
                throw new Http1Connection.Malformed("HTTP/2 frame of " + length + " bytes");
            }
            payload = new byte[Math.max(length, Math.min(payload.length * 2, DEFAULT_FRAME_BYTES))];
        }
        if (in.readNBytes(payload, 0, length) < length) {
            throw new EOFException("connection closed");
        }
        switch (type) {
            case DATA -> onData(streamId, flags, length);
            case HEADERS, CONTINUATION -> onHeaders(type, streamId, flags, length);
            case RST_STREAM -> onReset(streamId, length);
            case SETTINGS -> onSettings(flags, length);
            case PING -> onPing(flags, length);
            case GOAWAY -> onGoAway(length);
            case WINDOW_UPDATE -> onWindowUpdate(streamId, length);
            case PUSH_PROMISE -> throw new Http1Connection.Malformed("HTTP/2 push promised though disabled");
            default -> { } // PRIORITY and unknown types are ignored (RFC 9113, 4.1)
        }
    }

    private void onData(int streamId, int flags, int length) throws IOException {
        receivedSinceUpdate += length;
        if (receivedSinceUpdate > MAX_WINDOW / 2) { // top the connection's window up; streams' never run dry
            ByteBuffer update = buffer(FRAME_HEADER_BYTES + 4);
            frameHeader(update, 4, WINDOW_UPDATE, 0, 0);
            update.putInt((int) receivedSinceUpdate);
            flush(update);
            receivedSinceUpdate = 0;
        }
        H2Stream stream = open.get(streamId);
        if (stream == null || stream.done) {
            return;
        }
        int offset = 0;
        int n = length;
        if ((flags & PADDED) != 0) {
            int pad = payload[0] & 0xff;
            offset = 1;
            n = length - 1 - pad;
        }
        if (!stream.append(payload, offset, n)) {
            reset(stream, CANCEL);
            return;
        }
        if ((flags & END_STREAM) != 0) {
            stream.finish();
        }
    }

    private void onHeaders(int type, int streamId, int flags, int length) throws IOException {
        H2Stream stream = type == CONTINUATION && continuing != null ? continuing : open.get(streamId);
        int offset = 0;
        int n = length;
        if (type == HEADERS) {
            if ((flags & PADDED) != 0) {
                offset = 1;
                n -= 1 + (payload[0] & 0xff);
            }
            if ((flags & PRIORITY) != 0) {
                offset += 5;
                n -= 5;
            }
        }
        if (stream == null) {
            // a closed stream's headers still update the HPACK table: decode and drop them
            stream = new H2Stream(streamId, 0, 0, false);
            stream.finish();
        }
        if (stream.firstByteNanos == Http1Connection.NOT_YET) {
            stream.firstByteNanos = System.nanoTime();
        }
        if (type == HEADERS) {
            stream.endStreamAfterHeaders = (flags & END_STREAM) != 0;
        }
        stream.appendBlock(payload, offset, n);
        if ((flags & END_HEADERS) == 0) {
            continuing = stream;
            return;
        }
        continuing = null;
        MetaData metaData;
        try {
            metaData = decoder.decode(stream.takeBlock());
        } catch (HpackException.StreamException e) {
            reset(stream, CANCEL);
            stream.fail(new Http1Connection.Malformed("HTTP/2 headers: " + e.getMessage()));
            return;
        } catch (HpackException.SessionException e) {
            throw new Http1Connection.Malformed("HTTP/2 headers: " + e.getMessage());
        }
        if (stream.done) {
            return;
        }
        if (metaData instanceof MetaData.Response response) {
            if (response.getStatus() >= 100 && response.getStatus() < 200) {
                return; // an interim response: the real one follows
            }
            stream.status = response.getStatus();
            stream.fields = response.getHttpFields().stream().toList();
        }
        if (stream.endStreamAfterHeaders) {
            stream.finish();
        }
    }

    private void onReset(int streamId, int length) {
        H2Stream stream = open.get(streamId);
        if (stream == null || stream.done || length < 4) {
            return;
        }
        int code = ByteBuffer.wrap(payload, 0, 4).getInt();
        stream.fail(code == REFUSED_STREAM && stream.firstByteNanos == Http1Connection.NOT_YET
                ? new Http1Connection.NoResponse() // never processed: safe to send again
                : new StreamReset(code));
    }

    private void onSettings(int flags, int length) throws IOException {
        if ((flags & ACK) != 0) {
            return;
        }
        ByteBuffer values = ByteBuffer.wrap(payload, 0, length);
        while (values.remaining() >= 6) {
            int id = values.getShort() & 0xffff;
            long value = values.getInt() & 0xffffffffL;
            switch (id) {
                case SETTINGS_HEADER_TABLE_SIZE -> {
                    encoder.setMaxTableCapacity((int) Math.min(value, Integer.MAX_VALUE));
                    encoder.setTableCapacity((int) Math.min(value, HPACK_TABLE_BYTES));
                }
                case SETTINGS_MAX_CONCURRENT_STREAMS -> peerMaxStreams = (int) Math.min(value, Integer.MAX_VALUE);
                case SETTINGS_INITIAL_WINDOW_SIZE -> {
                    long delta = value - peerInitialWindow;
                    peerInitialWindow = (int) value;
                    open.values().forEach(s -> s.sendWindow += delta);
                }
                case SETTINGS_MAX_FRAME_SIZE -> peerMaxFrame = (int) value;
                default -> { } // unknown settings are ignored
            }
        }
        ByteBuffer ack = buffer(FRAME_HEADER_BYTES);
        frameHeader(ack, 0, SETTINGS, ACK, 0);
        flush(ack);
    }

    private void onPing(int flags, int length) throws IOException {
        if ((flags & ACK) != 0 || length != 8) {
            return;
        }
        ByteBuffer pong = buffer(FRAME_HEADER_BYTES + 8);
        frameHeader(pong, 8, PING, ACK, 0);
        pong.put(payload, 0, 8);
        flush(pong);
    }

    /** The streams above the last one the service processed never were: safe to send again elsewhere. */
    private void onGoAway(int length) {
        goingAway = true;
        int lastStreamId = length >= 4 ? ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7fffffff : 0;
        for (H2Stream stream : open.values()) {
            if (stream.id > lastStreamId && !stream.done) {
                stream.fail(new Http1Connection.NoResponse());
            }
        }
    }

    private void onWindowUpdate(int streamId, int length) {
        if (length != 4) {
            return;
        }
        int increment = ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7fffffff;
        if (streamId == 0) {
            sendWindow += increment;
        } else {
            H2Stream stream = open.get(streamId);
            if (stream != null) {
                stream.sendWindow += increment;
            }
        }
    }

    private void reset(H2Stream stream, int code) throws IOException {
        ByteBuffer frame = buffer(FRAME_HEADER_BYTES + 4);
        frameHeader(frame, 4, RST_STREAM, 0, stream.id);
        frame.putInt(code);
        flush(frame);
        stream.finish();
    }

    private ByteBuffer buffer(int bytes) {
        if (writeBuffer.capacity() < bytes) {
            writeBuffer = ByteBuffer.allocate(Math.max(bytes, writeBuffer.capacity() * 2));
        }
        return writeBuffer.clear();
    }

    private static void frameHeader(ByteBuffer to, int length, int type, int flags, int streamId) {
        to.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        to.put((byte) type).put((byte) flags).putInt(streamId & 0x7fffffff);
    }

    private void flush(ByteBuffer frames) throws IOException {
        out.write(frames.array(), 0, frames.position());
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The service reset the stream (RST_STREAM) with this error code. */
    static final class StreamReset extends IOException {
        private static final List<String> NAMES = List.of("NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR",
                "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
                "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED");

        StreamReset(int code) {
            super(code >= 0 && code < NAMES.size() ? NAMES.get(code) : "error " + code);
        }
    }

    /** A response on a stream: its fields as Jetty's, so cookies and headers read as for HTTP/1.1. */
    record H2Response(int status, List<HttpField> fields, byte[] body) {
    }

    /** One request's stream: its windows, its response as it arrives, and its phase marks. */
    static final class H2Stream {
        private static final byte[] EMPTY = new byte[0];
        final int id;
        private final long maxBodyBytes;
        private final boolean headRequest;
        long sendWindow;
        long sentNanos = Http1Connection.NOT_YET;
        long firstByteNanos = Http1Connection.NOT_YET;
        /** When the stream ended (its last frame read, or its failure), or NOT_YET. */
        long endNanos = Http1Connection.NOT_YET;
        boolean done;
        IOException failure;
        int status;
        List<HttpField> fields = List.of();
        private byte[] body;
        private int bodyLength;
        private byte[] block;
        private int blockLength;
        private boolean endStreamAfterHeaders;

        H2Stream(int id, long maxBodyBytes, long sendWindow, boolean headRequest) {
            this.id = id;
            this.maxBodyBytes = maxBodyBytes;
            this.sendWindow = sendWindow;
            this.headRequest = headRequest;
        }

        void fail(IOException cause) {
            failure = cause;
            finish();
        }

        void finish() {
            if (!done) {
                done = true;
                endNanos = System.nanoTime();
            }
        }

        /** False when the body would grow past the limit: the stream has failed. */
        boolean append(byte[] data, int offset, int n) {
            if (headRequest || n <= 0) {
                return true;
            }
            if (bodyLength + (long) n > maxBodyBytes) {
                fail(new Http1Connection.BodyTooLarge(maxBodyBytes));
                return false;
            }
            if (body == null) {
                body = new byte[Math.max(n, 1024)];
            } else if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(bodyLength + n, body.length * 2));
            }
            System.arraycopy(data, offset, body, bodyLength, n);
            bodyLength += n;
            return true;
        }

        void appendBlock(byte[] data, int offset, int n) {
            if (block == null) {
                block = new byte[Math.max(n, 256)];
            } else if (blockLength + n > block.length) {
                block = Arrays.copyOf(block, Math.max(blockLength + n, block.length * 2));
            }
            System.arraycopy(data, offset, block, blockLength, n);
            blockLength += n;
        }

        ByteBuffer takeBlock() {
            ByteBuffer taken = ByteBuffer.wrap(block, 0, blockLength);
            block = null;
            blockLength = 0;
            return taken;
        }

        H2Response response() throws IOException {
            if (status == 0) {
                throw new Http1Connection.Malformed("HTTP/2 stream ended without a response");
            }
            byte[] content = body == null ? EMPTY : bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
            return new H2Response(status, fields, content);
        }
    }
}
