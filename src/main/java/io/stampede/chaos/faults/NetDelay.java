package io.stampede.chaos.faults;

import io.stampede.chaos.ContainerHandle;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.guardian.Undo;
import io.stampede.input.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delays what a container sends by {@code delay} (± {@code jitter}), and drops {@code loss} percent of
 * it, with netem ({@code tc qdisc ... netem}) in its own network namespace (Pumba's {@code netem
 * delay}); the rollback removes the qdisc. Needs the kernel's {@code sch_netem}: on a kernel without
 * it the run stops at its start with "not supported by this kernel".
 */
public record NetDelay(Duration delay, Duration jitter, double loss, String device) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        ContainerHandle container = target.as(ContainerHandle.class, this);
        List<String> command = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", device, "root", "netem",
                "delay", delay.toMillis() + "ms"));
        if (!jitter.isZero()) {
            command.add(jitter.toMillis() + "ms");
        }
        if (loss > 0) {
            command.addAll(List.of("loss", loss + "%"));
        }
        Undo journaled;
        try {
            journaled = KernelNetwork.change(container, command, List.of("tc", "qdisc", "del", "dev", device, "root"));
        } catch (IllegalStateException e) {
            throw unsupported(e);
        }
        return KernelNetwork.undoable("container " + container.container() + ", " + device + " " + describe(), journaled,
                () -> KernelNetwork.removeRootQdisc(container, device, "netem"));
    }

    /** Tries netem on the container's loopback and removes it at once: the kernel either has it or not. */
    @Override
    public void check(TargetHandle target) {
        ContainerHandle container = target.as(ContainerHandle.class, this);
        KernelNetwork.checkDevice(container, device);
        try {
            KernelNetwork.run(container, List.of("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "0ms"));
        } catch (IllegalStateException e) {
            throw unsupported(e);
        }
        KernelNetwork.run(container, List.of("tc", "qdisc", "del", "dev", "lo", "root"));
    }

    private static IllegalStateException unsupported(IllegalStateException e) {
        if (String.valueOf(e.getMessage()).contains("qdisc kind is unknown")) {
            return new IllegalStateException("netem is not supported by this kernel (no sch_netem); net-rate (tbf) and"
                    + " net-loss (iptables) work without it");
        }
        return e;
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return KernelNetwork.unsupportedOn("net-delay", kind);
    }

    @Override
    public String describe() {
        return "net-delay " + Durations.format(delay) + (jitter.isZero() ? "" : " ± " + Durations.format(jitter))
                + (loss > 0 ? ", loss " + loss + "%" : "");
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("net-delay", List.of("delay", "jitter", "loss", "device"), true, p -> new NetDelay(p.duration("delay", null),
                    p.duration("jitter", Duration.ZERO), p.number("loss", 0, 0, 100), p.text("device", KernelNetwork.DEFAULT_DEVICE)));
        }
    }
}
