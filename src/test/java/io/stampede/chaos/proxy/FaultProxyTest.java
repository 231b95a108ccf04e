package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.testing.Waiting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay itself: bytes both ways, ends, enabling, closing, and the API's errors. */
@Timeout(60) // a deadline against hangs, generous for a busy machine
class FaultProxyTest {

    @Test
    void relaysBytesBothWaysUnchanged() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("echo", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            byte[] data = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(data);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(data);
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(Wire.readToEnd(client)).isEqualTo(data);
            writer.join();
        }
    }

    @Test
    void listenNamesTheRealPortAndUpstreamAsGiven() throws Exception {
        try (FaultProxy proxy = FaultProxy.start("named", "localhost:0", "localhost:9")) {
            assertThat(proxy.listen()).startsWith("127.0.0.1:").doesNotEndWith(":0");
            assertThat(proxy.upstream()).isEqualTo("localhost:9");
            assertThat(proxy.name()).isEqualTo("named");
            assertThat(proxy.enabled()).isTrue();
        }
    }

    @Test
    void halfCloseReachesTheServiceAndItsAnswerStillComesBack() throws Exception {
        try (TcpServer service = TcpServer.start(socket -> {
                 byte[] request = socket.getInputStream().readAllBytes(); // until the client's half-close
                 socket.getOutputStream().write(("got " + request.length).getBytes());
             });
             FaultProxy proxy = FaultProxy.start("half", "127.0.0.1:0", service.address());
             Socket client = Wire.connect(proxy.listen())) {
            client.getOutputStream().write(new byte[1234]);
            client.shutdownOutput();
            assertThat(new String(Wire.readToEnd(client))).isEqualTo("got 1234");
        }
    }

    @Test
    void disabledRefusesNewConnectionsAndClosesOpenOnesThenComesBackOnTheSameAddress() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("updown", "127.0.0.1:0", echo.address())) {
            String address = proxy.listen();
            Socket open = Wire.connect(address);
            Wire.roundTripMillis(open, "hello".getBytes());

            proxy.enabled(false);

            assertThat(proxy.enabled()).isFalse();
            assertThat(endOrReset(open)).isTrue();
            assertThatThrownBy(() -> Wire.connect(address)).isInstanceOf(ConnectException.class);

            proxy.enabled(true);
            assertThat(proxy.listen()).isEqualTo(address);
            try (Socket again = Wire.connect(address)) {
                Wire.roundTripMillis(again, "back".getBytes());
            }
            open.close();
        }
    }

    @Test
    void closeFreesThePortEndsConnectionsAndLeavesNoThreadBehind() throws Exception {
        TcpServer echo = TcpServer.echo();
        FaultProxy proxy = FaultProxy.start("closing", "127.0.0.1:0", echo.address());
        proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 10L)));
        proxy.addToxic(ToxicSpec.of("timeout", ToxicSpec.Stream.UPSTREAM, Map.of("timeout", 0L)));
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket client = Wire.connect(proxy.listen());
            client.getOutputStream().write("held by the timeout toxic".getBytes());
            clients.add(client);
        }
        Waiting.await("5 open connections").until(() -> proxy.openConnections() == 5);
        int port = Integer.parseInt(proxy.listen().substring(proxy.listen().lastIndexOf(':') + 1));

        long start = System.nanoTime();
        proxy.close();
        proxy.close(); // idempotent
        long closeMillis = (System.nanoTime() - start) / 1_000_000;

        // a close that waited for its connections would wait for ever: the timeout toxic holds them. A loaded
        // machine's close of five connections and their threads can take a second or more.
        assertThat(closeMillis).as("close is prompt").isLessThan(5_000);
        for (Socket client : clients) {
            assertThat(endOrReset(client)).isTrue();
            client.close();
        }
        Waiting.await("no proxy thread left").until(proxy::liveThreads, n -> n == 0);
        assertThat(proxy.openConnections()).isZero();
        try (ServerSocket rebound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(() -> proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.UPSTREAM, Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        echo.close();
    }

    @Test
    void anUnreachableServiceClosesTheClientsConnection() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        try (FaultProxy proxy = FaultProxy.start("nowhere", "127.0.0.1:0", "127.0.0.1:" + freePort);
             Socket client = Wire.connect(proxy.listen())) {
            assertThat(endOrReset(client)).isTrue();
        }
    }

    @Test
    void toxicsAreListedUpstreamFirstWithEveryAttributeAndDefaultNames() {
        try (FaultProxy proxy = FaultProxy.start("list", "127.0.0.1:0", "127.0.0.1:9")) {
            ToxicSpec added = proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 5L)));
            proxy.addToxic(new ToxicSpec("cut", "limit_data", ToxicSpec.Stream.UPSTREAM, 0.5, Map.of("bytes", 10L)));

            assertThat(added.name()).isEqualTo("latency_downstream");
            assertThat(added.attributes()).containsExactly(Map.entry("latency", 5L), Map.entry("jitter", 0L));
            assertThat(proxy.toxics()).extracting(ToxicSpec::name).containsExactly("cut", "latency_downstream");

            ToxicSpec updated = proxy.updateToxic(added.withAttributes(Map.of("jitter", 2L)));
            assertThat(updated.attributes()).containsExactly(Map.entry("latency", 0L), Map.entry("jitter", 2L));

            proxy.removeAllToxics();
            assertThat(proxy.toxics()).isEmpty();
        }
    }

    @Test
    void badToxicsAreRejectedWithWhatIsValid() {
        try (FaultProxy proxy = FaultProxy.start("bad", "127.0.0.1:0", "127.0.0.1:9")) {
            assertThatThrownBy(() -> proxy.addToxic(ToxicSpec.of("lag", ToxicSpec.Stream.UPSTREAM, Map.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown toxic type 'lag'")
                    .hasMessageContaining("(valid types: bandwidth, latency, limit_data, noop, reset_peer, slicer, slow_close,");
            assertThatThrownBy(() -> proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.UPSTREAM, Map.of("delay", 5L))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown attribute 'delay'").hasMessageContaining("latency, jitter");
            assertThatThrownBy(() -> proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.UPSTREAM, Map.of("latency", -1L))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency must be at least 0 ms");
            assertThatThrownBy(() -> new ToxicSpec("x", "latency", ToxicSpec.Stream.UPSTREAM, 1.5, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toxicity");

            proxy.addToxic(new ToxicSpec("same", "latency", ToxicSpec.Stream.UPSTREAM, 1, Map.of()));
            assertThatThrownBy(() -> proxy.addToxic(new ToxicSpec("same", "timeout", ToxicSpec.Stream.DOWNSTREAM, 1, Map.of())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
            assertThatThrownBy(() -> proxy.removeToxic("other")).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> proxy.updateToxic(new ToxicSpec("same", "timeout", ToxicSpec.Stream.UPSTREAM, 1, Map.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remove it and add it again");
        }
    }

    @Test
    void aTakenPortOrABadAddressIsReportedAtStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> FaultProxy.start("taken", "127.0.0.1:" + taken.getLocalPort(), "127.0.0.1:9"))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThatThrownBy(() -> FaultProxy.start("bad", "127.0.0.1", "127.0.0.1:9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listen address '127.0.0.1' has no port");
        assertThatThrownBy(() -> FaultProxy.start("bad", "127.0.0.1:0", "127.0.0.1:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upstream");
    }

    /** True when the peer closed or reset the connection (within the read timeout), after any data. */
    static boolean endOrReset(Socket socket) {
        try {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (IOException timedOut) {
            return false;
        }
    }
}
