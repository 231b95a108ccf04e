package io.stampede.chaos.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry: Toxiproxy's names, attributes and defaults, and messages that say what is valid. */
class ToxicsTest {

    @Test
    void knowsToxiproxysTcpToxics() {
        assertThat(Toxics.names()).contains(
                "latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data", "noop");
        assertThat(Toxics.type("slicer").attributes()).containsExactly("average_size", "size_variation", "delay");
        assertThat(Toxics.type("latency").complete(Map.of("jitter", 3L)))
                .containsExactly(Map.entry("latency", 0L), Map.entry("jitter", 3L));
    }

    @Test
    void anUnknownTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> Toxics.type("packet_loss"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown toxic type 'packet_loss' (valid types: bandwidth, latency, limit_data, noop, "
                        + "reset_peer, slicer, slow_close, ")
                .hasMessageEndingWith("timeout)");
    }

    @Test
    void anUnknownAttributeListsTheTypesAttributes() {
        assertThatThrownBy(() -> Toxics.type("timeout").create(Map.of("delay", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown attribute 'delay' for toxic type timeout (valid attributes: timeout)");
    }

    @Test
    void anOutsideToxicRegistersTheSameWayAsTheBuiltInOnes() throws Exception {
        // The registry is global: the name is one no other test lists.
        Toxics.register(new ToxicType("test_drop_all", List.of(), attributes -> stub -> {
            while (stub.take() != null) {
                // drops everything
            }
        }));
        RecordingStub stub = new RecordingStub(Chunk.of(new byte[10], 0));
        Toxics.type("test_drop_all").create(Map.of()).pipe(stub);
        assertThat(stub.sent()).isEmpty();
    }

    @Test
    void limitDataCountsAcrossChunksAndCloses() throws Exception {
        RecordingStub stub = new RecordingStub(Chunk.of(new byte[6], 0), Chunk.of(new byte[6], 0), Chunk.of(new byte[6], 0));
        new LimitDataToxic(10).pipe(stub);
        assertThat(stub.sent()).extracting(Chunk::length).containsExactly(6, 4);
        assertThat(stub.closed).isTrue();
    }
}
