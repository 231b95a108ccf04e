package io.stampede.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One networked worker as the coordinator sees it now ({@code --master}): who it is, what it holds
 * and sent, how busy it says it is. The live page's Workers tab shows it each second; the results
 * folder keeps the last one as the worker's totals.
 *
 * @param id                   the coordinator's name for it ("w1", "w2", ...), as in the WORKER_* events
 * @param host                 the name it gave and the address it connected from
 * @param state                where it is in the run
 * @param users                users it runs now (its last interval's count; 0 once finished or lost)
 * @param requests             requests it measured over the whole run (a reset of the statistics does not clear them)
 * @param failures             of those, failures
 * @param requestsPerSecond    its last interval's rate
 * @param cpuPercent           the CPU use of its last heartbeat; null before the first
 * @param peakCpuPercent       the highest CPU use it reported; null before the first heartbeat
 * @param heartbeatAgeMillis   how long since the coordinator last heard from it
 * @param firstSeenEpochMillis when it connected, on the run's clock
 * @param lastSeenEpochMillis  when it was last heard from, on the run's clock
 */
public record WorkerStatus(String id, String host, State state, int users, long requests, long failures,
                           double requestsPerSecond, Double cpuPercent, Double peakCpuPercent, long heartbeatAgeMillis,
                           long firstSeenEpochMillis, long lastSeenEpochMillis) {

    /**
     * Above this CPU use a worker cannot be trusted to make its share of the load or to time it: the
     * page warns, as Locust does at 90%.
     */
    public static final double CPU_WARNING_PERCENT = 90;

    /** Where a worker is in the run. */
    public enum State {
        /** Connected, not yet checked (token, protocol version). */
        CONNECTING,
        /** Accepted and sent the run: compiling the scenario. */
        PREPARING,
        /** Compiled: waits for the start, or for a share of a running load. */
        READY,
        RUNNING,
        /** Silent for a while: its share is kept, a saturated worker is late, not gone. */
        MISSING,
        /** Said it stopped its users. */
        FINISHED,
        /** Its connection ended, or it stayed silent too long: its share moved to the others. */
        LOST,
        /** Refused at connect: wrong token or protocol version. */
        REFUSED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether its last heartbeat said its CPU is too busy for its figures to be trusted. */
    public boolean cpuOverloaded() {
        return cpuPercent != null && cpuPercent > CPU_WARNING_PERCENT;
    }
}
