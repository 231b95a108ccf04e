package io.stampede.chaos.faults;

import io.stampede.StampedeException;
import io.stampede.chaos.ContainerHandle;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.FaultParams;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import java.util.List;
import java.util.Locale;

/**
 * Limits what a container sends to {@code rate} with a token bucket ({@code tc qdisc ... tbf}) on
 * its interface, inside its own network namespace; the rollback removes the qdisc. Needs no netem.
 */
public record NetRate(String rate, String burst, String device) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        ContainerHandle container = target.as(ContainerHandle.class, this);
        var journaled = KernelNetwork.change(container, List.of("tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", rate,
                "burst", burst, "latency", "400ms"), List.of("tc", "qdisc", "del", "dev", device, "root"));
        return KernelNetwork.undoable("container " + container.container() + ", " + device + " egress limited to " + rate, journaled,
                () -> KernelNetwork.removeRootQdisc(container, device, "tbf"));
    }

    @Override
    public void check(TargetHandle target) {
        KernelNetwork.checkDevice(target.as(ContainerHandle.class, this), device);
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return KernelNetwork.unsupportedOn("net-rate", kind);
    }

    @Override
    public String describe() {
        return "net-rate " + rate;
    }

    /** tc's rate syntax: a number and a unit (bit, kbit, mbit, gbit; bps, kbps, mbps, gbps for bytes). */
    static String rate(FaultParams p, String key, String fallback) {
        String value = p.text(key, fallback);
        if (value == null) {
            throw new StampedeException.BadInput(p.where(key) + ": '" + key + "' is required, e.g. 1mbit");
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.matches("\\d+(\\.\\d+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)")) {
            throw new StampedeException.BadInput(p.where(key) + ": a rate is a number and bit, kbit, mbit, gbit (or bps, kbps, ..."
                    + " for bytes), e.g. 1mbit; got '" + value + "'");
        }
        return v;
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("net-rate", List.of("rate", "burst", "device"), true, p -> new NetRate(rate(p, "rate", null),
                    rate(p, "burst", "32kbit"), p.text("device", KernelNetwork.DEFAULT_DEVICE)));
        }
    }
}
