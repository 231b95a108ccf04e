package io.stampede.target;

/** A target that is an operating-system process: process faults (kill, pause, ...) act on it. */
public interface ProcessTarget {

    String name();

    /** The current process id; a managed target gets a new one after each restart. -1 when none runs. */
    long pid();

    /** Sends a signal to the current process; false when no process runs. */
    default boolean signal(Signal signal) {
        long pid = pid();
        return pid > 0 && signal.sendTo(pid);
    }
}
