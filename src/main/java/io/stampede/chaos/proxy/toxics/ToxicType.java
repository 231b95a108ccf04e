package io.stampede.chaos.proxy.toxics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of toxic as users name it: its type name and attribute names (Toxiproxy's, with
 * Toxiproxy's units) and how to build one from attribute values. Every attribute is a whole number
 * and defaults to 0 when not given, as in Toxiproxy.
 *
 * <pre>{@code
 * public static final ToxicType TYPE = new ToxicType("latency", List.of("latency", "jitter"),
 *         a -> new LatencyToxic(a.atLeast("latency", 0, "ms"), a.atLeast("jitter", 0, "ms")));
 * }</pre>
 *
 * @param name       the {@code type} users write, e.g. {@code latency}
 * @param attributes the attribute names, in the order they are listed back
 * @param factory    builds the toxic from all attributes; throws {@link IllegalArgumentException}
 *                   naming the attribute for a bad value
 */
public record ToxicType(String name, List<String> attributes, Function<Attributes, Toxic> factory) {

    public ToxicType {
        Objects.requireNonNull(name, "name");
        attributes = List.copyOf(attributes);
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * The given attributes completed with the defaults, in this type's order.
     *
     * @throws IllegalArgumentException for an attribute this type does not have, listing those it has
     */
    public Map<String, Long> complete(Map<String, Long> given) {
        for (String key : given.keySet()) {
            if (!attributes.contains(key)) {
                throw new IllegalArgumentException("unknown attribute '" + key + "' for toxic type " + name
                        + " (valid attributes: " + (attributes.isEmpty() ? "none" : String.join(", ", attributes)) + ")");
            }
        }
        Map<String, Long> all = new LinkedHashMap<>();
        for (String key : attributes) {
            Long value = given.get(key);
            all.put(key, value == null ? 0L : value);
        }
        return Collections.unmodifiableMap(all);
    }

    /** Builds a toxic from attributes as given (completed with defaults, then checked). */
    public Toxic create(Map<String, Long> given) {
        return factory.apply(new Attributes(name, complete(given)));
    }

    /** Complete attribute values, read with a range check that names the attribute. */
    public record Attributes(String type, Map<String, Long> values) {

        /** The value of {@code attribute}, which must be at least {@code min} (in {@code unit}). */
        public long atLeast(String attribute, long min, String unit) {
            long value = values.getOrDefault(attribute, 0L);
            if (value < min) {
                throw new IllegalArgumentException(type + " attribute " + attribute + " must be at least "
                        + min + " " + unit + ", got " + value);
            }
            return value;
        }
    }
}
