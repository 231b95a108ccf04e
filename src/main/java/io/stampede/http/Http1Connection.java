package io.stampede.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * One user's HTTP/1.1 connection: writes a request head it is given and parses the response. A
 * response whose head came whole in one read, framed by one Content-Length, goes to {@link WholeResponse}
 * (a sixth of Jetty's CPU); the rest to Jetty's {@link HttpParser}, which frames bodies (length,
 * chunks, end of connection) and caches common header fields. Blocking, for one virtual thread. Its
 * bytes go through an {@link Http1Wire}: a plain connection's channel, or a TLS socket's streams.
 *
 * <p>The thread steps aside ({@link Thread#yield()}) once a request is sent, so the other users run
 * before it reads. A read straight after the send nearly always comes before the response, fails
 * with EAGAIN, arms the socket in the JDK's poller and parks the thread, and the poller then wakes
 * the idle carrier with a futex: 2 reads, 1 epoll_ctl, 2.9 futex calls and 2 context switches per
 * request, 34 µs of CPU. With the yield the read usually finds the response: 1 read and 11.5 µs
 * (perf stat, 50 users against nginx, one core each; README, "Where a request's time goes").
 */
final class Http1Connection implements OriginConnection {

    /** Read buffer: the parser keeps its own state across reads, so a response head may be larger. */
    private static final int READ_BYTES = 1024;
    /** A longer response head is malformed; Jetty's own default of 8 KiB is tight for big cookies. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final Http1Wire wire;
    // The read buffer (heap: WholeResponse reads its array); given back to ReadBuffers while the user waits (idle()),
    // unless it holds bytes already read past the last response.
    private ByteBuffer readBuffer;
    private final Collector response = new Collector();
    private final HttpParser parser = new HttpParser(response, MAX_HEAD_BYTES);
    private final WholeResponse whole = new WholeResponse();
    /** No byte of the coming response has gone to the parser yet: {@link WholeResponse} may take it whole. */
    private boolean atResponseStart;
    private boolean receivedAny;
    // When the last exchange's request was written and its first response byte read (System.nanoTime,
    // NOT_YET until then): the phase timings' marks, taken at points the exchange passes anyway.
    static final long NOT_YET = Long.MIN_VALUE;
    private long sentNanos = NOT_YET;
    private long firstByteNanos = NOT_YET;

    /** @param socket connected, with its read timeout set */
    Http1Connection(Socket socket) throws IOException {
        this(socket, socket);
    }

    /**
     * @param socket    connected, with its read timeout set; a TLS socket has done its handshake
     * @param transport the TCP socket {@code socket} is layered on, or {@code socket} itself
     */
    Http1Connection(Socket socket, Socket transport) throws IOException {
        this(new SocketWire(socket, transport));
    }

    /**
     * @param channel         connected, in blocking mode: a plain connection
     * @param responseTimeout how long a read may wait, as a socket's read timeout (0: for ever)
     */
    Http1Connection(SocketChannel channel, Duration responseTimeout) {
        this(new ChannelWire(channel, responseTimeout));
    }

    private Http1Connection(Http1Wire wire) {
        this.wire = wire;
        this.readBuffer = ReadBuffers.take(READ_BYTES, false);
    }

    @Override
    public boolean isOpen() {
        return wire.isOpen();
    }

    /** Whether the last exchange read any byte of a response (a failure before that may be retried). */
    boolean receivedAny() {
        return receivedAny;
    }

    /** When the last exchange's request was flushed, or {@link #NOT_YET}. */
    long sentNanos() {
        return sentNanos;
    }

    /** When the last exchange's first response byte was read, or {@link #NOT_YET}. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /**
     * Sends a request and reads its response.
     *
     * @param head         the request line and headers, ending with the empty line
     * @param body         the body or null
     * @param headRequest  a HEAD request: the response has no body whatever its headers say
     * @param maxBodyBytes a larger body fails with {@link BodyTooLarge}
     * @throws NoResponse        the connection ended before any byte of a response
     * @throws ClosedMidResponse it ended inside the response
     * @throws Malformed         the response is not HTTP/1.x
     */
    Http1Response exchange(byte[] head, int headLength, byte[] body, boolean headRequest, long maxBodyBytes)
            throws IOException {
        sentNanos = NOT_YET;
        firstByteNanos = NOT_YET;
        if (readBuffer == null) {
            readBuffer = ReadBuffers.take(READ_BYTES, false);
        }
        wire.write(head, headLength, body);
        sentNanos = System.nanoTime();
        if (Thread.currentThread().isVirtual()) {
            Thread.yield(); // on a platform thread this would be a sched_yield system call: not worth it
        }
        expectResponse(headRequest, maxBodyBytes);
        receivedAny = readBuffer.hasRemaining();
        if (receivedAny) {
            firstByteNanos = sentNanos; // already read with the previous response
        }
        boolean eof = false;
        while (true) {
            if (!readBuffer.hasRemaining()) {
                readBuffer.clear();
                int n = wire.read(readBuffer);
                if (n < 0) {
                    if (!receivedAny) {
                        throw new NoResponse();
                    }
                    eof = true;
                    parser.atEOF();
                    readBuffer.limit(0);
                } else {
                    if (!receivedAny) {
                        firstByteNanos = System.nanoTime();
                    }
                    receivedAny = true;
                    readBuffer.flip();
                }
            }
            if (atResponseStart && !eof) {
                atResponseStart = false;
                byte[] bytes = readBuffer.array();
                int offset = readBuffer.arrayOffset();
                int end = whole.parse(bytes, offset + readBuffer.position(), offset + readBuffer.limit(),
                        headRequest, maxBodyBytes);
                if (end >= 0) {
                    return wholeResponse(bytes, offset);
                }
            }
            parser.parseNext(readBuffer);
            response.check();
            if (response.complete) {
                if (response.status >= 100 && response.status < 200 && response.status != 101) {
                    expectResponse(headRequest, maxBodyBytes); // an interim response (100 Continue, 103): the real one follows
                    continue;
                }
                return response.result(eof);
            }
            if (eof || parser.isState(HttpParser.State.CLOSED)) {
                throw new ClosedMidResponse();
            }
        }
    }

    /**
     * The user waits before its next request: the read buffer goes back to {@link ReadBuffers}, unless
     * it holds bytes read past the last response, which the next exchange must see; so does the
     * wire's write buffer.
     */
    void idle() {
        if (readBuffer != null && !readBuffer.hasRemaining()) {
            giveBuffersBack();
        } else {
            wire.idle();
        }
    }

    /** The read buffer and the wire's write buffer go back to {@link ReadBuffers}. */
    private void giveBuffersBack() {
        if (readBuffer != null) {
            parser.reset(); // it keeps its last content chunk, a view of this buffer, until then
            ReadBuffers.give(readBuffer);
            readBuffer = null;
        }
        wire.idle();
    }

    /** Whether this connection holds a read buffer now. */
    boolean holdsReadBuffer() {
        return readBuffer != null;
    }

    /**
     * The response {@link WholeResponse} took from the read buffer's array ({@code bytes}, the buffer's
     * from {@code offset}): the part of its body read so far is copied, the rest read here; the bytes
     * after the body stay in the buffer for the next exchange.
     */
    private Http1Response wholeResponse(byte[] bytes, int offset) throws IOException {
        int length = whole.bodyLength();
        int bodyFrom = whole.bodyFrom();
        int got = Math.min(length, offset + readBuffer.limit() - bodyFrom);
        byte[] content = length == 0 ? Collector.EMPTY : new byte[length];
        System.arraycopy(bytes, bodyFrom, content, 0, got);
        Http1Response parsed = whole.response(bytes, content); // copies the head before the buffer is read into again
        readBuffer.position(bodyFrom + got - offset);
        while (got < length) {
            readBuffer.clear();
            int n = wire.read(readBuffer);
            if (n < 0) {
                readBuffer.limit(0);
                throw new ClosedMidResponse();
            }
            int take = Math.min(n, length - got);
            System.arraycopy(readBuffer.array(), offset, content, got, take);
            got += take;
            readBuffer.flip().position(take);
        }
        return parsed;
    }

    private void expectResponse(boolean headRequest, long maxBodyBytes) {
        response.start(maxBodyBytes);
        parser.reset();
        atResponseStart = true;
        parser.setHeadResponse(headRequest);
    }

    @Override
    public void close() {
        wire.close();
    }

    /**
     * Closes a connection the service is ending (its response said so, or ran to the end of the
     * connection). Over TLS only the TCP socket is closed: a close_notify would be written into a
     * socket the service has closed or is closing, and the JDK throws and catches two exceptions for
     * that "Broken pipe" on every reconnect. The TLS session stays in the context's cache, so the next
     * connection resumes it as before ({@code TlsEndToEndTest} reads nginx's {@code $ssl_session_reused}).
     */
    void closeEnded() {
        wire.closeTransport();
        // The user's own thread, done with this connection: its buffers serve the next one, so a plan
        // that reconnects for every request does not allocate two direct buffers each time. Not in
        // close(), which another thread may call while this one reads into them.
        giveBuffersBack();
    }

    /**
     * A parsed response; {@code endedWithConnection}: its body ran to the end of the connection. The
     * Connection header's tokens and whether any Set-Cookie came are noted while parsing, so neither
     * the keep-alive decision nor the cookie store has to walk the fields.
     */
    record Http1Response(HttpVersion version, int status, String reason, List<HttpField> fields, byte[] body,
                         boolean endedWithConnection, boolean saysClose, boolean saysKeepAlive, boolean setsCookies) {

        /** RFC 9112, section 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
        boolean persistent(boolean requestSaidClose) {
            if (requestSaidClose || endedWithConnection) {
                return false;
            }
            return !saysClose && (version == HttpVersion.HTTP_1_1 || saysKeepAlive && version == HttpVersion.HTTP_1_0);
        }
    }

    /** The connection ended before any byte of a response: a kept-alive connection the service closed. */
    static final class NoResponse extends EOFException {
        NoResponse() {
            super("no response");
        }
    }

    /** The connection ended inside a response. */
    static final class ClosedMidResponse extends EOFException {
        ClosedMidResponse() {
            super("connection closed before the response ended");
        }
    }

    /** What came back is not an HTTP/1.x response. */
    static final class Malformed extends IOException {
        Malformed(String reason) {
            super(reason);
        }
    }

    /** The body is larger than the plan allows. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge(long max) {
            super("response body over " + max + " bytes");
        }
    }

    /** Receives the parser's events for one response. */
    private static final class Collector implements HttpParser.ResponseHandler {
        private static final byte[] EMPTY = new byte[0];
        HttpVersion version;
        int status;
        String reason;
        List<HttpField> fields;
        byte[] body;
        int bodyLength;
        long maxBodyBytes;
        boolean complete;
        boolean earlyEof;
        String malformed;
        boolean tooLarge;
        boolean saysClose;
        boolean saysKeepAlive;
        boolean setsCookies;

        void start(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            version = null;
            status = 0;
            reason = null;
            fields = null; // made at the first field
            body = null;
            bodyLength = 0;
            complete = false;
            earlyEof = false;
            malformed = null;
            tooLarge = false;
            saysClose = false;
            saysKeepAlive = false;
            setsCookies = false;
        }

        void check() throws IOException {
            if (malformed != null) {
                throw new Malformed(malformed);
            }
            if (tooLarge) {
                throw new BodyTooLarge(maxBodyBytes);
            }
            if (earlyEof) {
                throw new ClosedMidResponse();
            }
        }

        /**
         * The response, handed over: the collector lets go of its parts, which would otherwise live
         * as long as the user waits for its next request (seconds), outlive a young collection and
         * be promoted to the old generation, where only a full collection frees them.
         */
        Http1Response result(boolean endedWithConnection) {
            byte[] content = body == null ? EMPTY : bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
            Http1Response response = new Http1Response(version, status, reason, fields == null ? List.of() : fields,
                    content, endedWithConnection,
                    saysClose, saysKeepAlive, setsCookies);
            reason = null;
            fields = null;
            body = null;
            return response;
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.version = version;
            this.status = status;
            this.reason = reason;
        }

        @Override
        public void parsedHeader(HttpField field) {
            if (fields == null) {
                fields = new ArrayList<>(8); // handed out with the response
            }
            fields.add(field);
            if (field.getHeader() == HttpHeader.CONNECTION) {
                saysClose |= field.contains("close");
                saysKeepAlive |= field.contains("keep-alive");
            } else if (field.getHeader() == HttpHeader.SET_COOKIE) {
                setsCookies = true;
            }
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer item) {
            int n = item.remaining();
            if (bodyLength + (long) n > maxBodyBytes) {
                tooLarge = true;
                item.position(item.limit());
                return true;
            }
            if (body == null) {
                body = new byte[n];
            } else if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(bodyLength + n, body.length * 2));
            }
            item.get(body, bodyLength, n);
            bodyLength += n;
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            complete = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            earlyEof = true;
        }

        @Override
        public void badMessage(HttpException failure) {
            malformed = failure.getReason() == null ? String.valueOf(failure) : failure.getReason();
        }
    }
}
