package io.stampede.target;

import java.net.URI;

/**
 * A target that is an operating-system process: process faults (kill, pause, ...) act on it, and on
 * the processes around it that make up the service (see {@link #processes()}).
 */
public interface ProcessTarget {

    String name();

    /** The current process id; a managed target gets a new one after each restart. -1 when none runs. */
    long pid();

    /**
     * The process group of the current process: a managed target runs in its own session and group
     * (its id is the target's first PID), an external one in whatever group it was given. -1 when none runs.
     */
    long pgid();

    /** The HTTP base URL the target serves, or null. */
    URI url();

    /** The processes a fault acts on now, resolved at each call; empty when none runs. */
    ProcessSet processes();

    /**
     * Stops every process with SIGSTOP (a pause) and returns them; empty when none runs. The set is
     * resolved first, so the pause starts after one pass over /proc (see {@code ManagedProcess} for a quicker way).
     */
    default ProcessSet freeze() {
        ProcessSet set = processes();
        return set.isEmpty() || !set.signal(Signal.SIGSTOP) ? ProcessSet.empty(ProcessScope.PROCESS, pid()) : set;
    }

    /** Sends a signal to every process in {@link #processes()}; false when no process runs. */
    default boolean signal(Signal signal) {
        ProcessSet set = processes();
        return !set.isEmpty() && set.signal(signal);
    }
}
