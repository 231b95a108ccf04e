package io.stampede.chaos.faults;

import io.stampede.chaos.ContainerHandle;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a random share of the packets a container receives, with an iptables rule ({@code -m
 * statistic --mode random}) in its own network namespace (Pumba's {@code iptables loss}); the
 * rollback deletes the rule. Works on kernels without netem.
 */
public record NetLoss(double probability) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        ContainerHandle container = target.as(ContainerHandle.class, this);
        List<String> rule = rule(container.container().shortId());
        var journaled = KernelNetwork.change(container, command("-A", rule), command("-D", rule));
        return KernelNetwork.undoable("container " + container.container() + ", " + Math.round(probability * 1000) / 10.0
                + "% of incoming packets dropped", journaled, () -> {
            // -C: the rule is still there (a restarted container has a fresh namespace without it)
            if (container.inNetwork(command("-C", rule)).ok()) {
                KernelNetwork.run(container, command("-D", rule));
            }
        });
    }

    private List<String> rule(String tag) {
        return List.of("INPUT", "-m", "statistic", "--mode", "random", "--probability", Double.toString(probability),
                "-m", "comment", "--comment", "stampede-net-loss-" + tag, "-j", "DROP");
    }

    private static List<String> command(String action, List<String> rule) {
        List<String> line = new ArrayList<>(List.of("iptables", "-w", "5", action));
        line.addAll(rule);
        return line;
    }

    @Override
    public void check(TargetHandle target) {
        KernelNetwork.run(target.as(ContainerHandle.class, this), List.of("iptables", "-w", "5", "-S", "INPUT"));
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return KernelNetwork.unsupportedOn("net-loss", kind);
    }

    @Override
    public String describe() {
        return "net-loss " + probability;
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("net-loss", List.of("probability"), true, p -> new NetLoss(p.number("probability", 0.1, 0, 1)));
        }
    }
}
