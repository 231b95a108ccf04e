package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.input.Durations;
import io.stampede.target.PortCheck;
import io.stampede.target.ProcessSet;
import io.stampede.target.ProcessTarget;
import io.stampede.target.Signal;
import io.stampede.target.docker.ContainerTarget;
import java.util.List;

/**
 * Freezes the target's processes (its {@link io.stampede.target.ProcessScope}) with SIGSTOP, a
 * container's processes with the engine's pause (the cgroup freezer); the rollback thaws them.
 * Connections stay open, answers stop. Checked: every process must reach state T, and when a narrow
 * scope leaves descendants running and the target's url still answers, the pause is reported as
 * having no effect (and undone) rather than counted as a fault the service shrugged off.
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
        ProcessTarget process = target.process();
        ProcessSet set = process.freeze();
        if (set.isEmpty()) {
            throw new IllegalStateException("no effect: no process running");
        }
        List<String> running = set.awaitStopped(ProcessSet.EFFECT_WAIT);
        if (!running.isEmpty()) {
            set.signal(Signal.SIGCONT);
            throw new IllegalStateException("no effect: " + set.describe() + ", SIGSTOP, not stopped after "
                    + Durations.format(ProcessSet.EFFECT_WAIT) + ": " + String.join(" ", running) + "; continued again");
        }
        String detail = set.describe() + ", SIGSTOP, all stopped";
        List<Long> outside = set.runningOutside();
        if (!outside.isEmpty()) {
            String missed = outside.size() + " descendants outside scope " + set.scope().key() + " keep running: "
                    + ProcessSet.join(outside);
            // the service may still answer through them: then the pause did nothing users can see
            if (process.url() != null && PortCheck.answers(process.url())) {
                set.signal(Signal.SIGCONT);
                throw new IllegalStateException("no effect: " + detail + ", but " + process.url() + " still answers: " + missed
                        + "; continued again");
            }
            detail += "; " + missed;
        }
        String shown = detail;
        return new Injection() {
            @Override
            public String detail() {
                return shown;
            }

            @Override
            public void rollback() {
                set.signal(Signal.SIGCONT);
            }
        };
    }

    /** Resolves the target's processes once at the start: a scope that holds Stampede fails the run there. */
    @Override
    public void check(TargetHandle target) {
        ProcessChecks.resolvable(target);
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
