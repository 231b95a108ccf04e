package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.http.Http1Connection.Http1Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * {@link WholeResponse} takes a response only where Jetty's parser, given the same bytes, reads the
 * same version, status, reason, fields, body and end; and it does take the common ones.
 */
class WholeResponseTest {

    private static final long MAX_BODY = 1 << 20;
    private static final String NGINX = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 12:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nhello\n";

    /** What Jetty's parser read from the bytes, or null when it did not end a message in them. */
    private record Jetty(HttpVersion version, int status, String reason, List<HttpField> fields, byte[] body, int end) {
    }

    private static Jetty jetty(byte[] bytes, boolean headRequest) {
        List<HttpField> fields = new ArrayList<>();
        ByteBuffer bodyBytes = ByteBuffer.allocate(bytes.length);
        Object[] line = new Object[3];
        boolean[] complete = {false};
        boolean[] bad = {false};
        HttpParser parser = new HttpParser(new HttpParser.ResponseHandler() {
            @Override
            public void startResponse(HttpVersion version, int status, String reason) {
                line[0] = version;
                line[1] = status;
                line[2] = reason;
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
                bodyBytes.put(item);
                return false;
            }

            @Override
            public boolean contentComplete() {
                return false;
            }

            @Override
            public boolean messageComplete() {
                complete[0] = true;
                return true;
            }

            @Override
            public void earlyEOF() {
                bad[0] = true;
            }

            @Override
            public void badMessage(HttpException failure) {
                bad[0] = true;
            }
        }, 64 * 1024);
        parser.setHeadResponse(headRequest);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        parser.parseNext(in);
        if (!complete[0] || bad[0]) {
            return null;
        }
        return new Jetty((HttpVersion) line[0], (Integer) line[1], (String) line[2], fields,
                Arrays.copyOf(bodyBytes.array(), bodyBytes.position()), in.position());
    }

    /** Parses with both (the bytes placed at an offset, as in a read buffer); returns this class's answer, or null. */
    private static Http1Response both(String text) {
        return both(text.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static Http1Response both(byte[] message, boolean headRequest) {
        int offset = 3;
        byte[] buffer = new byte[offset + message.length + 5];
        System.arraycopy(message, 0, buffer, offset, message.length);
        WholeResponse whole = new WholeResponse();
        int end = whole.parse(buffer, offset, offset + message.length, headRequest, MAX_BODY);
        if (end < 0) {
            return null;
        }
        // a body that goes on past these bytes: the rest as if it came in later reads, to both
        byte[] full = message;
        if (end - offset > message.length) {
            full = Arrays.copyOf(message, end - offset);
            Arrays.fill(full, message.length, full.length, (byte) 'z');
        }
        int bodyFrom = whole.bodyFrom() - offset;
        Http1Response ours = whole.response(buffer, Arrays.copyOfRange(full, bodyFrom, bodyFrom + whole.bodyLength()));
        Jetty theirs = jetty(full, headRequest);
        assertThat(theirs).as("Jetty ends a message in %s", show(full)).isNotNull();
        assertThat(end - offset).as("end").isEqualTo(theirs.end());
        assertThat(ours.version()).isEqualTo(theirs.version());
        assertThat(ours.status()).isEqualTo(theirs.status());
        assertThat(ours.reason()).isEqualTo(theirs.reason());
        assertThat(ours.body()).isEqualTo(theirs.body());
        assertThat(ours.fields()).hasSameSizeAs(theirs.fields());
        for (int i = 0; i < theirs.fields().size(); i++) {
            HttpField mine = ours.fields().get(i);
            HttpField jettys = theirs.fields().get(i);
            assertThat(mine.getName()).isEqualTo(jettys.getName());
            assertThat(mine.getValue()).isEqualTo(jettys.getValue());
            assertThat(mine.getHeader()).isEqualTo(jettys.getHeader());
        }
        boolean close = false;
        boolean keepAlive = false;
        boolean cookies = false;
        for (HttpField field : theirs.fields()) {
            if (field.getHeader() == HttpHeader.CONNECTION) {
                close |= field.contains("close");
                keepAlive |= field.contains("keep-alive");
            }
            cookies |= field.getHeader() == HttpHeader.SET_COOKIE;
        }
        assertThat(ours.saysClose()).isEqualTo(close);
        assertThat(ours.saysKeepAlive()).isEqualTo(keepAlive);
        assertThat(ours.setsCookies()).isEqualTo(cookies);
        return ours;
    }

    private static String show(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }

    @Test
    void takesTheCommonResponsesAsJettyReadsThem() {
        Http1Response nginx = both(NGINX);
        assertThat(nginx).isNotNull();
        assertThat(new String(nginx.body(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        assertThat(nginx.persistent(false)).isTrue();
        assertThat(both("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")).isNotNull();
        assertThat(both("HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\ncontent-length: 2\r\n\r\nok").setsCookies()).isTrue();
        assertThat(both("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").persistent(false)).isFalse();
        assertThat(both("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: Keep-Alive\r\n\r\nok").persistent(false)).isTrue();
        assertThat(both("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok").persistent(false)).isFalse();
        Http1Response goesOn = both("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        assertThat(new String(goesOn.body(), StandardCharsets.US_ASCII)).as("the rest came later").isEqualTo("shortzzzzz");
        assertThat(both("HTTP/1.1 503 Service Unavailable\r\nX-Empty-Ish:  v  \r\nContent-Length: 3\r\n\r\nabcEXTRA"))
                .isNotNull();
    }

    @Test
    void leavesToJettyWhatItDoesNotTake() {
        for (String text : List.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: " + (WholeResponse.MAX_BODY_BYTES + 1) + "\r\n\r\nlarge",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n folded\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nConnection: keep-alive, Upgrade\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
                "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nX-Caf\u00e9: \u00e9\r\nContent-Length: 2\r\n\r\nok")) {
            assertThat(both(text)).as(text).isNull();
        }
        assertThat(both(NGINX.getBytes(StandardCharsets.US_ASCII), true)).as("a HEAD request's answer").isNull();
        assertThat(new WholeResponse().parse(NGINX.getBytes(StandardCharsets.US_ASCII), 0, NGINX.length(), false, 5))
                .as("a body over the limit: Jetty names the failure").isEqualTo(-1);
    }

    /** Any byte of a response changed: this class either leaves it to Jetty or reads it as Jetty does. */
    @Test
    void neverDisagreesWithJettyOnChangedBytes() {
        Random random = new Random(17);
        byte[] alphabet = " \t\r\n:;,-=/0123456789aAcClLoOsSeEkK\u00e9\u0000\u007f".getBytes(StandardCharsets.ISO_8859_1);
        byte[] base = (NGINX.replace("\r\n\r\n", "\r\nSet-Cookie: s=1\r\nX-Pad: a b\r\n\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1);
        int taken = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] changed = base.clone();
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                changed[random.nextInt(changed.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            if (both(changed, false) != null) {
                taken++;
            }
        }
        assertThat(taken).as("some changed responses are still plain ones").isPositive();
    }

    /**
     * Through a real connection against a raw server: the common response is taken whole; a response
     * whose head is split over reads, and an interim one, go to Jetty, and the final response after the
     * interim one is taken whole again; a body longer than a read is read to its end; bytes read past
     * one response are the next exchange's; a connection ending inside a body fails the exchange.
     */
    @Test
    void aConnectionTakesWholeResponsesAndLeavesTheRestToJetty() throws Exception {
        byte[] get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Http1Connection connection = new Http1Connection(SocketChannel.open(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())), Duration.ofSeconds(10));
            try (Socket accepted = server.accept()) {
                OutputStream out = accepted.getOutputStream();
                InputStream in = accepted.getInputStream();

                out.write(NGINX.getBytes(StandardCharsets.US_ASCII));
                Http1Response plain = connection.exchange(get, get.length, null, false, MAX_BODY);
                in.readNBytes(get.length);
                assertThat(plain.fields()).as("taken whole").isInstanceOf(WholeResponse.HeadFields.class);
                assertThat(new String(plain.body(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
                assertThat(plain.fields()).extracting(HttpField::getName).contains("Server", "Content-Length");

                CompletableFuture<Void> split = CompletableFuture.runAsync(() -> {
                    try {
                        out.write("HTTP/1.1 200 OK\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                        out.write("ngth: 5\r\n\r\nabcde".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Http1Response late = connection.exchange(get, get.length, null, false, MAX_BODY);
                split.get(10, TimeUnit.SECONDS);
                in.readNBytes(get.length);
                assertThat(late.fields()).as("a head split over reads: Jetty's").isNotInstanceOf(WholeResponse.HeadFields.class);
                assertThat(new String(late.body(), StandardCharsets.US_ASCII)).isEqualTo("abcde");

                out.write(("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
                        + "HTTP/1.1 202 Accepted\r\nContent-Length: 4\r\n\r\nnext").getBytes(StandardCharsets.US_ASCII));
                Http1Response afterInterim = connection.exchange(get, get.length, null, false, MAX_BODY);
                assertThat(afterInterim.status()).isEqualTo(201);
                assertThat(afterInterim.fields()).as("after Jetty's 100").isInstanceOf(WholeResponse.HeadFields.class);
                assertThat(new String(afterInterim.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
                Http1Response leftOver = connection.exchange(get, get.length, null, false, MAX_BODY);
                assertThat(leftOver.status()).as("read with the one before").isEqualTo(202);
                assertThat(new String(leftOver.body(), StandardCharsets.US_ASCII)).isEqualTo("next");
                assertThat(in.readNBytes(get.length * 2)).hasSize(get.length * 2);

                byte[] large = new byte[5000];
                for (int i = 0; i < large.length; i++) {
                    large[i] = (byte) ('a' + i % 26);
                }
                CompletableFuture<Void> pieces = CompletableFuture.runAsync(() -> {
                    try {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(large, 0, 100);
                        out.flush();
                        Thread.sleep(50);
                        out.write(large, 100, 4900);
                        out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Http1Response big = connection.exchange(get, get.length, null, false, MAX_BODY);
                pieces.get(10, TimeUnit.SECONDS);
                assertThat(big.fields()).as("its head whole in one read").isInstanceOf(WholeResponse.HeadFields.class);
                assertThat(big.body()).isEqualTo(large);
                assertThat(connection.exchange(get, get.length, null, false, MAX_BODY).status())
                        .as("the bytes after the body: the next exchange's").isEqualTo(204);
                in.readNBytes(get.length * 2);

                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\nonly this".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                accepted.shutdownOutput();
                assertThatThrownBy(() -> connection.exchange(get, get.length, null, false, MAX_BODY))
                        .isInstanceOf(Http1Connection.ClosedMidResponse.class);
            } finally {
                connection.close();
            }
        }
    }
}
