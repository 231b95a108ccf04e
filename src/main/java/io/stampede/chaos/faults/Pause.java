package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import java.util.List;

/**
 * Freezes the target's processes (its {@link io.stampede.target.ProcessScope}) with SIGSTOP, a
 * container's processes with the engine's pause (the cgroup freezer); the rollback thaws them.
 * Connections stay open, answers stop. Checked by the target: see {@link io.stampede.chaos.ProcessTargetHandle}.
 */
public record Pause() implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        return target.as(TargetHandle.Signals.class, this).pause();
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
