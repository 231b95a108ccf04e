package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.input.Durations;
import io.stampede.target.ProcessSet;
import io.stampede.target.Signal;
import java.time.Duration;
import java.util.List;

/**
 * Sends a signal to the target's processes (its {@link io.stampede.target.ProcessScope}), SIGKILL by
 * default: a real death of the whole service, checked: a SIGKILL that leaves a process alive is
 * reported as having no effect; after another signal the detail names the survivors. A managed
 * target comes back through its restart policy, not through a rollback. On a container this is
 * {@code docker kill}, which the engine counts as a stop by hand: its restart policy does not act
 * (use {@link Crash} for a death the policy answers).
 */
public record Kill(Signal signal) implements Fault {

    /** How long a kill with a signal other than SIGKILL watches for its processes to end. */
    static final Duration OTHER_SIGNAL_WAIT = Duration.ofSeconds(1);

    @Override
    public Injection inject(TargetHandle target) {
        if (target.container() != null) {
            target.containers().kill(target.container(), signal);
            return Injection.instant("container " + target.container() + ", docker kill " + signal);
        }
        ProcessSet set = target.process().processes();
        if (set.isEmpty()) {
            throw new IllegalStateException("no effect: no process running");
        }
        if (!set.signal(signal)) {
            throw new IllegalStateException("no effect: " + set.describe() + " gone before " + signal);
        }
        String hit = set.describe() + ", " + signal;
        if (signal == Signal.SIGSTOP || signal == Signal.SIGTSTP || signal == Signal.SIGCONT) {
            return Injection.instant(hit);
        }
        // SIGKILL must end them all; another signal may be handled, so say which lived through it
        List<Long> alive = set.awaitGone(signal == Signal.SIGKILL ? ProcessSet.EFFECT_WAIT : OTHER_SIGNAL_WAIT);
        if (alive.isEmpty()) {
            return Injection.instant(hit + ", all gone");
        }
        Duration waited = signal == Signal.SIGKILL ? ProcessSet.EFFECT_WAIT : OTHER_SIGNAL_WAIT;
        String still = "still alive after " + Durations.format(waited) + ": " + ProcessSet.join(alive);
        if (signal == Signal.SIGKILL) {
            throw new IllegalStateException("no effect: " + hit + ", " + still);
        }
        return Injection.instant(hit + ", " + still);
    }

    /** Resolves the target's processes once at the start: a scope that holds Stampede fails the run there. */
    @Override
    public void check(TargetHandle target) {
        ProcessChecks.resolvable(target);
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
