package io.stampede.chaos.proxy.toxics;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The toxic types known by name: Toxiproxy's TCP toxics, built in, and any registered later.
 *
 * <table>
 *   <caption>Built-in toxics (attributes and units as in Toxiproxy)</caption>
 *   <tr><th>type</th><th>attributes</th><th>effect</th></tr>
 *   <tr><td>{@code latency}</td><td>{@code latency} ms, {@code jitter} ms</td><td>every chunk arrives latency ± jitter later</td></tr>
 *   <tr><td>{@code bandwidth}</td><td>{@code rate} KB/s (1 KB = 1000 bytes)</td><td>at most rate KB per second get through</td></tr>
 *   <tr><td>{@code slow_close}</td><td>{@code delay} ms</td><td>the end of the stream is passed on delay later</td></tr>
 *   <tr><td>{@code timeout}</td><td>{@code timeout} ms</td><td>no data gets through; closed after timeout, never if 0</td></tr>
 *   <tr><td>{@code reset_peer}</td><td>{@code timeout} ms</td><td>on the next data, waits timeout then resets (TCP RST)</td></tr>
 *   <tr><td>{@code slicer}</td><td>{@code average_size}, {@code size_variation} bytes, {@code delay} µs</td><td>chunks cut in pieces of average ± variation bytes, delay apart</td></tr>
 *   <tr><td>{@code limit_data}</td><td>{@code bytes}</td><td>closed once that many bytes got through</td></tr>
 *   <tr><td>{@code noop}</td><td>none</td><td>nothing (Toxiproxy has it too)</td></tr>
 * </table>
 */
public final class Toxics {

    private static final Map<String, ToxicType> TYPES = new TreeMap<>();

    static {
        register(LatencyToxic.TYPE);
        register(BandwidthToxic.TYPE);
        register(SlowCloseToxic.TYPE);
        register(TimeoutToxic.TYPE);
        register(ResetPeerToxic.TYPE);
        register(SlicerToxic.TYPE);
        register(LimitDataToxic.TYPE);
        register(NoopToxic.TYPE);
    }

    private Toxics() {
    }

    /** Makes a toxic type available by its name; a later registration of the same name replaces it. */
    public static void register(ToxicType type) {
        synchronized (TYPES) {
            TYPES.put(type.name(), type);
        }
    }

    /**
     * The type called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ToxicType type(String name) {
        synchronized (TYPES) {
            ToxicType type = TYPES.get(name);
            if (type == null) {
                throw new IllegalArgumentException("unknown toxic type '" + name + "' (valid types: "
                        + String.join(", ", TYPES.keySet()) + ")");
            }
            return type;
        }
    }

    /** The known type names, sorted. */
    public static Set<String> names() {
        synchronized (TYPES) {
            return Set.copyOf(TYPES.keySet());
        }
    }
}
