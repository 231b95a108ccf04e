package io.stampede.chaos.faults;

import io.stampede.chaos.TargetHandle;
import io.stampede.target.ProcessSet;

/** The start-of-run check shared by the signal faults (kill, pause). */
final class ProcessChecks {

    private ProcessChecks() {
    }

    /**
     * Resolves a process target's set now: refuses one that holds PID 1, Stampede or its parent, and
     * pays the first pass over /proc before the run, not in the first fault's timing.
     */
    static void resolvable(TargetHandle target) {
        if (target.process() == null) {
            return;
        }
        ProcessSet set = target.process().processes();
        String unsafe = set.unsafe();
        if (unsafe != null) {
            throw new IllegalStateException(unsafe);
        }
    }
}
