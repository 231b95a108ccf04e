package io.stampede.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a coordinator waits for its workers to stop, the same for worker processes ({@link WorkerPool})
 * and networked workers ({@link ClusterPool}): one deadline for all, so n slow workers cost the wait
 * once, not n times; a worker that did not say it was done by then is abandoned whole.
 */
final class WorkerStops {

    /** A worker being stopped: its done signal and what it reports. */
    interface Stopping {
        /** Counted down when it said it is done, or it ended. */
        CountDownLatch stopped();

        /** It, as one abandoned entry: it did not stop in time. */
        RunEnd.Abandoned late();

        /** The users it said it abandoned at its own stop. */
        Collection<RunEnd.Abandoned> abandoned();
    }

    private WorkerStops() {
    }

    /** Waits up to {@code wait} in all for {@code workers}; returns those late, and the users each abandoned. */
    static List<RunEnd.Abandoned> await(List<? extends Stopping> workers, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        for (Stopping worker : workers) {
            try {
                // past the deadline, a worker already done is still done: only a look, no wait
                long left = Math.max(0, deadline - System.nanoTime());
                if (!worker.stopped().await(left, TimeUnit.NANOSECONDS)) {
                    abandoned.add(worker.late());
                }
                abandoned.addAll(worker.abandoned());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return abandoned;
    }
}
