package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real Toxiproxy Java client (toxiproxy-java 2.1.7), unchanged, against Stampede's API. */
@Timeout(60)
class ToxiproxyClientTest {

    @Test
    void theToxiproxyJavaClientWorksUnchanged() throws Exception {
        byte[] download = Wire.pattern(0, 40_000);
        try (TcpServer service = TcpServer.start(socket -> {
                 // A tiny request/response service: each request byte 'd' is answered with 40 KB.
                 while (socket.getInputStream().read() == 'd') {
                     socket.getOutputStream().write(download);
                 }
             });
             ProxyServer server = new ProxyServer("127.0.0.1", 0)) {
            server.start();
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.port());

            Proxy proxy = client.createProxy("service", "127.0.0.1:0", service.address());
            assertThat(proxy.isEnabled()).isTrue();
            String listen = client.getProxy("service").getListen();

            // Toxics make a download at least this slow by construction; how fast one is without
            // them depends on the machine's load, so only the lower bounds are asserted.
            try (Socket socket = Wire.connect(listen)) {
                timedDownload(socket, download); // whole through the proxy

                Latency latency = proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
                latency.setJitter(10);
                proxy.toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 100);
                assertThat(proxy.toxics().getAll()).extracting(Toxic::getName).containsExactly("slow", "narrow");
                assertThat(proxy.toxics().get("slow", Latency.class).getJitter()).isEqualTo(10);

                // 200 ms of latency plus 40 KB at 100 KB/s (400 ms), on the connection already open.
                assertThat(timedDownload(socket, download)).isGreaterThanOrEqualTo(550);

                proxy.toxics().get("narrow").remove();
                assertThat(proxy.toxics().getAll()).extracting(Toxic::getName).containsExactly("slow");
                assertThat(timedDownload(socket, download)).isGreaterThanOrEqualTo(190);

                client.reset();
                assertThat(proxy.toxics().getAll()).isEmpty();
                timedDownload(socket, download); // the connection still carries data
            }

            assertThat(client.version()).contains(ProxyServer.TOXIPROXY_API_VERSION);
            assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("service");

            proxy.disable();
            assertThat(client.getProxy("service").isEnabled()).isFalse();
            proxy.enable();

            proxy.delete();
            assertThat(client.getProxies()).isEmpty();
            assertThat(client.getProxyOrNull("service")).isNull();
            assertThatThrownBy(() -> client.getProxy("service")).isInstanceOf(IOException.class).hasMessageContaining("proxy not found");
        }
    }

    private static long timedDownload(Socket socket, byte[] expected) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write('d');
        assertThat(Wire.read(socket, expected.length)).isEqualTo(expected);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
