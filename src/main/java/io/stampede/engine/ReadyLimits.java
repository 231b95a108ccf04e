package io.stampede.engine;

import java.time.Duration;

/**
 * How long the coordinator waits for a worker process to say it is ready: for as long as the worker
 * makes progress, measured as the CPU time its process uses (JVM start, class loading, the scenario's
 * compilation). Wall time cannot tell a hung worker from a starved one: on a loaded machine, with
 * several workers pinned to one core, a healthy worker got too little CPU to be ready within 60 s.
 *
 * @param stall       a worker whose CPU time rose by less than {@code progressCpu} for this long is hung
 *                    (where the CPU time cannot be read, this is a plain limit on the wait)
 * @param progressCpu the CPU time that counts as progress; an idle, blocked JVM uses less
 * @param cpuBudget   a worker that has used this much CPU without being ready loops or is broken
 */
record ReadyLimits(Duration stall, Duration progressCpu, Duration cpuBudget) {

    /**
     * A worker needs a few seconds of CPU to be ready; a JVM that only sleeps used 50 ms in a minute
     * (JDK 25, Serial), and 0.5 s a minute is under 1% of one core, less than a starting JVM gets even
     * among dozens of runnable threads on it.
     */
    static final ReadyLimits DEFAULT = new ReadyLimits(Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(120));
}
