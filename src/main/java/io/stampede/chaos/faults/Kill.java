package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.Signal;
import java.util.List;

/**
 * Sends a signal to the target's processes (its {@link io.stampede.target.ProcessScope}), SIGKILL by
 * default: a real death of the whole service, checked by the target ({@link TargetHandle.Signals#kill}).
 * A managed target comes back through its restart policy, not through a rollback. On a container this
 * is {@code docker kill}, which the engine counts as a stop by hand: its restart policy does not act
 * (use {@link Crash} for a death the policy answers).
 */
public record Kill(Signal signal) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        return Injection.instant(target.as(TargetHandle.Signals.class, this).kill(signal));
    }

    /** Resolves the target's processes once at the start: a scope that holds Stampede fails the run there. */
    @Override
    public void check(TargetHandle target) {
        if (target instanceof TargetHandle.Signals signalled) {
            signalled.checkSignallable();
        }
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind == TargetHandle.Kind.ADDRESS ? "kill needs a process or container target (command, builtin, pid, pidFile, container, image)" : null;
    }

    @Override
    public String describe() {
        return "kill " + signal;
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("kill", List.of("signal"), false, p -> new Kill(p.signal("signal", Signal.SIGKILL)));
        }
    }
}
