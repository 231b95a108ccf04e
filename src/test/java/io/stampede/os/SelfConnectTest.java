package io.stampede.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class SelfConnectTest {

    /** A loopback port nothing listens on now: the kernel's pick, released. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aSocketBoundToThePortItConnectsToConnectsToItselfAndIsRefused() throws IOException {
        int port = freePort();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
            // Simultaneous open on Linux: the SYN meets its own port, and the connect succeeds.
            socket.connect(address, 5_000);
            assertThat(SelfConnect.is(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress())).isTrue();

            assertThatThrownBy(() -> SelfConnect.refuse(socket)).isInstanceOf(ConnectException.class)
                    .hasMessage("Connection refused (connected to itself)");
            assertThat(socket.isClosed()).isTrue();
        } finally {
            socket.close();
        }
    }

    @Test
    void anOrdinaryConnectionPasses() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            SelfConnect.refuse(socket);
            assertThat(socket.isClosed()).isFalse();
        }
    }
}
