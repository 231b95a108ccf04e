package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class TimeoutToxicTest {

    @Test
    void holdsAllDataThenClosesAfterTheTimeout() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("timeout", "127.0.0.1:0", echo.address())) {
            proxy.addToxic(ToxicSpec.of("timeout", ToxicSpec.Stream.DOWNSTREAM, Map.of("timeout", 300L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                client.getOutputStream().write("anyone?".getBytes());
                assertThat(Wire.readToEnd(client)).as("no data, then the close").isEmpty();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).isGreaterThanOrEqualTo(280).isLessThan(2_000);
            }
        }
    }

    @Test
    void zeroHoldsUntilTheToxicIsRemoved() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("forever", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("timeout", ToxicSpec.Stream.DOWNSTREAM, Map.of("timeout", 0L)));
            client.getOutputStream().write("wait".getBytes());
            client.setSoTimeout(400);
            try {
                client.getInputStream().read();
                throw new AssertionError("the answer got through");
            } catch (SocketTimeoutException stillHeld) {
                // Still open, still nothing: the connection hangs, as a dead service would.
            }
            client.setSoTimeout(Wire.READ_TIMEOUT_MILLIS);
            proxy.removeToxic("timeout_downstream");
            assertThat(new String(Wire.read(client, 4))).isEqualTo("wait");
        }
    }

    @Test
    void shorteningTheTimeoutOfALiveConnectionClosesItAtTheNewTime() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("shorter", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            ToxicSpec toxic = proxy.addToxic(ToxicSpec.of("timeout", ToxicSpec.Stream.UPSTREAM, Map.of("timeout", 60_000L)));
            long start = System.nanoTime();
            proxy.updateToxic(toxic.withAttributes(Map.of("timeout", 200L)));
            assertThat(Wire.readToEnd(client)).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(180).isLessThan(2_000);
        }
    }
}
