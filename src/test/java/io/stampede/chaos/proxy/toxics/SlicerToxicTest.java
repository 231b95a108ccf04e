package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.chaos.proxy.TcpServer;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.Wire;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a deadline against hangs, generous for a busy machine
class SlicerToxicTest {

    @Test
    void deliversEveryByteInSmallPiecesWithPauses() throws Exception {
        byte[] data = Wire.pattern(0, 10_000);
        try (TcpServer service = TcpServer.sending(data);
             FaultProxy proxy = FaultProxy.start("slicer", "127.0.0.1:0", service.address())) {
            proxy.addToxic(ToxicSpec.of("slicer", ToxicSpec.Stream.DOWNSTREAM,
                    Map.of("average_size", 100L, "size_variation", 20L, "delay", 1_000L)));
            try (Socket client = Wire.connect(proxy.listen())) {
                long start = System.nanoTime();
                InputStream in = client.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                int reads = 0;
                for (int read; (read = in.read(buffer)) >= 0; reads++) {
                    received.write(buffer, 0, read);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(received.toByteArray()).isEqualTo(data);
                // About 100 pieces 1 ms apart: many reads, at least ~100 ms. The delay is in microseconds: read as
                // milliseconds, the 84 pieces or more would take 84 s. Below that, the time is the machine's: a
                // loaded one wakes each 1 ms pause tens of milliseconds late, ~100 of them.
                assertThat(reads).isGreaterThan(20);
                assertThat(millis).isGreaterThanOrEqualTo(90).isLessThan(8_000);
            }
        }
    }

    @Test
    void piecesAreAverageSizePlusOrMinusTheVariation() throws Exception {
        SlicerToxic slicer = new SlicerToxic(100, 20, 0);
        RecordingStub stub = new RecordingStub(Chunk.of(Wire.pattern(0, 5_000), 0));
        slicer.pipe(stub);
        assertThat(stub.sent()).allSatisfy(piece -> assertThat(piece.length()).isBetween(1, 120));
        assertThat(stub.sentBytes()).isEqualTo(Wire.pattern(0, 5_000));
    }

    @Test
    void aVariationAsLargeAsTheAverageIsRefused() {
        assertThatThrownBy(() -> Toxics.type("slicer").create(Map.of("average_size", 10L, "size_variation", 10L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size_variation must be less than average_size");
    }
}
