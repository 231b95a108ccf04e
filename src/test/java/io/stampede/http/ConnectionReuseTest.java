package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.api.Response;
import io.stampede.stats.StatsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A user keeps its connection exactly when HTTP/1.1 says it may: a server on 127.0.0.1 answers with
 * a given response head and reports each connection the client closes.
 */
class ConnectionReuseTest {

    /** How long a test waits for the server to see a connection the client closed: only a failing test waits it out. */
    private static final Duration CLOSE_SEEN = Duration.ofSeconds(30);
    /** How long a kept connection must stay open for the test to call it kept. */
    private static final Duration KEPT_OPEN = Duration.ofMillis(300);

    /**
     * Answers every request on a connection with {@code response} until the client closes it. A
     * connection has no idle timeout of its own: on a loaded machine the client's next request may
     * come seconds later, and a server that gave up on it would make the client open another.
     * {@link #close} closes what is still open.
     */
    private static final class FixedServer implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final BlockingQueue<Integer> closedByClientAfter = new LinkedBlockingQueue<>();
        final Queue<Socket> accepted = new ConcurrentLinkedQueue<>();
        volatile boolean closing;

        FixedServer(String response, boolean closeAfterEach) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        accepted.add(socket);
                        Thread.ofVirtual().start(() -> serve(socket, response, closeAfterEach));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket socket, String response, boolean closeAfterEach) {
            int served = 0;
            try (socket) {
                InputStream in = socket.getInputStream();
                while (MisbehavingServer.readRequestHead(in)) {
                    socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                    served++;
                    if (closeAfterEach) {
                        socket.shutdownOutput(); // the body ends with the connection (no length)
                    }
                }
                closedByClientAfter.add(served); // end of stream
            } catch (IOException reset) {
                if (!closing) {
                    closedByClientAfter.add(served); // closed at once, with a reset
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            closing = true;
            server.close();
            for (Socket socket : accepted) {
                socket.close(); // a kept connection's reader ends
            }
        }
    }

    private static int connectionsFor(String response, boolean closeAfterEach, boolean expectClientToClose) throws Exception {
        try (FixedServer server = new FixedServer(response, closeAfterEach);
             UserHttpSession http = new UserHttpSession(URI.create(server.url()), HttpOptions.defaults(),
                     new StatsRecorder(System.currentTimeMillis()))) {
            for (int i = 0; i < 3; i++) {
                Response answer = http.get("/");
                assertThat(answer.error()).isNull();
                assertThat(answer.text()).isEqualTo("hi");
            }
            if (expectClientToClose) {
                // every connection was closed by the client after its one response
                for (int i = 0; i < 3; i++) {
                    assertThat(server.closedByClientAfter.poll(CLOSE_SEEN.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
                }
            } else {
                assertThat(server.closedByClientAfter.poll(KEPT_OPEN.toMillis(), TimeUnit.MILLISECONDS)).isNull(); // still open
            }
            return server.connections.get();
        }
    }

    @Test
    void http11KeepsTheConnectionWithOrWithoutKeepAliveSaid() throws Exception {
        assertThat(connectionsFor("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", false, false)).isEqualTo(1);
        assertThat(connectionsFor("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi", false, false))
                .isEqualTo(1);
        assertThat(connectionsFor("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", false, false)).isEqualTo(1);
    }

    @Test
    void theClientClosesWhenTheResponseSaysSoOrCannotBeFollowed() throws Exception {
        assertThat(connectionsFor("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi", false, true))
                .isEqualTo(3);
        assertThat(connectionsFor("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", false, true)).isEqualTo(3);
        // no length: the body runs to the end of the connection, which cannot carry another request
        assertThat(connectionsFor("HTTP/1.1 200 OK\r\n\r\nhi", true, true)).isEqualTo(3);
    }
}
