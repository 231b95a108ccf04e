package io.stampede.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.PrefaceFrame;
import org.eclipse.jetty.http2.frames.PushPromiseFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.frames.WindowUpdateFrame;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.http2.parser.Parser;
import org.eclipse.jetty.util.HostPort;

/**
 * One user's HTTP/2 connection (RFC 9113) over a blocking socket, driven by the user's own virtual
 * thread: {@link #start} writes a stream's HEADERS (and DATA), {@link #await} reads until that stream
 * has ended, handling on the way whatever arrives for the connection (SETTINGS, PING, WINDOW_UPDATE,
 * GOAWAY) and for the user's other open streams. Several streams started before the first await are
 * multiplexed on the connection, as a browser's parallel requests are; one thread reads for all of
 * them, so nothing here is shared and no reader thread is needed. The framing and HPACK are Jetty's:
 * bytes read are fed to its frame {@link Parser}, whose listener is this class; frames are made by its
 * generator ({@link H2FrameWriter}). What is here is the streams' bookkeeping.
 *
 * <p>Flow control is kept out of the way on the receiving side: this end opens its windows to the
 * maximum at the start and tops the connection's window up when half is used, so a response never
 * waits for a WINDOW_UPDATE from the generator. Request bodies respect the service's windows.
 */
final class H2Connection implements OriginConnection, Parser.Listener {

    private static final int DEFAULT_WINDOW = 65_535;
    private static final int MAX_WINDOW = Integer.MAX_VALUE;
    private static final int HPACK_TABLE_BYTES = 4_096;
    /** Response header blocks larger than this are malformed, as for HTTP/1.1 heads; requests' too. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int READ_BUFFER_BYTES = 4 * 1024;
    /** Per field, more than HPACK adds to a name and value: a prefix byte and two length integers. */
    private static final int FIELD_OVERHEAD_BYTES = 16;
    /** Huffman's longest code is 30 bits: a header block is at most this many times its raw bytes. */
    private static final int HUFFMAN_EXPANSION = 4;
    /** Room for any frame but HEADERS and DATA: a SETTINGS of a few values, a PING, a GOAWAY. */
    private static final int CONTROL_FRAME_BYTES = 64;
    /**
     * Streams open at once before the service's SETTINGS have said its limit: RFC 9113 (5.1.2) recommends
     * a limit of no less than 100, so a batch's first streams need not wait for the SETTINGS, and a service
     * with a lower one (nginx's 128 is above) refuses those past it, which may be sent again.
     */
    static final int STREAMS_BEFORE_SETTINGS = 100;
    private static final Map<Integer, Integer> SETTINGS =
            Map.of(SettingsFrame.ENABLE_PUSH, 0, SettingsFrame.INITIAL_WINDOW_SIZE, MAX_WINDOW);
    private static final SettingsFrame SETTINGS_ACK = new SettingsFrame(Map.of(), true);
    private static final List<String> CONNECTION_HEADERS =
            List.of("host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    private final Socket socket;
    private final InputStream in;
    private final H2FrameWriter frames;
    private final Parser parser = new Parser(H2FrameWriter.POOL, MAX_HEADER_BYTES);
    private final String scheme;
    /** The open streams by id: one per request, a batch's at once (hundreds, up to the service's limit). */
    private final H2Streams open = new H2Streams();
    private final byte[] readBytes = new byte[READ_BUFFER_BYTES];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(readBytes);
    private int nextStreamId = 1;
    /** Streams that got (the start of) a response, over the connection's life: whether the service makes progress. */
    private int answered;
    private int peerInitialWindow = DEFAULT_WINDOW;
    /** The service's SETTINGS_MAX_CONCURRENT_STREAMS; until its first SETTINGS arrive, the least RFC 9113 recommends. */
    private int peerMaxStreams = STREAMS_BEFORE_SETTINGS;
    private boolean peerSettingsSeen;
    private long sendWindow = DEFAULT_WINDOW;
    private long receivedSinceUpdate;
    /** Set by GOAWAY or a connection error: no new streams; the connection closes once its streams end. */
    private boolean goingAway;
    private boolean closed;
    /**
     * The last request's metadata and its bound in bytes, reused while the user repeats the same request
     * (method, authority, target and header fields equal): building it anew was a measured part of a request's CPU.
     */
    private MetaData.Request lastRequest;
    private String lastAuthority;
    private String lastPathQuery;
    private String[] lastHead = new String[0];
    private int lastRawBytes;
    /** A connection error the parser reported while it parsed the last bytes read (and its code), or null. */
    private IOException connectionError;
    private int connectionErrorCode;

    /**
     * Sends the connection preface and this end's settings; does not wait for the service's.
     *
     * @param socket connected, with its read timeout set; a TLS socket has negotiated "h2"
     */
    H2Connection(Socket socket, boolean secure) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.frames = new H2FrameWriter(socket.getOutputStream());
        this.scheme = secure ? "https" : "http";
        // Jetty's parser counts the settings keys over the connection's life and fails it past 64 (a server's
        // guard against SETTINGS floods); a service may change its settings as often as it likes
        parser.setMaxSettingsKeys(Integer.MAX_VALUE);
        parser.init(this);
        parser.getHpackDecoder().setMaxTableCapacity(HPACK_TABLE_BYTES);
        frames.encoder().setTableCapacity(HPACK_TABLE_BYTES);
        frames.encoder().setMaxHeaderListSize(MAX_HEADER_BYTES); // also the size of the generator's HPACK buffer
        try {
            frames.queue(new PrefaceFrame(), PrefaceFrame.PREFACE_BYTES.length);
            frames.queue(new SettingsFrame(SETTINGS, false), CONTROL_FRAME_BYTES);
            frames.queue(new WindowUpdateFrame(0, MAX_WINDOW - DEFAULT_WINDOW), CONTROL_FRAME_BYTES);
        } catch (HpackException cannot) { // only HEADERS are HPACK-encoded
            throw new IllegalStateException(cannot);
        }
        frames.flush();
    }

    @Override
    public boolean isOpen() {
        return !closed && !goingAway && nextStreamId > 0 && !socket.isClosed(); // ids run out after 2^30 streams
    }

    /** Whether the service allows another stream now: fewer of them under way than its SETTINGS_MAX_CONCURRENT_STREAMS. */
    boolean canStart() {
        return open.active() < peerMaxStreams;
    }

    /**
     * Reads until the service allows another stream (one of those under way ends, or its SETTINGS raise the
     * limit), as a batch larger than the limit needs; the streams that end meanwhile keep their responses.
     * False when none is under way (a limit of 0: nothing to wait for) or the connection ended.
     */
    boolean awaitRoom() {
        try {
            while (!canStart() && open.active() > 0 && isOpen()) {
                read();
            }
        } catch (IOException e) {
            failAll(e);
            close();
        }
        return canStart() && isOpen();
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
        MetaData.Request request = request(method, authority, pathQuery, head);
        H2Stream stream = new H2Stream(open, nextStreamId, maxBodyBytes, peerInitialWindow, method.equals("HEAD"));
        stream.answeredBefore = answered;
        nextStreamId += 2;
        open.add(stream);
        boolean noBody = body == null || body.length == 0;
        // HPACK never makes a field longer than its raw bytes (Huffman-coded: 30 bits a byte at worst) and a few of framing
        int frameBytes = Math.min(lastRawBytes * HUFFMAN_EXPANSION, MAX_HEADER_BYTES);
        try {
            frames.queue(new HeadersFrame(stream.id, request, null, noBody),
                    frameBytes + Frame.HEADER_LENGTH * (1 + frameBytes / frames.maxFrameSize()));
        } catch (HpackException | BufferOverflowException e) {
            open.remove(stream);
            frames.discard();
            goingAway = true; // the encoder's table may now differ from the service's: no more streams here
            throw new IOException("request headers: " + (e instanceof HpackException ? e.getMessage()
                    : "more than " + MAX_HEADER_BYTES + " bytes encoded"), e);
        }
        try {
            frames.flush();
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

    /** The request's metadata, the last one's when nothing differs; sets {@link #lastRawBytes} to its bound. */
    private MetaData.Request request(String method, String authority, String pathQuery, RequestHead head) {
        if (lastRequest != null && method.equals(lastRequest.getMethod()) && authority.equals(lastAuthority)
                && pathQuery.equals(lastPathQuery) && sameFields(head)) {
            return lastRequest;
        }
        HttpFields.Mutable fields = HttpFields.build(head.size());
        String[] kept = new String[head.size() * 2];
        int rawBytes = FIELD_OVERHEAD_BYTES * 4 + method.length() + authority.length() + pathQuery.length();
        for (int i = 0; i < head.size(); i++) {
            String name = head.name(i);
            kept[2 * i] = name;
            kept[2 * i + 1] = head.value(i);
            if (!connectionHeader(name)) {
                fields.add(name, head.value(i));
                rawBytes += FIELD_OVERHEAD_BYTES + name.length() + head.value(i).length();
            }
        }
        HttpURI uri = HttpURI.from(scheme, new HostPort(authority), pathQuery);
        lastRequest = new MetaData.Request(method, uri, HttpVersion.HTTP_2, fields);
        lastAuthority = authority;
        lastPathQuery = pathQuery;
        lastHead = kept;
        lastRawBytes = rawBytes;
        return lastRequest;
    }

    private boolean sameFields(RequestHead head) {
        if (lastHead.length != head.size() * 2) {
            return false;
        }
        for (int i = 0; i < head.size(); i++) {
            if (!head.name(i).equals(lastHead[2 * i]) || !head.value(i).equals(lastHead[2 * i + 1])) {
                return false;
            }
        }
        return true;
    }

    private static boolean connectionHeader(String name) {
        for (String connectionSpecific : CONNECTION_HEADERS) {
            if (connectionSpecific.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the service answered another stream on this connection after {@code stream} was sent: a
     * service that ends connections after so many streams, or refuses those past its limit, while it answers
     * others, makes progress, so sending a stream it did not process again is not a loop ({@link H2Resends}).
     */
    boolean answeredSince(H2Stream stream) {
        return answered > stream.answeredBefore;
    }

    /** The open stream with this id, or null. */
    private H2Stream stream(int id) {
        return open.get(id);
    }

    /** DATA frames within the service's windows, reading frames (its WINDOW_UPDATEs) while they are shut. */
    private void sendBody(H2Stream stream, byte[] body) throws IOException {
        DataFrame data = new DataFrame(stream.id, ByteBuffer.wrap(body), true);
        while (data.remaining() > 0) {
            long allowed = Math.min(sendWindow, stream.sendWindow);
            if (allowed <= 0) {
                read();
                if (stream.done) {
                    return; // reset or answered before the whole body went
                }
                continue;
            }
            int n = frames.queueData(data, (int) Math.min(allowed, Integer.MAX_VALUE));
            frames.flush();
            sendWindow -= n;
            stream.sendWindow -= n;
        }
    }

    /**
     * Reads until {@code stream} has ended and returns its response.
     *
     * @throws Http1Connection.NoResponse        the connection ended (or went away above the stream) before any response
     * @throws Http1Connection.ClosedMidResponse it ended inside the response
     * @throws StreamReset                       the service reset the stream (REFUSED_STREAM: see {@link H2Stream#unprocessed})
     * @throws Http1Connection.BodyTooLarge      the body is larger than allowed (the stream is cancelled)
     */
    H2Response await(H2Stream stream) throws IOException {
        awaitEnd(stream);
        forget(stream);
        if (stream.failure != null) {
            throw stream.failure;
        }
        return stream.response();
    }

    /** Reads until {@code stream} has ended, answered or failed (a lost connection fails it); it stays open here. */
    void awaitEnd(H2Stream stream) {
        try {
            while (!stream.done) {
                read();
            }
        } catch (IOException e) {
            failAll(e);
            close();
        }
    }

    /** Drops a stream that has ended; the connection closes when it was the last one and the service is going away. */
    void forget(H2Stream stream) {
        open.remove(stream);
        if (goingAway && open.isEmpty()) {
            close();
        }
    }

    private void failAll(IOException cause) {
        open.forEach(s -> {
            if (!s.done) {
                s.fail(s.firstByteNanos == Http1Connection.NOT_YET && cause instanceof EOFException
                        ? new Http1Connection.NoResponse()
                        : cause instanceof EOFException ? new Http1Connection.ClosedMidResponse() : cause);
            }
        });
    }

    /**
     * Reads what the socket has and parses it, the listener methods below reacting to each frame;
     * then writes what they queued. A connection error ends the connection with a GOAWAY.
     */
    private void read() throws IOException {
        int n = in.read(readBytes, 0, readBytes.length);
        if (n < 0) {
            throw new EOFException("connection closed");
        }
        readBuffer.limit(n).position(0);
        while (readBuffer.hasRemaining() && connectionError == null) {
            parser.parse(readBuffer);
        }
        if (connectionError != null) {
            frames.discard();
            try {
                // the last stream this end processed: the service opens none
                frames.queue(new GoAwayFrame(0, connectionErrorCode, null), CONTROL_FRAME_BYTES);
                frames.flush();
            } catch (IOException | HpackException ignored) {
                // the connection ends anyway
            }
            throw connectionError;
        }
        frames.flush();
    }

    @Override
    public void onData(DataFrame frame) {
        receivedSinceUpdate += frame.flowControlLength();
        if (receivedSinceUpdate > MAX_WINDOW / 2) { // top the connection's window up; streams' never run dry
            queue(new WindowUpdateFrame(0, (int) receivedSinceUpdate));
            receivedSinceUpdate = 0;
        }
        H2Stream stream = stream(frame.getStreamId());
        if (stream == null || stream.done) {
            return;
        }
        if (!stream.append(frame.getByteBuffer())) {
            queue(new ResetFrame(stream.id, ErrorCode.CANCEL_STREAM_ERROR.code));
            return;
        }
        if (frame.isEndStream()) {
            stream.finish();
        }
    }

    /** A whole header block (CONTINUATION frames joined), decoded; a closed stream's updated the table only. */
    @Override
    public void onHeaders(HeadersFrame frame) {
        H2Stream stream = stream(frame.getStreamId());
        if (stream == null || stream.done) {
            return;
        }
        if (stream.firstByteNanos == Http1Connection.NOT_YET) {
            stream.firstByteNanos = parser.getBeginNanoTime(); // when the block's first frame began to arrive
            answered++;
        }
        if (frame.getMetaData() instanceof MetaData.Response response) {
            if (response.getStatus() >= 100 && response.getStatus() < 200) {
                return; // an interim response: the real one follows
            }
            stream.status = response.getStatus();
            stream.fields = new FieldList(response.getHttpFields());
        }
        if (frame.isEndStream()) {
            stream.finish();
        }
    }

    @Override
    public void onReset(ResetFrame frame) {
        H2Stream stream = stream(frame.getStreamId());
        if (stream == null || stream.done) {
            return;
        }
        int code = frame.getError();
        if (code == ErrorCode.REFUSED_STREAM_ERROR.code) {
            stream.failUnprocessed(new StreamReset(code)); // "prior to any processing" (RFC 9113, 8.7)
        } else {
            stream.fail(new StreamReset(code));
        }
    }

    @Override
    public void onSettings(SettingsFrame frame) {
        if (frame.isReply()) {
            return;
        }
        if (!peerSettingsSeen) { // the first SETTINGS: a limit it does not name is none
            peerSettingsSeen = true;
            peerMaxStreams = Integer.MAX_VALUE;
        }
        frame.getSettings().forEach((id, value) -> {
            switch (id) {
                case SettingsFrame.HEADER_TABLE_SIZE -> {
                    frames.encoder().setMaxTableCapacity(value < 0 ? Integer.MAX_VALUE : value);
                    frames.encoder().setTableCapacity(value < 0 ? HPACK_TABLE_BYTES : Math.min(value, HPACK_TABLE_BYTES));
                }
                case SettingsFrame.MAX_CONCURRENT_STREAMS -> peerMaxStreams = value < 0 ? Integer.MAX_VALUE : value;
                case SettingsFrame.INITIAL_WINDOW_SIZE -> {
                    long delta = (long) value - peerInitialWindow;
                    peerInitialWindow = value;
                    open.forEach(s -> s.sendWindow += delta);
                }
                case SettingsFrame.MAX_FRAME_SIZE -> frames.maxFrameSize(value);
                default -> { } // unknown settings are ignored
            }
        });
        queue(SETTINGS_ACK);
    }

    @Override
    public void onPing(PingFrame frame) {
        if (!frame.isReply()) {
            queue(new PingFrame(frame.getPayload(), true));
        }
    }

    /** The streams above the last one the service may have processed never were: safe to send again elsewhere. */
    @Override
    public void onGoAway(GoAwayFrame frame) {
        goingAway = true;
        open.forEach(stream -> {
            if (stream.id > frame.getLastStreamId() && !stream.done) {
                stream.failUnprocessed(new Http1Connection.NoResponse());
            }
        });
    }

    @Override
    public void onWindowUpdate(WindowUpdateFrame frame) {
        if (frame.getStreamId() == 0) {
            sendWindow += frame.getWindowDelta();
        } else {
            H2Stream stream = stream(frame.getStreamId());
            if (stream != null) {
                stream.sendWindow += frame.getWindowDelta();
            }
        }
    }

    @Override
    public void onPushPromise(PushPromiseFrame frame) {
        onConnectionFailure(ErrorCode.PROTOCOL_ERROR.code, "push promised though disabled");
    }

    /** A stream the service broke (a header block HPACK cannot decode, a zero window increment): it is reset. */
    @Override
    public void onStreamFailure(int streamId, int error, String reason) {
        H2Stream stream = stream(streamId);
        queue(new ResetFrame(streamId, error));
        if (stream != null && !stream.done) {
            stream.fail(new Http1Connection.Malformed("HTTP/2 " + ErrorCode.toString(error, "error " + error)
                    + ": " + reason));
        }
    }

    @Override
    public void onConnectionFailure(int error, String reason) {
        if (connectionError == null) {
            connectionError = new Http1Connection.Malformed("HTTP/2 " + ErrorCode.toString(error, "error " + error)
                    + ": " + reason);
            connectionErrorCode = error;
        }
    }

    /** A frame to go out with the next write; the parser's listener cannot throw. */
    private void queue(Frame frame) {
        try {
            frames.queue(frame, CONTROL_FRAME_BYTES);
        } catch (HpackException cannot) { // only HEADERS are HPACK-encoded
            throw new IllegalStateException(cannot);
        }
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

    /** The response's fields as a list, read through: copying them into one was a measured part of a request's CPU. */
    private static final class FieldList extends AbstractList<HttpField> implements RandomAccess {
        private final HttpFields fields;

        FieldList(HttpFields fields) {
            this.fields = fields;
        }

        @Override
        public HttpField get(int index) {
            return fields.getField(index);
        }

        @Override
        public int size() {
            return fields.size();
        }
    }

    /** A response on a stream: its fields as Jetty's, so cookies and headers read as for HTTP/1.1. */
    record H2Response(int status, List<HttpField> fields, byte[] body) {
    }

    /** One request's stream: its windows, its response as it arrives, and its phase marks. */
    static final class H2Stream {
        private static final byte[] EMPTY = new byte[0];
        final int id;
        /** Its connection's streams, told when it ends. */
        private final H2Streams table;
        private final long maxBodyBytes;
        private final boolean headRequest;
        long sendWindow;
        long sentNanos = Http1Connection.NOT_YET;
        long firstByteNanos = Http1Connection.NOT_YET;
        /** When the stream ended (its last frame read, or its failure), or NOT_YET. */
        long endNanos = Http1Connection.NOT_YET;
        boolean done;
        IOException failure;
        /**
         * The service did not process the stream (RFC 9113, 8.7): it refused it (REFUSED_STREAM) before any of
         * its response came, or its id is above a GOAWAY's last stream. Only such a stream is safe to send
         * again whatever its method; one that ended any other way may have been processed.
         */
        boolean unprocessed;
        /** The connection's answered streams when this one was sent ({@link H2Connection#answeredSince}). */
        int answeredBefore;
        int status;
        List<HttpField> fields = List.of();
        private byte[] body;
        private int bodyLength;

        H2Stream(H2Streams table, int id, long maxBodyBytes, long sendWindow, boolean headRequest) {
            this.table = table;
            this.id = id;
            this.maxBodyBytes = maxBodyBytes;
            this.sendWindow = sendWindow;
            this.headRequest = headRequest;
        }

        void fail(IOException cause) {
            failure = cause;
            finish();
        }

        /** Ends a stream the service says it did not process; some of a response having come, it did. */
        void failUnprocessed(IOException cause) {
            unprocessed = firstByteNanos == Http1Connection.NOT_YET;
            fail(cause);
        }

        void finish() {
            if (!done) {
                done = true;
                endNanos = System.nanoTime();
                table.ended(this);
            }
        }

        /** False when the body would grow past the limit: the stream has failed. */
        boolean append(ByteBuffer data) {
            int n = data.remaining();
            if (headRequest || n <= 0) {
                return true;
            }
            if (bodyLength + (long) n > maxBodyBytes) {
                fail(new Http1Connection.BodyTooLarge(maxBodyBytes));
                return false;
            }
            if (body == null) {
                body = new byte[n]; // the whole body when it comes in one DATA frame, as a small one does
            } else if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(bodyLength + n, body.length * 2));
            }
            data.get(body, bodyLength, n);
            bodyLength += n;
            return true;
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
