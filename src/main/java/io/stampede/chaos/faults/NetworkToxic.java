package io.stampede.chaos.faults;

import io.stampede.StampedeException;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.FaultParams;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.chaos.proxy.ToxicSpec;
import io.stampede.chaos.proxy.toxics.Toxics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network fault: one of the TCP fault proxy's toxics (each its own class in
 * {@code chaos/proxy/toxics}, with Toxiproxy's meaning) added in front of the target, removed at
 * rollback. {@code toxicity} (share of connections, 0..1) and {@code stream} (upstream = towards the
 * service, downstream = towards the users) apply to every kind, as in Toxiproxy.
 */
public record NetworkToxic(String kind, String toxicType, Map<String, Long> attributes, ToxicSpec.Stream stream,
                           double toxicity) implements Fault {

    private static final AtomicLong SERIAL = new AtomicLong();

    @Override
    public Injection inject(TargetHandle target) {
        String name = kind + "-" + SERIAL.incrementAndGet();
        target.tcpProxy().addToxic(new ToxicSpec(name, toxicType, stream, toxicity, attributes));
        return new Injection() {
            @Override
            public String detail() {
                return toxicType + " " + attributes + " " + stream.wireName()
                        + (toxicity < 1 ? ", toxicity " + toxicity : "");
            }

            @Override
            public void rollback() {
                target.tcpProxy().removeToxic(name);
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return null; // any target with an address; RunTargets puts the TCP fault proxy in front
    }

    @Override
    public Front front() {
        return Front.TCP;
    }

    @Override
    public String describe() {
        return kind + " " + attributes;
    }

    /** Reads the common parameters and the toxic's attributes, converting durations to the toxic's unit. */
    static NetworkToxic create(String kind, String toxicType, FaultParams p, Map<String, String> attributeParams) {
        Map<String, Long> attributes = new LinkedHashMap<>();
        attributeParams.forEach((param, attribute) -> {
            if (!p.has(param)) {
                return;
            }
            long value = switch (unitOf(toxicType, attribute)) {
                case "ms" -> p.duration(param, Duration.ZERO).toMillis();
                case "us" -> p.duration(param, Duration.ZERO).toNanos() / 1_000;
                default -> p.whole(param, 0, 0, Long.MAX_VALUE);
            };
            attributes.put(attribute, value);
        });
        ToxicSpec.Stream stream;
        try {
            stream = ToxicSpec.Stream.parse(p.text("stream", "downstream"));
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput(p.where("stream") + ": " + e.getMessage());
        }
        double toxicity = p.number("toxicity", 1, 0, 1);
        try {
            Toxics.type(toxicType).create(attributes);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput(p.where(attributeParams.keySet().iterator().next()) + ": " + e.getMessage());
        }
        return new NetworkToxic(kind, toxicType, attributes, stream, toxicity);
    }

    /** Durations in the plan become the toxic's unit: milliseconds, except the slicer's delay (a count of µs). */
    private static String unitOf(String toxicType, String attribute) {
        return switch (attribute) {
            case "latency", "jitter", "timeout" -> "ms";
            case "delay" -> toxicType.equals("slicer") ? "count" : "ms";
            default -> "count";
        };
    }

    private static List<String> params(Map<String, String> attributeParams) {
        List<String> all = new ArrayList<>(attributeParams.keySet());
        all.add("stream");
        all.add("toxicity");
        return all;
    }

    private static Map<String, String> attrs(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** {@code latency: 300ms, jitter: 50ms}: every chunk waits that long. */
    public static final class Latency extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("latency", "latency", "jitter", "jitter");

        public Latency() {
            super("latency", params(ATTRIBUTES), true, p -> NetworkToxic.create("latency", "latency", p, ATTRIBUTES));
        }
    }

    /** {@code rate: 100}: at most that many KB per second. */
    public static final class Bandwidth extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("rate", "rate");

        public Bandwidth() {
            super("bandwidth", params(ATTRIBUTES), true, p -> NetworkToxic.create("bandwidth", "bandwidth", p, ATTRIBUTES));
        }
    }

    /** {@code delay: 1s}: the close of a connection is held back that long. */
    public static final class SlowClose extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("delay", "delay");

        public SlowClose() {
            super("slow-close", params(ATTRIBUTES), true, p -> NetworkToxic.create("slow-close", "slow_close", p, ATTRIBUTES));
        }
    }

    /** {@code timeout: 5s}: no data passes, the connection is closed after the timeout (0: held forever). */
    public static final class Timeout extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("timeout", "timeout");

        public Timeout() {
            super("timeout", params(ATTRIBUTES), true, p -> NetworkToxic.create("timeout", "timeout", p, ATTRIBUTES));
        }
    }

    /** {@code timeout: 0s}: connections are reset (TCP RST) after the timeout. */
    public static final class ResetPeer extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("timeout", "timeout");

        public ResetPeer() {
            super("reset-peer", params(ATTRIBUTES), true, p -> NetworkToxic.create("reset-peer", "reset_peer", p, ATTRIBUTES));
        }
    }

    /** {@code averageSize: 64, sizeVariation: 32, delay: 10}: data cut into small pieces (delay in microseconds). */
    public static final class Slicer extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("averageSize", "average_size", "sizeVariation", "size_variation",
                "delay", "delay");

        public Slicer() {
            super("slicer", params(ATTRIBUTES), true, p -> NetworkToxic.create("slicer", "slicer", p, ATTRIBUTES));
        }
    }

    /** {@code bytes: 1024}: the connection is closed after that many bytes. */
    public static final class LimitData extends FaultFactory.Simple {
        static final Map<String, String> ATTRIBUTES = attrs("bytes", "bytes");

        public LimitData() {
            super("limit-data", params(ATTRIBUTES), true, p -> NetworkToxic.create("limit-data", "limit_data", p, ATTRIBUTES));
        }
    }
}
