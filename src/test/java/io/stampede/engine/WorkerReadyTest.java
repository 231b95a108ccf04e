package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long the coordinator waits for its worker processes: while they use CPU, not a fixed time.
 * Real processes stand in for workers; each says it is ready (or not) the way a worker does.
 */
class WorkerReadyTest {

    private static final String READY = "echo '{\"type\":\"ready\",\"protocol\":" + WorkerProtocol.VERSION + "}'; cat >/dev/null";

    @Test
    void aWorkerStillWorkingPastTheStallWindowIsWaitedFor() {
        // busy for 6 s of wall time, whatever share of the CPU a loaded machine gives it, then ready
        ReadyLimits limits = new ReadyLimits(Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofSeconds(60));
        long started = System.nanoTime();
        WorkerPool.start(List.of("bash", "-c", "while [ $SECONDS -lt 6 ]; do :; done; " + READY, "worker"), 2,
                new TaskErrors(), limits).close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(limits.stall());
    }

    @Test
    void aWorkerThatUsesNoCpuIsReportedHung() {
        ReadyLimits limits = new ReadyLimits(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(60));
        // the second worker is ready at once: the first one's stall is still seen
        assertThatThrownBy(() -> WorkerPool.start(List.of("bash", "-c", "[ \"${2%/*}\" = 1 ] && { " + READY + "; }; exec sleep 600",
                "worker"), 2, new TaskErrors(), limits).close())
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessage("worker process 1 of 2 was not ready and used less than 100 ms of CPU in the last 2 s: it looks hung");
    }

    @Test
    void aWorkerThatSpinsIsStoppedAtItsCpuBudget() {
        ReadyLimits limits = new ReadyLimits(Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThatThrownBy(() -> WorkerPool.start(List.of("bash", "-c", "while :; do :; done", "worker"), 1, new TaskErrors(),
                limits).close())
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessage("worker process 1 of 1 was not ready after 1 s of CPU time");
    }

    @Test
    void aWorkerThatEndsIsReportedWithItsExitCode() {
        assertThatThrownBy(() -> WorkerPool.start(List.of("sh", "-c", "exit 3", "worker"), 1, new TaskErrors()).close())
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessage("worker process 1 of 1 ended with exit code 3 before it was ready");
    }
}
