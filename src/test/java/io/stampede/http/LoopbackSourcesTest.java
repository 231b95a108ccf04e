package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.StatsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Connections to a loopback service leave from several 127.0.0.x addresses, so ~28,000 ports per address is no ceiling. */
class LoopbackSourcesTest {

    @Test
    void addressesGoRoundFrom127001() throws Exception {
        assertThat(LoopbackSources.address(0)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(LoopbackSources.address(1)).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(LoopbackSources.address(LoopbackSources.ADDRESSES - 1))
                .isEqualTo(InetAddress.getByName("127.0.0." + LoopbackSources.ADDRESSES));
        assertThat(LoopbackSources.address(LoopbackSources.ADDRESSES)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(LoopbackSources.address(-1)).isEqualTo(InetAddress.getByName("127.0.0." + LoopbackSources.ADDRESSES));
        assertThat(LoopbackSources.address(Integer.MAX_VALUE + 1)).isNotNull(); // the counter may wrap
    }

    @Test
    void onlyIpv4LoopbackTargetsAreSpread() throws Exception {
        assertThat(LoopbackSources.spreads(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(LoopbackSources.spreads(InetAddress.getByName("127.3.2.1"))).isTrue();
        assertThat(LoopbackSources.spreads(InetAddress.getByName("::1"))).isFalse();
        assertThat(LoopbackSources.spreads(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(LoopbackSources.spreads(InetAddress.getByName("192.0.2.7"))).isFalse();
    }

    @Test
    void sessionsToALoopbackServiceConnectFromSeveralSourceAddresses() throws Exception {
        Set<InetAddress> clients = ConcurrentHashMap.newKeySet();
        try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        clients.add(socket.getInetAddress());
                        Thread.ofVirtual().start(() -> answerOnce(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            StatsRecorder recorder = new StatsRecorder(0);
            List<UserHttpSession> sessions = new ArrayList<>();
            for (int i = 0; i < 2 * LoopbackSources.ADDRESSES; i++) {
                UserHttpSession http = new UserHttpSession(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                        HttpOptions.defaults(), recorder);
                sessions.add(http);
                assertThat(http.get("/").status()).isEqualTo(200);
            }
            sessions.forEach(UserHttpSession::close);
            server.close();
            acceptor.join(5_000);
        }
        // Other tests in this JVM move the shared counter, so not every address need be seen; most are.
        assertThat(clients).hasSizeGreaterThan(LoopbackSources.ADDRESSES / 2);
        assertThat(clients).allMatch(a -> a.getHostAddress().startsWith("127.0.0."));
    }

    private static void answerOnce(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            int matched = 0;
            while (matched < 4) { // up to the blank line after the request head
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read(); // hold the connection until the client closes it
        } catch (IOException ignored) {
            // the client closed first
        }
    }
}
