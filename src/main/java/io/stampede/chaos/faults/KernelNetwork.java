package io.stampede.chaos.faults;

import io.stampede.chaos.ContainerHandle;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.guardian.Journal;
import io.stampede.guardian.Proc;
import io.stampede.guardian.Undo;
import io.stampede.target.docker.ContainerTarget;
import java.util.List;

/**
 * What the kernel network faults share: commands in the chosen container's network namespace, an
 * undo that tolerates a container restarted meanwhile (its new namespace holds none of our
 * changes), and the one message for targets that are not containers.
 */
final class KernelNetwork {

    static final String DEFAULT_DEVICE = "eth0";

    private KernelNetwork() {
    }

    static String unsupportedOn(String kind, TargetHandle.Kind target) {
        return target != TargetHandle.Kind.CONTAINER
                ? kind + " acts in a container's network namespace (tc, iptables); for other targets use the proxy's"
                + " latency, bandwidth or down" : null;
    }

    /** Runs {@code command} in the container's namespace; throws with its output when it fails. */
    static String run(ContainerHandle target, List<String> command) {
        ContainerTarget.CommandResult result = target.inNetwork(command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
        }
        return result.output();
    }

    /**
     * Runs {@code add} in the container's namespace after writing {@code delete} to the rollback
     * journal, so the guardian removes the rule should Stampede die first. Returns the journal
     * entry, which {@link #undoable} marks done.
     */
    static Undo change(ContainerHandle target, List<String> add, List<String> delete) {
        Proc namespace = Proc.of(target.hostPid());
        Undo undo = namespace == null ? null : new Undo.InNetwork(namespace, delete); // null: not running, add fails
        Journal.record(undo);
        try {
            run(target, add);
        } catch (RuntimeException e) {
            Journal.done(undo);
            throw e;
        }
        return undo;
    }

    /** Checks that the namespace can be entered and {@code tc} sees the device. */
    static void checkDevice(ContainerHandle target, String device) {
        run(target, List.of("tc", "qdisc", "show", "dev", device));
    }

    /** An injection whose undo runs {@code undo} unless the container is no longer running (nothing left to undo). */
    static Injection undoable(String detail, Undo journaled, Runnable undo) {
        return new Injection() {
            @Override
            public String detail() {
                return detail;
            }

            @Override
            public void rollback() {
                try {
                    undo.run();
                    Journal.done(journaled);
                } catch (IllegalStateException e) {
                    if (!String.valueOf(e.getMessage()).endsWith("is not running")) {
                        throw e;
                    }
                    Journal.done(journaled); // its namespace is gone with the rule
                }
            }
        };
    }

    /** Removes the device's root qdisc when it is still the one we added (a restarted container has a fresh one). */
    static void removeRootQdisc(ContainerHandle target, String device, String kind) {
        String shown = run(target, List.of("tc", "qdisc", "show", "dev", device));
        if (shown.contains("qdisc " + kind + " ")) {
            run(target, List.of("tc", "qdisc", "del", "dev", device, "root"));
        }
    }
}
