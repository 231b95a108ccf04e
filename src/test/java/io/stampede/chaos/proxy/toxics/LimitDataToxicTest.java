package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class LimitDataToxicTest {

    @Test
    void closesAfterTheLimitDownstream() throws Exception {
        try (TcpServer service = TcpServer.sending(Wire.pattern(0, 5_000));
             FaultProxy proxy = FaultProxy.start("limit", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("limit_data", ToxicSpec.Stream.DOWNSTREAM, Map.of("bytes", 1_000L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                assertThat(Wire.readToEnd(client)).isEqualTo(Wire.pattern(0, 1_000));
            }
        }
    }

    @Test
    void countsAcrossWritesUpstream() throws Exception {
        CompletableFuture<Integer> received = new CompletableFuture<>();
        try (TcpServer service = TcpServer.start(socket -> received.complete(socket.getInputStream().readAllBytes().length));
             FaultProxy proxy = FaultProxy.start("limit-up", "127.0.0.1:0", service.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("limit_data", ToxicSpec.Stream.UPSTREAM, Map.of("bytes", 10L)));
            for (int i = 0; i < 4; i++) {
                client.getOutputStream().write(new byte[4]);
                Thread.sleep(20);
            }
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(10);
        }
    }
}
