package io.stampede.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stampede.engine.RunInfo;
import io.stampede.events.Event;
import io.stampede.slo.Verdict;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalPoint;
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
 *               "averageMillis": 3.2, ..., "p999Millis": 41.2, "averageContentBytes": 21.5 },
 *   "requests": [ { "method": "GET", "name": "/", "requests": 6840, ... } ],
 *   "failures": [ { "method": "GET", "name": "/", "error": "connection refused", "occurrences": 12 } ],
 *   "points": [ { "endEpochMillis": ..., "requestsPerSecond": 30.0, "p95Millis": 4.1, ... } ] }
 * </pre>
 */
public final class SummaryJson {

    /** Whether the run is still going: readers polling the file see "running" until the end. */
    public enum Status {
        RUNNING, FINISHED;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
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
        try {
            return JSON.writeValueAsBytes(summary(run, stats, status, events, verdict));
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
        double seconds = stats.totalsSeconds();
        List<RequestFigures> requests = stats.totals().entrySet().stream()
                .map(e -> new RequestFigures(e.getKey().method(), e.getKey().name(), Figures.of(e.getValue(), seconds)))
                .toList();
        List<Failure> failures = stats.failures().entrySet().stream()
                .map(e -> Failure.of(e.getKey(), e.getValue()))
                .toList();
        return new Summary(run.plan().name(), run.plan().host(), status,
                Instant.ofEpochMilli(stats.startEpochMillis()).toString(),
                Instant.ofEpochMilli(stats.endEpochMillis()).toString(),
                (stats.endEpochMillis() - stats.startEpochMillis()) / 1000.0, stats.users(),
                Math.max(stats.users(), stats.points().stream().mapToInt(IntervalPoint::users).max().orElse(0)),
                stats.droppedIterations(),
                Figures.of(stats.total(), seconds), requests, failures, stats.points(), events, verdict);
    }

    @JsonPropertyOrder({"name", "host", "status", "startTime", "endTime", "durationSeconds", "users",
            "peakUsers", "droppedIterations", "totals",
            "requests", "failures", "points", "events", "verdict"})
    record Summary(String name, String host, Status status, String startTime, String endTime,
                   double durationSeconds, int users, int peakUsers, long droppedIterations, Figures totals, List<RequestFigures> requests,
                   List<Failure> failures, List<IntervalPoint> points, List<Event> events,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Verdict verdict) {
    }

    /** The figures of one request key or of all of them; rates over the whole run so far. */
    @JsonPropertyOrder({"requests", "failures", "failureRatio", "requestsPerSecond", "averageMillis", "minMillis",
            "maxMillis", "medianMillis", "p90Millis", "p95Millis", "p99Millis", "p999Millis",
            "averageContentBytes"})
    record Figures(long requests, long failures, double failureRatio, double requestsPerSecond,
                   double averageMillis, double minMillis, double maxMillis, double medianMillis,
                   double p90Millis, double p95Millis, double p99Millis, double p999Millis,
                   double averageContentBytes) {

        static Figures of(EntryStats entry, double seconds) {
            return new Figures(entry.count(), entry.failures(), entry.failureRatio(), entry.count() / seconds,
                    entry.averageMillis(), entry.minMillis(), entry.maxMillis(), entry.medianMillis(),
                    entry.percentileMillis(90), entry.percentileMillis(95), entry.percentileMillis(99),
                    entry.percentileMillis(99.9), entry.averageContentBytes());
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
