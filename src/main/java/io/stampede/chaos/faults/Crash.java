package io.stampede.chaos.faults;

import io.stampede.chaos.ContainerHandle;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.Signal;
import java.util.List;

/**
 * Kills a container's main process from the host (SIGKILL by default), as a crash or the OOM killer
 * would. The engine sees the process die by itself, so the container's restart policy brings it
 * back, which {@code docker kill} (this project's {@link Kill} on a container, and Pumba's kill)
 * does not do: the engine counts that as a stop by hand. Nothing to roll back.
 */
public record Crash(Signal signal) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        ContainerHandle container = target.as(ContainerHandle.class, this);
        long pid = container.crash(signal);
        return Injection.instant("container " + container.container() + ", " + signal + " to its main process (host pid " + pid + ")");
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind != TargetHandle.Kind.CONTAINER
                ? "crash acts on containers; on a process target, kill already lets the restart policy act" : null;
    }

    @Override
    public String describe() {
        return "crash " + signal;
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("crash", List.of("signal"), false, p -> new Crash(p.signal("signal", Signal.SIGKILL)));
        }
    }
}
