package io.stampede.chaos.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A toxic as it is asked for: Toxiproxy's toxic fields, one to one ({@code name}, {@code type},
 * {@code stream}, {@code toxicity}, {@code attributes}).
 *
 * <pre>{@code
 * // 300 ms ± 50 ms on every answer from the service, on half of the connections:
 * proxy.addToxic(new ToxicSpec("slow", "latency", ToxicSpec.Stream.DOWNSTREAM, 0.5,
 *         Map.of("latency", 300L, "jitter", 50L)));
 * }</pre>
 *
 * @param name       unique within a proxy; null or blank means Toxiproxy's default {@code <type>_<stream>}
 * @param type       a toxic type, see {@link io.stampede.chaos.proxy.toxics.Toxics}
 * @param stream     the direction it acts on
 * @param toxicity   the share of connections it acts on, 0 to 1; each connection draws once, when the
 *                   toxic starts acting on it (added, connection opened, or updated)
 * @param attributes the type's attributes in Toxiproxy's units; missing ones are 0
 */
public record ToxicSpec(String name, String type, Stream stream, double toxicity, Map<String, Long> attributes) {

    /** Which way a toxic acts, in Toxiproxy's words. */
    public enum Stream {
        /** Client to service: requests. */
        UPSTREAM,
        /** Service to client: answers (Toxiproxy's default). */
        DOWNSTREAM;

        /** {@code upstream} or {@code downstream}, as in Toxiproxy's JSON. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The stream named {@code upstream} or {@code downstream} (any case).
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Stream parse(String text) {
            for (Stream stream : values()) {
                if (stream.wireName().equalsIgnoreCase(text)) {
                    return stream;
                }
            }
            throw new IllegalArgumentException("stream was invalid, can be either upstream or downstream (got '" + text + "')");
        }
    }

    public ToxicSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stream, "stream");
        if (!(toxicity >= 0 && toxicity <= 1)) {
            throw new IllegalArgumentException("toxicity must be between 0 and 1, got " + toxicity);
        }
        if (name == null || name.isBlank()) {
            name = type + "_" + stream.wireName();
        }
        for (Map.Entry<String, Long> attribute : attributes.entrySet()) {
            Objects.requireNonNull(attribute.getKey(), "attribute name");
            Objects.requireNonNull(attribute.getValue(), () -> "value of attribute " + attribute.getKey());
        }
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A toxic acting on every connection, named {@code <type>_<stream>}. */
    public static ToxicSpec of(String type, Stream stream, Map<String, Long> attributes) {
        return new ToxicSpec(null, type, stream, 1.0, attributes);
    }

    /** This toxic with another toxicity. */
    public ToxicSpec withToxicity(double newToxicity) {
        return new ToxicSpec(name, type, stream, newToxicity, attributes);
    }

    /** This toxic with other attributes. */
    public ToxicSpec withAttributes(Map<String, Long> newAttributes) {
        return new ToxicSpec(name, type, stream, toxicity, newAttributes);
    }
}
