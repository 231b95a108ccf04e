package io.stampede.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.slo.Verdict;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseStats;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The run's machine-readable summary, {@code summary.json}: what ran, when, how it went overall and
 * per request, the failures, and one point per second. Field names are camelCase; latencies are
 * milliseconds, sizes bytes, rates per second, times ISO-8601 in UTC.
 *
 * <pre>{@code
 * byte[] json = SummaryJson.toBytes(runInfo, runStats, SummaryJson.Status.RUNNING);
 * }</pre>
 *
 * <p>Example (abridged):
 * <pre>
 * { "name": "lab-13", "host": "http://127.0.0.1:5001", "status": "finished",
 *   "startTime": "2026-01-05T10:00:00Z", "endTime": "2026-01-05T10:05:00.004Z",
 *   "durationSeconds": 300.004, "users": 0, "peakUsers": 100,   (users: running when written; 0 once finished)
 *   "totals": { "requests": 9120, "failures": 12, "failureRatio": 0.0013, "requestsPerSecond": 30.4,
 *               "averageMillis": 3.2, ..., "p999Millis": 41.2, "averageContentBytes": 21.5,
 *               "phases": { "connecting": { "meanMillis": 0.01, "p50Millis": 0, "p95Millis": 0, "p99Millis": 0.12,
 *                                           "maxMillis": 1.9 }, "tlsHandshaking": {...}, "sending": {...},
 *                           "waiting": {...}, "receiving": {...} } },
 *   "requests": [ { "method": "GET", "name": "/", "requests": 6840, ... } ],
 *   "failures": [ { "method": "GET", "name": "/", "error": "connection refused", "occurrences": 12 } ],
 *   "points": [ { "endEpochMillis": ..., "requestsPerSecond": 30.0, "p95Millis": 4.1, ... } ] }
 * </pre>
 */
public final class SummaryJson {

    /**
     * Whether the run is still going and how it ended: readers polling the file see "running" until
     * the end. Only "finished" reached the planned end; the others never pass when a run time was planned.
     */
    public enum Status {
        /** Still going, or its process died before it could say otherwise ({@code stampede report} then says KILLED). */
        RUNNING,
        /** Reached its planned end (run time, end of the stages). */
        FINISHED,
        /** Stopped before its planned end: a signal, Ctrl-C, Stop on the page or POST /api/stop. */
        INTERRUPTED,
        /** Stopped by an abortOnFail threshold. */
        ABORTED,
        /** Its process died mid-run (kill -9, a crash): set by {@code stampede report} on a folder left "running". */
        KILLED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The status of a run that ended so. */
        public static Status of(RunEnd end) {
            return switch (end.cause()) {
                case COMPLETED -> FINISHED;
                case INTERRUPTED -> INTERRUPTED;
                case ABORTED -> ABORTED;
            };
        }

        /** The status as written, or null for an unknown word. */
        public static Status parse(String json) {
            for (Status s : values()) {
                if (s.json().equals(json)) {
                    return s;
                }
            }
            return null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    /** The summary as UTF-8 JSON. */
    public static byte[] toBytes(RunInfo run, RunStats stats, Status status) {
        return toBytes(run, stats, status, List.of());
    }

    /** The summary with the run's timeline of events (faults, target state changes). */
    public static byte[] toBytes(RunInfo run, RunStats stats, Status status, List<Event> events) {
        return toBytes(run, stats, status, events, null);
    }

    /** The summary with the events and, once the run is judged, its verdict (null before). */
    public static byte[] toBytes(RunInfo run, RunStats stats, Status status, List<Event> events, Verdict verdict) {
        return toBytes(run, stats, status, events, verdict, null);
    }

    /** The summary of a run that ended as {@code end} says (null while it runs): its status, stop and abandoned users. */
    public static byte[] toBytes(RunInfo run, RunStats stats, Status status, List<Event> events, Verdict verdict, RunEnd end) {
        return toBytes(run, stats, status, events, verdict, end, null);
    }

    /**
     * The summary of a {@code --master} run, with each networked worker's totals ({@code workers}: null
     * for a run made on this machine, which then has no such field).
     */
    public static byte[] toBytes(RunInfo run, RunStats stats, Status status, List<Event> events, Verdict verdict, RunEnd end,
                                 List<WorkerStatus> workers) {
        try {
            return JSON.writeValueAsBytes(summary(run, stats, status, events, verdict, end)
                    .withWorkers(workers == null ? null : workers.stream().map(WorkerTotals::of).toList()));
        } catch (IOException e) {
            // Only records of strings and numbers go in: a failure here is a bug, not an I/O condition.
            throw new UncheckedIOException(e);
        }
    }

    static Summary summary(RunInfo run, RunStats stats, Status status) {
        return summary(run, stats, status, List.of());
    }

    static Summary summary(RunInfo run, RunStats stats, Status status, List<Event> events) {
        return summary(run, stats, status, events, null);
    }

    static Summary summary(RunInfo run, RunStats stats, Status status, List<Event> events, Verdict verdict) {
        return summary(run, stats, status, events, verdict, null);
    }

    static Summary summary(RunInfo run, RunStats stats, Status status, List<Event> events, Verdict verdict, RunEnd end) {
        double seconds = stats.totalsSeconds();
        List<RequestFigures> requests = stats.totals().entrySet().stream()
                .map(e -> new RequestFigures(e.getKey().method(), e.getKey().name(), Figures.of(e.getValue(), seconds)))
                .toList();
        List<Failure> failures = stats.failures().entrySet().stream()
                .map(e -> Failure.of(e.getKey(), e.getValue()))
                .toList();
        boolean early = end != null && end.cause() != RunEnd.Cause.COMPLETED;
        Double planned = (end != null ? end.planned() : run.planned())
                .map(d -> d.toMillis() / 1000.0).orElse(null);
        String totalsSince = stats.totalsStartEpochMillis() == stats.startEpochMillis() ? null
                : Instant.ofEpochMilli(stats.totalsStartEpochMillis()).toString();
        return new Summary(run.name(), run.host(), status, planned,
                early ? end.elapsed().toMillis() / 1000.0 : null, early ? end.reason() : null,
                ProcessHandle.current().pid(),
                Instant.ofEpochMilli(stats.startEpochMillis()).toString(),
                Instant.ofEpochMilli(stats.endEpochMillis()).toString(),
                (stats.endEpochMillis() - stats.startEpochMillis()) / 1000.0, stats.users(),
                Math.max(stats.users(), stats.points().stream().mapToInt(IntervalPoint::users).max().orElse(0)),
                stats.droppedIterations(),
                end == null ? null : end.abandoned(), totalsSince,
                Figures.of(stats.total(), seconds), requests, failures, stats.points(), events, verdict, null);
    }

    /**
     * @param plannedSeconds   the planned length (run time or stages), null for an open-ended run
     * @param stoppedAtSeconds when a run that did not finish was stopped; null otherwise
     * @param stopReason       who or what stopped it; null unless stopped early
     * @param pid              the process that writes the file, so {@code stampede report} can tell a dead run from a live one
     * @param abandonedUsers   users still busy when the stop's bound ran out; null while running
     * @param totalsSince      when the totals start, if the statistics were reset; null when they cover the whole run
     * @param workers          each networked worker's totals in a {@code --master} run; left out otherwise (and by
     *                         summaries written before it existed: readers take its absence as a run on one machine)
     */
    @JsonPropertyOrder({"name", "host", "status", "plannedSeconds", "stoppedAtSeconds", "stopReason", "pid",
            "startTime", "endTime", "durationSeconds", "users", "peakUsers", "droppedIterations", "abandonedUsers", "totalsSince",
            "totals", "requests", "failures", "points", "events", "verdict", "workers"})
    record Summary(String name, String host, Status status, Double plannedSeconds,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Double stoppedAtSeconds,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason, long pid,
                   String startTime, String endTime,
                   double durationSeconds, int users, int peakUsers, long droppedIterations,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<RunEnd.Abandoned> abandonedUsers,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String totalsSince,
                   Figures totals, List<RequestFigures> requests,
                   List<Failure> failures, List<IntervalPoint> points, List<Event> events,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Verdict verdict,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<WorkerTotals> workers) {

        Summary withWorkers(List<WorkerTotals> totals) {
            return new Summary(name, host, status, plannedSeconds, stoppedAtSeconds, stopReason, pid, startTime, endTime,
                    durationSeconds, users, peakUsers, droppedIterations, abandonedUsers, totalsSince, this.totals, requests,
                    failures, points, events, verdict, totals);
        }
    }

    /**
     * One networked worker over the whole run: what it measured (the run's totals are the sum of its
     * workers', unless the statistics were reset), when it was first and last heard from, how it ended.
     *
     * @param state          its state when the summary was written: "finished", "lost", ... once the run ended
     * @param peakCpuPercent the highest CPU use its heartbeats reported; null when none came
     */
    @JsonPropertyOrder({"id", "host", "state", "requests", "failures", "firstSeen", "lastSeen", "peakCpuPercent"})
    public record WorkerTotals(String id, String host, WorkerStatus.State state, long requests, long failures, String firstSeen,
                        String lastSeen, Double peakCpuPercent) {

        static WorkerTotals of(WorkerStatus w) {
            return new WorkerTotals(w.id(), w.host(), w.state(), w.requests(), w.failures(),
                    Instant.ofEpochMilli(w.firstSeenEpochMillis()).toString(), Instant.ofEpochMilli(w.lastSeenEpochMillis()).toString(),
                    w.peakCpuPercent());
        }
    }

    /** The figures of one request key or of all of them; rates over the whole run so far. */
    @JsonPropertyOrder({"requests", "failures", "failureRatio", "requestsPerSecond", "averageMillis", "minMillis",
            "maxMillis", "medianMillis", "p90Millis", "p95Millis", "p99Millis", "p999Millis",
            "averageContentBytes", "phases"})
    record Figures(long requests, long failures, double failureRatio, double requestsPerSecond,
                   double averageMillis, double minMillis, double maxMillis, double medianMillis,
                   double p90Millis, double p95Millis, double p99Millis, double p999Millis,
                   double averageContentBytes, @JsonInclude(JsonInclude.Include.NON_NULL) Phases phases) {

        static Figures of(EntryStats entry, double seconds) {
            return new Figures(entry.count(), entry.failures(), entry.failureRatio(), entry.count() / seconds,
                    entry.averageMillis(), entry.minMillis(), entry.maxMillis(), entry.medianMillis(),
                    entry.percentileMillis(90), entry.percentileMillis(95), entry.percentileMillis(99),
                    entry.percentileMillis(99.9), entry.averageContentBytes(), Phases.of(entry.phases()));
        }
    }

    /**
     * Where the requests' time went, phase by phase (k6's http_req_connecting ... http_req_receiving);
     * null (left out) when no request had phase times.
     */
    @JsonPropertyOrder({"connecting", "tlsHandshaking", "sending", "waiting", "receiving"})
    record Phases(PhaseFigures connecting, PhaseFigures tlsHandshaking, PhaseFigures sending, PhaseFigures waiting,
                  PhaseFigures receiving) {

        static Phases of(PhaseStats phases) {
            if (phases == null || phases.count() == 0) {
                return null;
            }
            return new Phases(PhaseFigures.of(phases, Phase.CONNECTING), PhaseFigures.of(phases, Phase.TLS_HANDSHAKING),
                    PhaseFigures.of(phases, Phase.SENDING), PhaseFigures.of(phases, Phase.WAITING),
                    PhaseFigures.of(phases, Phase.RECEIVING));
        }
    }

    /** One phase's figures in milliseconds, from its histogram (1% resolution). */
    @JsonPropertyOrder({"meanMillis", "p50Millis", "p95Millis", "p99Millis", "maxMillis"})
    record PhaseFigures(double meanMillis, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

        static PhaseFigures of(PhaseStats phases, Phase phase) {
            return new PhaseFigures(micros(phases.meanMillis(phase)), phases.percentileMillis(phase, 50),
                    phases.percentileMillis(phase, 95), phases.percentileMillis(phase, 99), phases.maxMillis(phase));
        }

        /** A mean to the microsecond, the recording's unit. */
        private static double micros(double millis) {
            return Math.round(millis * 1000) / 1000.0;
        }
    }

    /** One request key's figures, flat: {@code {"method": "GET", "name": "/", "requests": ...}}. */
    record RequestFigures(String method, String name,
                          @JsonUnwrapped Figures figures) {
    }

    @JsonPropertyOrder({"method", "name", "error", "occurrences"})
    record Failure(String method, String name, String error, long occurrences) {

        static Failure of(FailureKey key, long occurrences) {
            return new Failure(key.method(), key.name(), key.error(), occurrences);
        }
    }
}
