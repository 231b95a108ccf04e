package io.stampede.web;

import io.stampede.engine.RunInfo;
import io.stampede.events.Event;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.RunStats;
import io.stampede.web.LiveJson.Figures;
import io.stampede.web.LiveJson.Planned;
import io.stampede.web.LiveJson.RunState;
import io.stampede.web.LiveJson.Snapshot;
import java.util.List;

/**
 * The live snapshot, {@code GET /api/stats} and each {@code stats} message of the stream:
 *
 * <pre>
 * { "status": "running", "name": "lab-13", "host": "http://127.0.0.1:5001",
 *   "startEpochMillis": ..., "endEpochMillis": ..., "elapsedSeconds": 12.0, "users": 100, "activeFaults": 0,
 *   "totals": { "requests": 300, "failures": 2, "failureRatio": 0.0067, "currentRps": 30.1, "currentFailuresPerSecond": 0.2, ... },
 *   "requests": [ { "method": "GET", "name": "/", ...same figures... } ],
 *   "failures": [ { "method": "GET", "name": "/", "error": "connection refused", "occurrences": 2 } ],
 *   "points": [ the last {@value #POINTS} IntervalPoints ] }
 * </pre>
 *
 * Latencies are milliseconds over the whole run; "current" rates are over the last 10 seconds
 * (Locust's Current RPS). Events are not repeated here: they come from {@code /api/events}. The
 * fields are {@link LiveJson.Snapshot}'s.
 */
final class SnapshotJson {

    /** Points per snapshot: 5 minutes of chart; the page keeps what it received before. */
    static final int POINTS = 300;

    private SnapshotJson() {
    }

    static Snapshot of(RunInfo info, RunStats stats, RunState status, List<Event> events, int activeFaults) {
        return of(info, stats, status, events, activeFaults, null);
    }

    /**
     * @param planned the plan as written (its host: the host its users were told), or null; the run's
     *                own plan has the fault proxy's address as host when faults go through it
     */
    static Snapshot of(RunInfo info, RunStats stats, RunState status, List<Event> events, int activeFaults,
                       Planned planned) {
        String reached = info.host();
        String host = planned != null && planned.host() != null ? planned.host() : reached;
        double seconds = stats.totalsSeconds();
        double window = stats.currentWindowSeconds();
        LiveJson.Progress progress = new LiveJson.Progress(stats.startEpochMillis(), stats.endEpochMillis(),
                (stats.endEpochMillis() - stats.startEpochMillis()) / 1000.0, stats.users(),
                stats.droppedIterations(), activeFaults, events.size(),
                figures(stats.total(), stats.current(null), seconds, window));
        List<LiveJson.RequestRow> requests = stats.totals().entrySet().stream()
                .map(e -> new LiveJson.RequestRow(e.getKey().method(), e.getKey().name(),
                        figures(e.getValue(), stats.current(e.getKey()), seconds, window)))
                .toList();
        List<LiveJson.FailureRow> failures = stats.failures().entrySet().stream()
                .map(e -> new LiveJson.FailureRow(e.getKey().method(), e.getKey().name(), e.getKey().error(), e.getValue()))
                .toList();
        List<IntervalPoint> all = stats.points();
        List<LiveJson.Point> points = all.subList(Math.max(0, all.size() - POINTS), all.size()).stream()
                .map(p -> new LiveJson.Point(p.endEpochMillis(), p.users(), p.requests(), p.failures(),
                        round(p.requestsPerSecond()), round(p.failuresPerSecond()), p.p50Millis(), p.p95Millis(),
                        p.p99Millis(), p.phases()))
                .toList();
        // users reach the host through the fault proxy when the two differ
        return new Snapshot(status, info.name(), host, host.equals(reached) ? null : reached, progress,
                requests, failures, points, null, null, null, null, null);
    }

    private static Figures figures(EntryStats total, EntryStats current, double seconds, double window) {
        return new Figures(total.count(), total.failures(), total.failureRatio(), round(total.count() / seconds),
                round(current.count() / window), round(current.failures() / window), total.medianMillis(),
                total.percentileMillis(95), total.percentileMillis(99), round(total.averageMillis()),
                total.minMillis(), total.maxMillis(), round(total.averageContentBytes()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
