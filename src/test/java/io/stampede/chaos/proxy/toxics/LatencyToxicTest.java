package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencyToxicTest {

    @Test
    void addsTheLatencyToARoundTrip() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("latency", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", 150L, "jitter", 20L)));
            long millis = Wire.roundTripMillis(client, "GET / HTTP/1.1\r\n\r\n".getBytes());
            assertThat(millis).isGreaterThanOrEqualTo(130).isLessThan(1_000);
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
                assertThat(millis).isGreaterThanOrEqualTo(380).isLessThan(1_000);
            }
        }
    }

    @Test
    void aRoundTripWithoutTheToxicIsFast() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("fast", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            assertThat(Wire.roundTripMillis(client, "ping".getBytes())).isLessThan(100);
        }
    }
}
