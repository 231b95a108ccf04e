package io.stampede.chaos;

import io.stampede.input.Authority;
import io.stampede.target.ManagedProcess;
import io.stampede.target.PortCheck;
import io.stampede.target.ProcessSet;
import java.time.Duration;
import java.util.List;

/**
 * A process Stampede starts and supervises: signals and pauses as any process target, and a stop
 * or restart through its supervisor. A stop ends the whole process group and is checked: every
 * process gone and the port refusing, or it is undone and reported as having no effect.
 */
public record ManagedHandle(String name, ManagedProcess process, Fronts fronts) implements ProcessTargetHandle, TargetHandle.Lifecycle {

    @Override
    public Kind kind() {
        return Kind.MANAGED;
    }

    @Override
    public ManagedHandle withFronts(Fronts fronts) {
        return new ManagedHandle(name, process, fronts);
    }

    @Override
    public void sampleHealthFast(boolean inEffect) {
        process.sampleHealthFast(inEffect);
    }

    @Override
    public Injection stop(Duration grace) {
        ProcessSet stopped = process.hold(grace);
        if (stopped.isEmpty()) {
            return Injection.undoneBy("no process running; kept down", process::resume);
        }
        List<Long> alive = stopped.alive();
        boolean refusing = PortCheck.awaitRefusing(process.url(), ProcessSet.EFFECT_WAIT);
        if (!alive.isEmpty() || !refusing) {
            process.resume();
            throw new IllegalStateException("no effect: " + stopped.describe() + " stopped, but "
                    + (alive.isEmpty() ? "" : "still alive: " + ProcessSet.join(alive) + (refusing ? "" : "; "))
                    + (refusing ? "" : process.url() + " still accepts connections") + "; started again");
        }
        return Injection.undoneBy(stopped.describe() + " stopped, all gone, port " + Authority.of(process.url()).port() + " refusing",
                process::resume);
    }

    @Override
    public String restart(Duration grace) {
        ProcessSet stopped = process.restart(grace);
        long now = process.pid();
        return (stopped.isEmpty() ? "no process running" : stopped.describe() + " stopped")
                + " -> " + (now > 0 ? "pid " + now : "not started");
    }
}
