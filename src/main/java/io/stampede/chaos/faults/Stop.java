package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.ManagedProcess;
import java.util.List;

/**
 * Stops a managed target (SIGTERM, then SIGKILL after a grace period) and keeps it down, whatever
 * its restart policy; the rollback starts it again (Pumba's {@code stop --duration}).
 */
public record Stop() implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        ManagedProcess process = target.managed();
        long pid = process.pid();
        process.hold();
        return new Injection() {
            @Override
            public String detail() {
                return "pid " + pid + " stopped";
            }

            @Override
            public void rollback() {
                process.resume();
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return kind != TargetHandle.Kind.MANAGED
                ? "stop needs a target Stampede starts (command or builtin); use pause for a process by PID" : null;
    }

    @Override
    public String describe() {
        return "stop";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("stop", List.of(), true, p -> new Stop());
        }
    }
}
