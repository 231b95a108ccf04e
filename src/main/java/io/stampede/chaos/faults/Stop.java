package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.target.ManagedProcess;
import io.stampede.target.PortCheck;
import io.stampede.target.ProcessSet;
import io.stampede.target.docker.ContainerTarget;
import java.time.Duration;
import java.util.List;

/**
 * Stops a managed target or a container (SIGTERM, then SIGKILL after {@code grace}) and keeps it
 * down, whatever its restart policy; the rollback starts it again (Pumba's {@code stop --duration}).
 * A managed target's whole process group stops; checked: every process gone and its port refusing.
 */
public record Stop(Duration grace) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        if (target.container() != null) {
            ContainerTarget containers = target.containers();
            ContainerTarget.Container c = target.container();
            containers.stop(c, grace);
            return rollback("container " + c + " stopped", () -> containers.startAgain(c));
        }
        ManagedProcess process = target.managed();
        ProcessSet stopped = process.hold(grace);
        if (stopped.isEmpty()) {
            return rollback("no process running; kept down", process::resume);
        }
        List<Long> alive = stopped.alive();
        boolean refusing = PortCheck.awaitRefusing(process.url(), ProcessSet.EFFECT_WAIT);
        if (!alive.isEmpty() || !refusing) {
            process.resume();
            throw new IllegalStateException("no effect: " + stopped.describe() + " stopped, but "
                    + (alive.isEmpty() ? "" : "still alive: " + ProcessSet.join(alive) + (refusing ? "" : "; "))
                    + (refusing ? "" : process.url() + " still accepts connections") + "; started again");
        }
        return rollback(stopped.describe() + " stopped, all gone, port " + process.url().getPort() + " refusing", process::resume);
    }

    private static Injection rollback(String detail, Runnable start) {
        return new Injection() {
            @Override
            public String detail() {
                return detail;
            }

            @Override
            public void rollback() {
                start.run();
            }
        };
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
