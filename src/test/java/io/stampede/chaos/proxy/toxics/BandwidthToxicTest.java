package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class BandwidthToxicTest {

    @Test
    void limitsThroughputToTheRate() throws Exception {
        byte[] data = Wire.pattern(0, 60_000);
        try (TcpServer service = TcpServer.sending(data);
             FaultProxy proxy = FaultProxy.start("bandwidth", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("bandwidth", ToxicSpec.Stream.DOWNSTREAM, Map.of("rate", 100L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                byte[] received = Wire.readToEnd(client);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(received).isEqualTo(data);
                // 60 KB at 100 KB/s: 600 ms, trickling out 10 KB every 100 ms.
                assertThat(millis).isGreaterThanOrEqualTo(550).isLessThan(2_000);
            }
        }
    }

    @Test
    void limitsUploadsToo() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("upload", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("bandwidth", ToxicSpec.Stream.UPSTREAM, Map.of("rate", 50L)));
            long millis = Wire.roundTripMillis(client, Wire.pattern(0, 15_000));
            assertThat(millis).isGreaterThanOrEqualTo(270).isLessThan(2_000);
        }
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThatThrownBy(() -> Toxics.type("bandwidth").create(Map.of("rate", 0L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bandwidth attribute rate must be at least 1 KB/s, got 0");
    }
}
