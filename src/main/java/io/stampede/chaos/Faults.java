package io.stampede.chaos;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The fault kinds this Stampede knows: every {@link FaultFactory} on the classpath, built-in or not. */
public final class Faults {

    private static final Map<String, FaultFactory> BY_KIND = new TreeMap<>();

    static {
        for (FaultFactory factory : ServiceLoader.load(FaultFactory.class, Faults.class.getClassLoader())) {
            BY_KIND.put(factory.kind(), factory);
        }
    }

    private Faults() {
    }

    /** The factory for {@code kind}, or null. */
    public static FaultFactory get(String kind) {
        return BY_KIND.get(kind);
    }

    /** The valid kinds, for messages: "kill, pause, ...". */
    public static String names() {
        return String.join(", ", BY_KIND.keySet());
    }
}
