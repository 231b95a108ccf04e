package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data the page's script draws, as one JSON object in columns (uPlot's layout): the per-second
 * points, the fault windows and target markers, the error-budget series. Times are seconds from the
 * run's start, so every chart shares one axis; {@code startEpochMillis} lets the page show clock time.
 *
 * <pre>
 * { "startEpochMillis": ..., "endSeconds": 60.0,
 *   "x": [1.0, 2.0, ...], "rps": [...], "fps": [...], "p50": [...], "p95": [...], "p99": [...], "users": [...],
 *   "windows": [ {"label": "kill#1", "fault": "kill", "target": "app", "from": 20.1, "to": 22.0, "kind": "until_healthy"} ],
 *   "markers": [ {"at": 20.2, "kind": "down", "target": "app", "text": "app exited"} ],
 *   "budgets": { "names": ["availability"], "x": [...], "left": [[...]] } }
 * </pre>
 */
final class ChartData {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChartData() {
    }

    /** The run's start in epoch milliseconds: its startTime, else derived from the first point. */
    static long startMillis(JsonNode summary) {
        Long start = Format.epochMillis(Format.string(summary, "startTime"));
        if (start != null) {
            return start;
        }
        JsonNode first = summary.path("points").path(0);
        Double end = Format.number(first, "endEpochMillis");
        Double seconds = Format.number(first, "seconds");
        return end == null ? 0 : Math.round(end - 1000 * (seconds == null ? 1 : seconds));
    }

    /** The run's length in seconds: durationSeconds, else the last point's time. */
    static double endSeconds(JsonNode summary, long startMillis) {
        Double duration = Format.number(summary, "durationSeconds");
        if (duration != null) {
            return duration;
        }
        JsonNode points = summary.path("points");
        Double last = Format.number(points.path(points.size() - 1), "endEpochMillis");
        return last == null ? 0 : (last - startMillis) / 1000.0;
    }

    static ObjectNode of(JsonNode summary, Timeline timeline) {
        long start = startMillis(summary);
        ObjectNode data = NODES.objectNode();
        data.put("startEpochMillis", start);
        data.put("endSeconds", round(endSeconds(summary, start)));
        ArrayNode x = data.putArray("x");
        ArrayNode rps = data.putArray("rps");
        ArrayNode fps = data.putArray("fps");
        ArrayNode p50 = data.putArray("p50");
        ArrayNode p95 = data.putArray("p95");
        ArrayNode p99 = data.putArray("p99");
        ArrayNode users = data.putArray("users");
        for (JsonNode point : summary.path("points")) {
            Double end = Format.number(point, "endEpochMillis");
            if (end == null) {
                continue;
            }
            x.add(round((end - start) / 1000.0));
            add(rps, Format.number(point, "requestsPerSecond"));
            add(fps, Format.number(point, "failuresPerSecond"));
            // A second without requests has no latency, not a latency of 0: leave a gap.
            Double requests = Format.number(point, "requests");
            boolean none = requests != null && requests == 0;
            add(p50, none ? null : Format.number(point, "p50Millis"));
            add(p95, none ? null : Format.number(point, "p95Millis"));
            add(p99, none ? null : Format.number(point, "p99Millis"));
            add(users, Format.number(point, "users"));
        }
        ArrayNode windows = data.putArray("windows");
        for (Timeline.Window w : timeline.windows) {
            windows.addObject().put("label", w.label()).put("fault", w.fault()).put("target", w.target())
                    .put("from", round(w.from())).put("to", round(w.to()))
                    .put("kind", w.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        ArrayNode markers = data.putArray("markers");
        for (Timeline.Marker m : timeline.markers) {
            markers.addObject().put("at", round(m.at())).put("kind", m.kind()).put("target", m.target()).put("text", m.text());
        }
        budgets(summary.path("verdict").path("slos"), start, data);
        return data;
    }

    /** One series per SLO with a budgetSeries, on the union of their times (null where one has no value). */
    private static void budgets(JsonNode slos, long start, ObjectNode data) {
        List<String> names = new ArrayList<>();
        List<Map<Double, Double>> series = new ArrayList<>();
        TreeMap<Double, Boolean> times = new TreeMap<>();
        for (JsonNode slo : slos) {
            JsonNode budgetSeries = slo.path("budgetSeries");
            if (!budgetSeries.isArray() || budgetSeries.isEmpty()) {
                continue;
            }
            Map<Double, Double> values = new TreeMap<>();
            for (JsonNode p : budgetSeries) {
                Double at = Format.number(p, "epochMillis");
                if (at != null) {
                    double t = round((at - start) / 1000.0);
                    values.put(t, Format.number(p, "budgetLeftPercent"));
                    times.put(t, true);
                }
            }
            names.add(Format.string(slo, "name"));
            series.add(values);
        }
        if (names.isEmpty()) {
            return;
        }
        ObjectNode budgets = data.putObject("budgets");
        ArrayNode nameArray = budgets.putArray("names");
        names.forEach(nameArray::add);
        ArrayNode x = budgets.putArray("x");
        times.keySet().forEach(x::add);
        ArrayNode left = budgets.putArray("left");
        for (Map<Double, Double> values : series) {
            ArrayNode column = left.addArray();
            for (Double t : times.keySet()) {
                add(column, values.get(t));
            }
        }
    }

    private static void add(ArrayNode array, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            array.addNull();
        } else {
            array.add(value);
        }
    }

    /** Milliseconds are enough on a chart; fewer digits make a smaller page. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
