package io.stampede.chaos.faults;

import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
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
    static String run(TargetHandle target, List<String> command) {
        ContainerTarget.CommandResult result = target.containers().inNetwork(target.container(), command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
        }
        return result.output();
    }

    /** Checks that the namespace can be entered and {@code tc} sees the device. */
    static void checkDevice(TargetHandle target, String device) {
        run(target, List.of("tc", "qdisc", "show", "dev", device));
    }

    /** An injection whose undo runs {@code undo} unless the container is no longer running (nothing left to undo). */
    static Injection undoable(String detail, Runnable undo) {
        return new Injection() {
            @Override
            public String detail() {
                return detail;
            }

            @Override
            public void rollback() {
                try {
                    undo.run();
                } catch (IllegalStateException e) {
                    if (!String.valueOf(e.getMessage()).endsWith("is not running")) {
                        throw e;
                    }
                }
            }
        };
    }

    /** Removes the device's root qdisc when it is still the one we added (a restarted container has a fresh one). */
    static void removeRootQdisc(TargetHandle target, String device, String kind) {
        String shown = run(target, List.of("tc", "qdisc", "show", "dev", device));
        if (shown.contains("qdisc " + kind + " ")) {
            run(target, List.of("tc", "qdisc", "del", "dev", device, "root"));
        }
    }
}
