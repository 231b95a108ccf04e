package io.stampede.http;

import io.stampede.http.Http1Connection.Http1Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The common response parsed without Jetty's {@link HttpParser}: its head all in the bytes read so
 * far, HTTP/1.0 or 1.1, a final status with a body, framed by one Content-Length of at most
 * {@link #MAX_BODY_BYTES} (the body may go on in later reads: the connection reads the rest), every
 * byte of its head in the plain set (tokens for names, visible ASCII for the reason and values).
 * Anything else (chunks, a body to the end of the connection, a head split over reads, a folded
 * line, 1xx/204/304, a HEAD request) is left to Jetty on the same bytes,
 * so a response parsed here is one Jetty parses to the same status, fields and body
 * ({@code WholeResponseTest} compares both on the same bytes). The fields are Jetty's own, made
 * from the kept head when first asked for.
 *
 * <p>Why: Jetty's parser was the largest part of a request's user-space CPU (README, "Where a
 * request's time goes"), and most of it made strings and fields (Date, Server) that a plan without
 * checks never reads. Here the head's fields stay bytes until someone asks for them.
 *
 * <p>One per connection, not thread-safe: {@link #parse} keeps what it found for {@link #response}.
 */
final class WholeResponse {

    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET_COOKIE = "set-cookie".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    /**
     * A longer body goes to Jetty, whose collector grows its array as bytes come: this class makes the
     * body's array at once, and a service claiming a gigabyte and sending ten bytes must not cost one.
     */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** More digits could overflow a long; Jetty's parser refuses such a length too. */
    private static final int MAX_LENGTH_DIGITS = 18;
    /** RFC 9110's tchar: the bytes a field name may hold. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    // What the last successful parse found.
    private HttpVersion version;
    private int status;
    private int reasonFrom;
    private int reasonTo;
    private int headFrom;
    private int bodyFrom;
    private long contentLength;
    private boolean saysClose;
    private boolean saysKeepAlive;
    private boolean setsCookies;

    /**
     * Parses {@code b[from, to)} as the start of one response; returns where it ends, past {@code to}
     * when its body goes on in later reads, or -1 when it is not one this class takes (nothing is kept
     * then, and the bytes go to Jetty as they are).
     */
    int parse(byte[] b, int from, int to, boolean headRequest, long maxBodyBytes) {
        // "HTTP/1.1 200 R\r\n": 7 + 1 + 1 + 3 + 1 + reason + 2
        if (headRequest || to - from < 16 || !startsWith(b, from, HTTP_1)) {
            return -1;
        }
        headFrom = from;
        int p = from + HTTP_1.length;
        version = b[p] == '1' ? HttpVersion.HTTP_1_1 : b[p] == '0' ? HttpVersion.HTTP_1_0 : null;
        if (version == null || b[p + 1] != ' ' || !digit(b[p + 2]) || !digit(b[p + 3]) || !digit(b[p + 4])
                || b[p + 5] != ' ') {
            return -1;
        }
        status = (b[p + 2] - '0') * 100 + (b[p + 3] - '0') * 10 + (b[p + 4] - '0');
        if (status < 200 || status == 204 || status == 304) {
            return -1; // no body by rule, or an interim response: Jetty's
        }
        p += 6;
        reasonFrom = p;
        while (p < to && b[p] != '\r') {
            if (b[p] == '\t' || !visibleOrSpace(b[p])) {
                return -1; // a tab in the reason is Jetty's to judge
            }
            p++;
        }
        reasonTo = p;
        if (reasonTo == reasonFrom || b[reasonFrom] == ' ' || b[reasonTo - 1] == ' ' || !crlf(b, p, to)) {
            return -1;
        }
        p += 2;
        contentLength = -1;
        saysClose = false;
        saysKeepAlive = false;
        setsCookies = false;
        while (true) {
            if (p >= to) {
                return -1; // the head goes on in a later read
            }
            if (b[p] == '\r') {
                if (!crlf(b, p, to)) {
                    return -1;
                }
                p += 2;
                break;
            }
            int nameFrom = p;
            while (p < to && b[p] != ':') {
                if (b[p] < 0 || !TOKEN[b[p]]) {
                    return -1; // also a folded line (SP, HT first) and whitespace before the colon
                }
                p++;
            }
            int nameTo = p;
            if (p >= to || nameTo == nameFrom) {
                return -1;
            }
            p++;
            while (p < to && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int valueFrom = p;
            while (p < to && b[p] != '\r') {
                if (!visibleOrSpace(b[p])) {
                    return -1;
                }
                p++;
            }
            int valueTo = p;
            while (valueTo > valueFrom && (b[valueTo - 1] == ' ' || b[valueTo - 1] == '\t')) {
                valueTo--;
            }
            if (!crlf(b, p, to) || valueTo == valueFrom) {
                return -1;
            }
            p += 2;
            if (!field(b, nameFrom, nameTo, valueFrom, valueTo)) {
                return -1;
            }
        }
        bodyFrom = p;
        if (contentLength < 0 || contentLength > maxBodyBytes || contentLength > MAX_BODY_BYTES) {
            return -1; // no length, over the plan's limit (Jetty names it), or large: Jetty's
        }
        return bodyFrom + (int) contentLength;
    }

    /** Where the body of the last {@link #parse} starts in its bytes. */
    int bodyFrom() {
        return bodyFrom;
    }

    /** The body length of the last {@link #parse}. */
    int bodyLength() {
        return (int) contentLength;
    }

    /**
     * The response the last {@link #parse} found in {@code b}, its head copied from there (so the
     * buffer may be read into again), with {@code body}, of {@link #bodyLength()} bytes.
     */
    Http1Response response(byte[] b, byte[] body) {
        String reason = reasonTo - reasonFrom == 2 && b[reasonFrom] == 'O' && b[reasonFrom + 1] == 'K'
                ? "OK" : new String(b, reasonFrom, reasonTo - reasonFrom, StandardCharsets.ISO_8859_1);
        return new Http1Response(version, status, reason, new HeadFields(Arrays.copyOfRange(b, headFrom, bodyFrom)),
                body, false, saysClose, saysKeepAlive, setsCookies);
    }

    /** Notes what a field changes; false for one that is Jetty's to judge (framing, an unusual Connection). */
    private boolean field(byte[] b, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (named(b, nameFrom, nameTo, CONTENT_LENGTH)) {
            if (contentLength >= 0 || valueTo - valueFrom > MAX_LENGTH_DIGITS) {
                return false; // a second one: Jetty refuses or picks; either way its decision
            }
            long n = 0;
            for (int i = valueFrom; i < valueTo; i++) {
                if (!digit(b[i])) {
                    return false;
                }
                n = n * 10 + (b[i] - '0');
            }
            contentLength = n;
        } else if (named(b, nameFrom, nameTo, TRANSFER_ENCODING)) {
            return false;
        } else if (named(b, nameFrom, nameTo, CONNECTION)) {
            if (named(b, valueFrom, valueTo, CLOSE)) {
                saysClose = true;
            } else if (named(b, valueFrom, valueTo, KEEP_ALIVE)) {
                saysKeepAlive = true;
            } else {
                return false; // a list of tokens: Jetty's
            }
        } else if (named(b, nameFrom, nameTo, SET_COOKIE)) {
            setsCookies = true;
        }
        return true;
    }

    /** Whether {@code b[from, to)} is {@code lower} in any case (ASCII letters, digits, '-'). */
    private static boolean named(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int from, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean crlf(byte[] b, int p, int to) {
        return p + 1 < to && b[p] == '\r' && b[p + 1] == '\n';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Visible ASCII, space or tab: what a reason or value may hold here (obs-text and controls are Jetty's). */
    private static boolean visibleOrSpace(byte c) {
        return c >= ' ' && c < 0x7f || c == '\t';
    }

    /**
     * A response's header fields kept as its head's bytes (checked by {@link #parse}) and given to
     * Jetty's parser on first use, so they are the very fields Jetty would have made (its cache gives
     * known fields their canonical case, "Keep-Alive" reads "keep-alive"). A plan that reads no header
     * never pays for them.
     */
    static final class HeadFields extends AbstractList<HttpField> {
        private final byte[] head;
        private List<HttpField> fields;

        HeadFields(byte[] head) {
            this.head = head;
        }

        @Override
        public HttpField get(int index) {
            return fields().get(index);
        }

        @Override
        public int size() {
            return fields().size();
        }

        private List<HttpField> fields() {
            if (fields == null) {
                List<HttpField> made = new ArrayList<>(8);
                HttpParser parser = new HttpParser(new FieldsOnly(made), head.length);
                parser.setHeadResponse(true); // the head alone: its body is not here
                parser.parseNext(ByteBuffer.wrap(head));
                fields = made;
            }
            return fields;
        }
    }

    /** Collects a head's fields; the rest of what the parser says was judged by {@link #parse} already. */
    private record FieldsOnly(List<HttpField> fields) implements HttpParser.ResponseHandler {
        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer item) {
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {
        }

        @Override
        public void badMessage(HttpException failure) {
        }
    }
}
