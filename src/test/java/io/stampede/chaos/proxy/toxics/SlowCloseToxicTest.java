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
class SlowCloseToxicTest {

    @Test
    void dataArrivesAtOnceButTheCloseComesLate() throws Exception {
        try (TcpServer service = TcpServer.sending("bye".getBytes());
             FaultProxy proxy = FaultProxy.start("slow-close", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("slow_close", ToxicSpec.Stream.DOWNSTREAM, Map.of("delay", 300L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                assertThat(new String(Wire.read(client, 3))).isEqualTo("bye");
                long dataMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                long closeMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(dataMillis).isLessThan(150);
                // the service closes as soon as it has sent, which can be a moment before this clock starts
                assertThat(closeMillis).isGreaterThanOrEqualTo(280).isLessThan(2_000);
            }
        }
    }
}
