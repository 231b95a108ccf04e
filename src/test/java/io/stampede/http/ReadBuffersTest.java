package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection whose user waits gives its read buffer back, and takes one again for its next request;
 * bytes it already read past a response stay with it. A server on 127.0.0.1 answers by script.
 */
class ReadBuffersTest {

    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static String response(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Serves one connection: for each request it reads, writes the next of {@code answers} (one write each). */
    private static CompletableFuture<Void> serve(ServerSocket server, String... answers) {
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (String answer : answers) {
                    if (!MisbehavingServer.readRequestHead(in)) {
                        return;
                    }
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                MisbehavingServer.readRequestHead(in); // until the client closes
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A plain connection's channel (direct buffers), or a socket's streams (heap buffers), as TLS uses. */
    private static Http1Connection connect(ServerSocket server, boolean channel) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        if (channel) {
            return new Http1Connection(SocketChannel.open(address), Duration.ofSeconds(30));
        }
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(30_000);
        return new Http1Connection(socket);
    }

    private static String body(Http1Connection.Http1Response response) {
        return new String(response.body(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aConnectionTheServiceEndsGivesItsBuffersBack(boolean channel) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = serve(server, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye");
            Http1Connection connection = connect(server, channel);
            Http1Connection.Http1Response response = connection.exchange(GET, GET.length, null, false, 1 << 20);
            int freeBefore = ReadBuffers.free();
            connection.closeEnded();
            assertThat(body(response)).isEqualTo("bye"); // the body is the response's own, not a view of the buffer
            assertThat(connection.holdsReadBuffer()).isFalse();
            // the read buffer, and a channel's write buffer, are free for the next connection
            assertThat(ReadBuffers.free()).isGreaterThanOrEqualTo(Math.min(ReadBuffers.KEPT, freeBefore + (channel ? 2 : 1)));
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWaitingConnectionHoldsNoReadBufferAndTakesOneForItsNextRequest(boolean channel) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = serve(server, response("one"), response("two"));
            Http1Connection connection = connect(server, channel);
            assertThat(body(connection.exchange(GET, GET.length, null, false, 1 << 20))).isEqualTo("one");
            connection.idle();
            assertThat(connection.holdsReadBuffer()).isFalse();
            assertThat(body(connection.exchange(GET, GET.length, null, false, 1 << 20))).isEqualTo("two");
            assertThat(connection.holdsReadBuffer()).isTrue();
            connection.close();
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bytesReadPastAResponseStayWithTheConnection(boolean channel) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // both responses in one write after the first request: one read takes them both
            CompletableFuture<Void> served = serve(server, response("one") + response("two"));
            Http1Connection connection = connect(server, channel);
            assertThat(body(connection.exchange(GET, GET.length, null, false, 1 << 20))).isEqualTo("one");
            connection.idle();
            assertThat(connection.holdsReadBuffer()).isTrue();
            assertThat(body(connection.exchange(GET, GET.length, null, false, 1 << 20))).isEqualTo("two");
            connection.close();
            served.get(30, TimeUnit.SECONDS);
        }
    }
}
