package io.stampede.report;

import io.stampede.engine.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code workers.csv} of a {@code --master} run: one row per networked worker, its totals and how it
 * ended, as in summary.json's {@code workers}; times ISO-8601 in UTC, CPU in percent (empty when no
 * heartbeat came).
 */
final class WorkersCsv {

    static final String HEADER = "id,host,state,requests,failures,first_seen,last_seen,peak_cpu_percent";

    private WorkersCsv() {
    }

    static String of(List<WorkerStatus> workers) {
        StringBuilder csv = new StringBuilder(HEADER).append(Csv.ROW_END);
        for (WorkerStatus w : workers) {
            csv.append(Csv.row(List.of(w.id(), w.host(), w.state().json(), Long.toString(w.requests()),
                    Long.toString(w.failures()), Instant.ofEpochMilli(w.firstSeenEpochMillis()).toString(),
                    Instant.ofEpochMilli(w.lastSeenEpochMillis()).toString(),
                    w.peakCpuPercent() == null ? "" : String.format(Locale.ROOT, "%.1f", w.peakCpuPercent()))));
        }
        return csv.toString();
    }
}
