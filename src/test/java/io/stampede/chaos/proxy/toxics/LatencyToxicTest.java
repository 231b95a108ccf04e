package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class LatencyToxicTest {

    @Test
    void addsTheLatencyToARoundTrip() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("latency", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 150L, "jitter", 20L)));
            List<Long> millis = roundTrips(client, "GET / HTTP/1.1\r\n\r\n".getBytes(), 3);
            // every one at least the latency less the jitter: the toxic holds each answer that long
            assertThat(millis).allSatisfy(m -> assertThat(m).isGreaterThanOrEqualTo(130));
            // and not much more: added once, not several times. The fastest is asserted, as a loaded machine
            // may hold any one round trip a second or more, but not every one of them.
            assertThat(Collections.min(millis)).isLessThan(1_000);
        }
    }

    @Test
    void shiftsAStreamInsteadOfSlowingIt() throws Exception {
        // Ten writes 20 ms apart: 200 ms of stream. Delayed chunk by chunk it would take 10 x 200 ms.
        try (TcpServer service = TcpServer.start(socket -> {
                 for (int i = 0; i < 10; i++) {
                     socket.getOutputStream().write(Wire.pattern(i * 100L, 100));
                     Thread.sleep(20);
                 }
             });
             FaultProxy proxy = FaultProxy.start("stream", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 200L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                byte[] all = Wire.read(client, 1000);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(all).isEqualTo(Wire.pattern(0, 1000));
                // The last write is sent 180 ms or more after the first, and held 200 ms. Delayed chunk by chunk
                // (each held 200 ms after the one before), the ten would take 2,000 ms at the least; shifted, they
                // take the service's own span plus 200 ms, however slow a loaded machine makes its 20 ms sleeps.
                assertThat(millis).isGreaterThanOrEqualTo(380).isLessThan(10 * 200);
            }
        }
    }

    @Test
    void aRoundTripWithoutTheToxicIsFast() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("fast", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            // A delay the proxy added would hold every round trip; a loaded machine holds some of them, not all ten.
            assertThat(Collections.min(roundTrips(client, "ping".getBytes(), 10))).isLessThan(100);
        }
    }

    private static List<Long> roundTrips(Socket client, byte[] message, int count) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            millis.add(Wire.roundTripMillis(client, message));
        }
        return millis;
    }
}
