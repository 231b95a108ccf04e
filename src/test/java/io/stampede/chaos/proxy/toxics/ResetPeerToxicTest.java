package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class ResetPeerToxicTest {

    @ParameterizedTest
    @EnumSource(ToxicSpec.Stream.class)
    void resetsTheConnectionAfterTheTimeout(ToxicSpec.Stream stream) throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("reset", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("reset_peer", stream, Map.of("timeout", 150L)));
            long start = System.nanoTime();
            client.getOutputStream().write("reset toxic payload\n".getBytes());
            assertThatThrownBy(() -> client.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isGreaterThanOrEqualTo(140).isLessThan(2_000);
        }
    }
}
