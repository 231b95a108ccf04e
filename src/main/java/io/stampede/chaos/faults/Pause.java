package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.Signal;
import io.stampede.target.docker.ContainerTarget;
import java.util.List;

/**
 * Freezes the target's process with SIGSTOP, a container's processes with the engine's pause (the
 * cgroup freezer); the rollback thaws them. Connections stay open, answers stop.
 */
public record Pause() implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        if (target.container() != null) {
            ContainerTarget containers = target.containers();
            ContainerTarget.Container c = target.container();
            containers.pause(c);
            return new Injection() {
                @Override
                public String detail() {
                    return "container " + c + " paused";
                }

                @Override
                public void rollback() {
                    containers.unpause(c);
                }
            };
        }
        long pid = target.process().pid();
        if (pid < 0 || !Signal.SIGSTOP.sendTo(pid)) {
            throw new IllegalStateException("no process running");
        }
        return new Injection() {
            @Override
            public String detail() {
                return "pid " + pid + ", SIGSTOP";
            }

            @Override
            public void rollback() {
                Signal.SIGCONT.sendTo(pid);
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind == TargetHandle.Kind.ADDRESS ? "pause needs a process or container target (command, builtin, pid, pidFile, container, image)" : null;
    }

    @Override
    public String describe() {
        return "pause";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("pause", List.of(), true, p -> new Pause());
        }
    }
}
