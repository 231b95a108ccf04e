package io.stampede.report.html;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.slo.SliSource;
import io.stampede.stats.Phase;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   "budgets": { "names": ["availability"], "x": [...], "left": [[...]] },
 *   "phases": { "connecting": [...], "tlsHandshaking": [...], "sending": [...], "waiting": [...], "receiving": [...] } }
 * </pre>
 *
 * What report.js and fault-bands.js read: the contract test checks their names against these records.
 *
 * @param budgets one series per SLO with a budget series; null (left out) when there is none
 * @param phases  each second's mean time per request phase, on {@code x}; null (left out) when no
 *                point has phase times
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChartData(long startEpochMillis, double endSeconds, List<Double> x, List<Double> rps, List<Double> fps,
                 List<Double> p50, List<Double> p95, List<Double> p99, List<Double> users, List<Window> windows,
                 List<Marker> markers, Budgets budgets, Phases phases) {

    /** The phases' means in milliseconds, one value per point (null where a second had none). */
    record Phases(List<Double> connecting, List<Double> tlsHandshaking, List<Double> sending, List<Double> waiting,
                  List<Double> receiving) {
    }

    /** A fault's band, in seconds from the start. */
    record Window(String label, String fault, String target, double from, double to, Timeline.WindowKind kind) {
    }

    /** A target's change (or a fault that failed), drawn as a line. */
    record Marker(double at, Timeline.MarkerKind kind, String target, String text) {
    }

    /** The error budget left of each SLO, on the union of their times (null where one has no value). */
    record Budgets(List<String> names, List<Double> x, List<List<Double>> left) {
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

    static ChartData of(JsonNode summary, Timeline timeline) {
        long start = startMillis(summary);
        List<Double> x = new ArrayList<>();
        List<Double> rps = new ArrayList<>();
        List<Double> fps = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> users = new ArrayList<>();
        List<List<Double>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        boolean anyPhases = false;
        for (JsonNode point : summary.path("points")) {
            Double end = Format.number(point, "endEpochMillis");
            if (end == null) {
                continue;
            }
            x.add(round((end - start) / 1000.0));
            rps.add(finite(Format.number(point, "requestsPerSecond")));
            fps.add(finite(Format.number(point, "failuresPerSecond")));
            // A second without requests has no latency, not a latency of 0: leave a gap.
            Double requests = Format.number(point, "requests");
            boolean none = requests != null && requests == 0;
            p50.add(none ? null : finite(Format.number(point, "p50Millis")));
            p95.add(none ? null : finite(Format.number(point, "p95Millis")));
            p99.add(none ? null : finite(Format.number(point, "p99Millis")));
            users.add(finite(Format.number(point, "users")));
            JsonNode means = point.path("phases");
            anyPhases |= means.isObject();
            for (int i = 0; i < PHASE_NAMES.size(); i++) {
                phases.get(i).add(finite(Format.number(means, PHASE_NAMES.get(i))));
            }
        }
        List<Window> windows = timeline.windows.stream()
                .map(w -> new Window(w.label(), w.fault(), w.target(), round(w.from()), round(w.to()), w.kind()))
                .toList();
        List<Marker> markers = timeline.markers.stream()
                .map(m -> new Marker(round(m.at()), m.kind(), m.target(), m.text()))
                .toList();
        return new ChartData(start, round(endSeconds(summary, start)), x, rps, fps, p50, p95, p99, users, windows,
                markers, budgets(summary.path("verdict").path("slos"), start),
                anyPhases ? new Phases(phases.get(0), phases.get(1), phases.get(2), phases.get(3), phases.get(4)) : null);
    }

    /** The points' phase fields as summary.json names them, in {@link Phase} order. */
    private static final List<String> PHASE_NAMES = Arrays.stream(Phase.values()).map(Phase::json).toList();

    /** One series per SLO with a budgetSeries, on the union of their times (null where one has no value). */
    private static Budgets budgets(JsonNode slos, long start) {
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
            boolean server = SliSource.PROMETHEUS.text().equals(Format.string(slo, "source"));
            names.add(Format.string(slo, "name") + (server ? " (source: prometheus)" : ""));
            series.add(values);
        }
        if (names.isEmpty()) {
            return null;
        }
        List<List<Double>> left = series.stream()
                .map(values -> times.keySet().stream().map(t -> finite(values.get(t))).toList())
                .toList();
        return new Budgets(names, List.copyOf(times.keySet()), left);
    }

    /** A value a chart can draw, or null (a gap): JSON has no NaN or infinity. */
    private static Double finite(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null : value;
    }

    /** Milliseconds are enough on a chart; fewer digits make a smaller page. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
