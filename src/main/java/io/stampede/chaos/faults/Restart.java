package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.ManagedProcess;
import java.time.Duration;
import java.util.List;

/**
 * Stops a managed target or a container gracefully (SIGTERM, SIGKILL after {@code grace}) and
 * starts it again at once (Pumba's {@code restart}).
 */
public record Restart(Duration grace) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        return Injection.instant(target.as(TargetHandle.Lifecycle.class, this).restart(grace));
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind != TargetHandle.Kind.MANAGED && kind != TargetHandle.Kind.CONTAINER
                ? "restart needs a target Stampede starts (command or builtin) or a container" : null;
    }

    @Override
    public String describe() {
        return "restart";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("restart", List.of("grace"), false, p -> new Restart(p.duration("grace", ManagedProcess.STOP_GRACE)));
        }
    }
}
