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

@Timeout(30)
class SlowCloseToxicTest {

    // Long against what a loaded machine adds to the data's way through the proxy (1.7 s seen at
    // load 80), so "the data comes well before the close" holds by construction.
    private static final long CLOSE_DELAY_MILLIS = 4_000;

    @Test
    void dataArrivesAtOnceButTheCloseComesLate() throws Exception {
        try (TcpServer service = TcpServer.sending("bye".getBytes());
             FaultProxy proxy = FaultProxy.start("slow-close", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("slow_close", ToxicSpec.Stream.DOWNSTREAM, Map.of("delay", CLOSE_DELAY_MILLIS)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                assertThat(new String(Wire.read(client, 3))).isEqualTo("bye");
                long dataMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                long closeMillis = (System.nanoTime() - start) / 1_000_000;
                // the service closes as soon as it has sent, which can be a moment before this clock starts
                assertThat(closeMillis).isGreaterThanOrEqualTo(CLOSE_DELAY_MILLIS - 20);
                assertThat(closeMillis - dataMillis).as("the data came at once, the close late")
                        .isGreaterThanOrEqualTo(CLOSE_DELAY_MILLIS / 2);
            }
        }
    }
}
