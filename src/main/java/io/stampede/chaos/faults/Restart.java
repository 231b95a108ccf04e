package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import java.util.List;

/** Stops a managed target gracefully and starts it again at once (Pumba's {@code restart}). */
public record Restart() implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        long before = target.managed().pid();
        target.managed().restart();
        return Injection.instant("pid " + before + " -> " + target.managed().pid());
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind != TargetHandle.Kind.MANAGED ? "restart needs a target Stampede starts (command or builtin)" : null;
    }

    @Override
    public String describe() {
        return "restart";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("restart", List.of(), false, p -> new Restart());
        }
    }
}
