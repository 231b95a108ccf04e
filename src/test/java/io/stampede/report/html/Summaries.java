package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Summaries for the report tests: a hand-made one with hostile text, and a real run's. */
final class Summaries {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSTILE = "<script>alert(1)</script>";
    static final long START = 1_767_607_200_000L; // 2026-01-05T10:00:00Z
    static final String REAL_RUN = "/io/stampede/report/html/lab-13-chaos-summary.json";

    private Summaries() {
    }

    /**
     * 40 s of a run: a lasting fault (pause#1, 10 s to 16 s) and an instant one (kill#2 at 25 s; the
     * target exits and is healthy again at 28 s); a request and a failure whose texts are HTML, a
     * target named with HTML; a verdict with two SLOs (one failed), two thresholds (one without
     * data) and the two faults' impact (the kill not recovered).
     */
    static ObjectNode synthetic() {
        ObjectNode s = JSON.createObjectNode();
        s.put("name", "lab <13>").put("host", "http://127.0.0.1:5001").put("status", "finished")
                .put("startTime", "2026-01-05T10:00:00Z").put("endTime", "2026-01-05T10:00:40Z")
                .put("durationSeconds", 40.0).put("users", 0);
        s.set("totals", figures(1200, 30));
        ArrayNode requests = s.putArray("requests");
        requests.add(((ObjectNode) figures(900, 10)).put("method", "GET").put("name", "/"));
        requests.add(((ObjectNode) figures(300, 20)).put("method", "GET").put("name", HOSTILE));
        ArrayNode failures = s.putArray("failures");
        failures.addObject().put("method", "GET").put("name", HOSTILE).put("error", "500 <b>" + HOSTILE + "</b>").put("occurrences", 20);
        failures.addObject().put("method", "GET").put("name", "/").put("error", "connection refused").put("occurrences", 10);
        ArrayNode points = s.putArray("points");
        for (int i = 1; i <= 40; i++) {
            boolean paused = i > 10 && i <= 16;
            boolean down = i > 25 && i <= 28;
            points.addObject().put("endEpochMillis", START + i * 1000L).put("seconds", 1.0).put("users", Math.min(i * 10, 100))
                    .put("requests", paused ? 0 : 30).put("failures", down ? 10 : 0)
                    .put("requestsPerSecond", paused ? 0.0 : 30.0).put("failuresPerSecond", down ? 10.0 : 0.0)
                    .put("p50Millis", i == 17 ? 5000.0 : 2.0).put("p95Millis", i == 17 ? 6000.0 : 4.0)
                    .put("p99Millis", i == 17 ? 6100.0 : 8.0).put("maxMillis", i == 17 ? 6100.0 : 9.0);
        }
        ArrayNode events = s.putArray("events");
        event(events, -2.0, "TARGET_STARTED", HOSTILE, "", "", "pid 1");
        event(events, -1.0, "TARGET_HEALTHY", HOSTILE, "", "", "GET /health");
        event(events, 10.0, "FAULT_INJECTED", HOSTILE, "pause", "pause#1", "pid 1, SIGSTOP, for 6s");
        event(events, 11.0, "TARGET_UNHEALTHY", HOSTILE, "", "", "no 2xx");
        event(events, 16.0, "FAULT_ROLLED_BACK", HOSTILE, "pause", "pause#1", "after 6s");
        event(events, 16.2, "TARGET_HEALTHY", HOSTILE, "", "", "GET /health");
        event(events, 25.0, "FAULT_INJECTED", HOSTILE, "kill", "kill#2", "pid 1, SIGKILL");
        event(events, 25.1, "TARGET_EXITED", HOSTILE, "", "", "pid 1 killed by SIGKILL");
        event(events, 26.0, "TARGET_STARTED", HOSTILE, "", "", "pid 2");
        event(events, 28.0, "TARGET_HEALTHY", HOSTILE, "", "", "GET /health");
        s.set("verdict", verdict());
        return s;
    }

    static ObjectNode verdict() {
        ObjectNode v = JSON.createObjectNode().put("passed", false);
        ArrayNode slos = v.putArray("slos");
        ObjectNode availability = slos.addObject().put("name", "availability").put("kind", "availability")
                .put("objectivePercent", 99.0).putNull("latencyBelowMillis").put("filter", "")
                .put("total", 1200).put("good", 1170).put("sliPercent", 97.5).put("errorBudget", 12.0)
                .put("budgetSpent", 30).put("budgetLeftPercent", -150.0).put("status", "fail");
        availability.putObject("burnRates").put("10s", 3.2).put("1m", 2.5);
        availability.putArray("alerts").add("burn rate above 1 over 12 s and 1 s (1/10 and 1/120 of the run), first at second " + HOSTILE);
        availability.putArray("notes").add("burn rate over 5m: not applicable (run shorter than the 5m window) " + HOSTILE);
        ArrayNode series = availability.putArray("budgetSeries");
        for (int i = 0; i <= 40; i += 5) {
            series.addObject().put("epochMillis", START + i * 1000L).put("budgetLeftPercent", i < 25 ? 100.0 : 100.0 - (i - 20) * 25);
        }
        slos.addObject().put("name", "fast " + HOSTILE).put("kind", "latency").put("objectivePercent", 95.0)
                .put("latencyBelowMillis", 300.0).put("filter", "name=/").put("total", 1200).put("good", 1194)
                .put("sliPercent", 99.5).put("errorBudget", 60.0).put("budgetSpent", 6).put("budgetLeftPercent", 90.0)
                .put("status", "pass");
        ArrayNode thresholds = v.putArray("thresholds");
        thresholds.addObject().put("metric", "http_req_duration").put("expression", "p(95)<500").put("value", 4.0).put("status", "pass");
        thresholds.addObject().put("metric", "http_req_failed").put("expression", "rate<0.01").put("value", 0.025).put("status", "fail").put("detail", "rate=2.50%");
        thresholds.addObject().put("metric", "checks").put("expression", "rate>0.99").putNull("value").put("status", "no data");
        ArrayNode faults = v.putArray("faults");
        faults.addObject().put("injection", "pause#1").put("fault", "pause").put("target", HOSTILE)
                .put("injectedAtEpochMillis", START + 10_000).put("endedAtEpochMillis", START + 16_000)
                .put("failedRequests", 0).put("baselineFailurePercent", 0.5).put("budgetSpent", 0.0).put("budgetSpentPercent", 0.0)
                .put("baselineP95Millis", 4.0).put("peakP95Millis", 6000.0).put("baselineP99Millis", 8.0).put("peakP99Millis", 6100.0)
                .put("timeToDetectSeconds", 1.01).put("timeToRecoverSeconds", 6.23).put("recovered", true).put("resolutionMillis", 10);
        faults.addObject().put("injection", "kill#2").put("fault", "kill").put("target", HOSTILE)
                .put("injectedAtEpochMillis", START + 25_000).put("endedAtEpochMillis", START + 28_000)
                .put("failedRequests", 30).put("budgetSpent", 30.0).put("budgetSpentPercent", 250.0)
                .put("baselineP95Millis", 4.0).put("peakP95Millis", 4.0).put("baselineP99Millis", 8.0).put("peakP99Millis", 8.0)
                .put("peakFailedP95Millis", 1.5)
                .putNull("timeToDetectSeconds").putNull("timeToRecoverSeconds").put("recovered", false);
        ArrayNode costs = ((ObjectNode) faults.get(1)).putArray("costs");
        costs.addObject().put("slo", "availability").put("excessBadRequests", 30.0).put("budgetPercent", 250.0);
        costs.addObject().put("slo", "fast").put("excessBadRequests", 12.0).put("budgetPercent", 20.0);
        v.putObject("steadyState").put("result", "deviated").put("detail", "SLOs held before the first fault, not after the last recovery");
        return v;
    }

    private static JsonNode figures(long requests, long failures) {
        return JSON.createObjectNode().put("requests", requests).put("failures", failures)
                .put("failureRatio", (double) failures / requests).put("requestsPerSecond", requests / 40.0)
                .put("averageMillis", 2.5).put("minMillis", 0.3).put("maxMillis", 6100.0).put("medianMillis", 2.0)
                .put("p90Millis", 3.5).put("p95Millis", 4.0).put("p99Millis", 8.0).put("p999Millis", 6000.0)
                .put("averageContentBytes", 21.5);
    }

    private static void event(ArrayNode events, double at, String kind, String target, String fault, String injection, String detail) {
        events.addObject().put("epochMillis", START + Math.round(at * 1000)).put("kind", kind).put("target", target)
                .put("fault", fault).put("injection", injection).put("detail", detail);
    }

    /** A real 75 s run of the lab with its verdict: a kill at 20 s, a 6 s pause at 45 s, two SLOs, two thresholds. */
    static ObjectNode realRun() {
        try (InputStream in = Summaries.class.getResourceAsStream(REAL_RUN)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
