package io.stampede.chaos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.junit.jupiter.api.Test;

class UpstreamConnectorTest {

    @Test
    void aConnectionToItselfIsRefusedBeforeTheRequestIsSent() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        UpstreamConnector connector = new UpstreamConnector();
        // Bound to the port it connects to, with nothing listening: TCP's simultaneous open connects it to itself.
        connector.setBindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector));
        client.start();
        try {
            assertThatThrownBy(() -> client.newRequest("127.0.0.1", port).timeout(10, TimeUnit.SECONDS).send())
                    .isInstanceOf(ExecutionException.class)
                    .extracting(Throwable::getCause, InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(ConnectException.class).hasMessage("Connection refused (connected to itself)");
        } finally {
            client.stop();
        }
        assertThat(portIsFree(port)).as("the port is released").isTrue();
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
