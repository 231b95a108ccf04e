package io.stampede.chaos;

import io.stampede.input.Durations;
import io.stampede.target.PortCheck;
import io.stampede.target.ProcessSet;
import io.stampede.target.ProcessTarget;
import io.stampede.target.Signal;
import java.time.Duration;
import java.util.List;

/**
 * A process target, managed or by PID: signals reach the processes of its
 * {@link io.stampede.target.ProcessScope}, and each one is checked. A SIGKILL that leaves a process
 * alive is reported as having no effect; after another signal the detail names the survivors. A
 * pause must bring every process to state T, and when a narrow scope leaves descendants running
 * while the target's url still answers, the pause is undone and reported as having no effect rather
 * than counted as a fault the service shrugged off.
 */
public sealed interface ProcessTargetHandle extends TargetHandle.Signals permits ManagedHandle, ExternalHandle {

    /** How long a kill with a signal other than SIGKILL watches for its processes to end. */
    Duration OTHER_SIGNAL_WAIT = Duration.ofSeconds(1);

    ProcessTarget process();

    @Override
    default String kill(Signal signal) {
        ProcessSet set = process().processes();
        if (set.isEmpty()) {
            throw new IllegalStateException("no effect: no process running");
        }
        if (!set.signal(signal)) {
            throw new IllegalStateException("no effect: " + set.describe() + " gone before " + signal);
        }
        String hit = set.describe() + ", " + signal;
        if (signal == Signal.SIGSTOP || signal == Signal.SIGTSTP || signal == Signal.SIGCONT) {
            return hit;
        }
        // SIGKILL must end them all; another signal may be handled, so say which lived through it
        Duration waited = signal == Signal.SIGKILL ? ProcessSet.EFFECT_WAIT : OTHER_SIGNAL_WAIT;
        List<Long> alive = set.awaitGone(waited);
        if (alive.isEmpty()) {
            return hit + ", all gone";
        }
        String still = "still alive after " + Durations.format(waited) + ": " + ProcessSet.join(alive);
        if (signal == Signal.SIGKILL) {
            throw new IllegalStateException("no effect: " + hit + ", " + still);
        }
        return hit + ", " + still;
    }

    @Override
    default Injection pause() {
        ProcessTarget process = process();
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
        return Injection.undoneBy(detail, () -> set.signal(Signal.SIGCONT));
    }

    /**
     * Resolves the target's processes now: refuses a set that holds PID 1, Stampede or its parent,
     * and pays the first pass over /proc before the run, not in the first fault's timing.
     */
    @Override
    default void checkSignallable() {
        String unsafe = process().processes().unsafe();
        if (unsafe != null) {
            throw new IllegalStateException(unsafe);
        }
    }
}
