package io.stampede.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.engine.RunInfo;
import io.stampede.events.Event;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.util.List;
import java.util.Map;

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
 * (Locust's Current RPS). Events are not repeated here: they come from {@code /api/events}.
 */
final class SnapshotJson {

    /** Points per snapshot: 5 minutes of chart; the page keeps what it received before. */
    static final int POINTS = 300;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnapshotJson() {
    }

    static ObjectNode waiting() {
        ObjectNode root = NODES.objectNode();
        root.put("status", LiveRun.WAITING);
        root.putArray("requests");
        root.putArray("failures");
        root.putArray("points");
        return root;
    }

    static ObjectNode of(RunInfo info, RunStats stats, String status, List<Event> events, int activeFaults) {
        return of(info, stats, status, events, activeFaults, null);
    }

    /**
     * @param planned the plan as written ({@code "host"}: the host its users were told), or null; the
     *                run's own plan has the fault proxy's address as host when faults go through it
     */
    static ObjectNode of(RunInfo info, RunStats stats, String status, List<Event> events, int activeFaults,
                         ObjectNode planned) {
        ObjectNode root = NODES.objectNode();
        root.put("status", status);
        root.put("name", info.name());
        String reached = info.host();
        String host = planned != null && planned.hasNonNull("host") ? planned.get("host").asText() : reached;
        root.put("host", host);
        if (!host.equals(reached)) {
            root.put("proxy", reached); // users reach the host through the fault proxy
        }
        root.put("startEpochMillis", stats.startEpochMillis());
        root.put("endEpochMillis", stats.endEpochMillis());
        root.put("elapsedSeconds", (stats.endEpochMillis() - stats.startEpochMillis()) / 1000.0);
        root.put("users", stats.users());
        root.put("droppedIterations", stats.droppedIterations());
        root.put("activeFaults", activeFaults);
        root.put("events", events.size());
        double seconds = stats.totalsSeconds();
        double window = stats.currentWindowSeconds();
        figures(root.putObject("totals"), stats.total(), stats.current(null), seconds, window);
        ArrayNode requests = root.putArray("requests");
        for (Map.Entry<RequestKey, EntryStats> e : stats.totals().entrySet()) {
            ObjectNode row = requests.addObject();
            row.put("method", e.getKey().method());
            row.put("name", e.getKey().name());
            figures(row, e.getValue(), stats.current(e.getKey()), seconds, window);
        }
        ArrayNode failures = root.putArray("failures");
        for (Map.Entry<FailureKey, Long> e : stats.failures().entrySet()) {
            failures.addObject().put("method", e.getKey().method()).put("name", e.getKey().name())
                    .put("error", e.getKey().error()).put("occurrences", e.getValue());
        }
        ArrayNode points = root.putArray("points");
        List<IntervalPoint> all = stats.points();
        for (IntervalPoint p : all.subList(Math.max(0, all.size() - POINTS), all.size())) {
            ObjectNode point = points.addObject();
            point.put("endEpochMillis", p.endEpochMillis());
            point.put("users", p.users());
            point.put("requests", p.requests());
            point.put("failures", p.failures());
            point.put("requestsPerSecond", round(p.requestsPerSecond()));
            point.put("failuresPerSecond", round(p.failuresPerSecond()));
            point.put("p50Millis", p.p50Millis());
            point.put("p95Millis", p.p95Millis());
            point.put("p99Millis", p.p99Millis());
        }
        return root;
    }

    static ObjectNode event(Event e) {
        ObjectNode node = NODES.objectNode().put("epochMillis", e.epochMillis()).put("kind", e.kind().name())
                .put("target", e.target()).put("fault", e.fault()).put("injection", e.injection())
                .put("detail", e.detail());
        if (e.lastsMillis() != null) {
            node.put("lastsMillis", e.lastsMillis());
        }
        return node;
    }

    private static void figures(ObjectNode node, EntryStats total, EntryStats current, double seconds, double window) {
        node.put("requests", total.count());
        node.put("failures", total.failures());
        node.put("failureRatio", total.failureRatio());
        node.put("requestsPerSecond", round(total.count() / seconds));
        node.put("currentRps", round(current.count() / window));
        node.put("currentFailuresPerSecond", round(current.failures() / window));
        node.put("medianMillis", total.medianMillis());
        node.put("p95Millis", total.percentileMillis(95));
        node.put("p99Millis", total.percentileMillis(99));
        node.put("averageMillis", round(total.averageMillis()));
        node.put("minMillis", total.minMillis());
        node.put("maxMillis", total.maxMillis());
        node.put("averageContentBytes", round(total.averageContentBytes()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
