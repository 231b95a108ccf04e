package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.ManagedProcess;
import java.time.Duration;
import java.util.List;

/**
 * Stops a managed target or a container (SIGTERM, then SIGKILL after {@code grace}) and keeps it
 * down, whatever its restart policy; the rollback starts it again (Pumba's {@code stop --duration}).
 * A managed target's whole process group stops; checked: every process gone and its port refusing
 * (see {@link io.stampede.chaos.ManagedHandle}).
 */
public record Stop(Duration grace) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        return target.as(TargetHandle.Lifecycle.class, this).stop(grace);
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind != TargetHandle.Kind.MANAGED && kind != TargetHandle.Kind.CONTAINER
                ? "stop needs a target Stampede starts (command or builtin) or a container; use pause for a process by PID" : null;
    }

    @Override
    public String describe() {
        return "stop";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("stop", List.of("grace"), true, p -> new Stop(p.duration("grace", ManagedProcess.STOP_GRACE)));
        }
    }
}
