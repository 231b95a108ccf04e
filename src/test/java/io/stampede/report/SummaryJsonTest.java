package io.stampede.report;

import static io.stampede.report.Fixtures.HEALTH;
import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.stats.FailureKey;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryJsonTest {

    @Test
    void holdsTheRunItsTotalsEveryKeyTheFailuresAndOnePointPerSecond() throws IOException {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 10, Map.of(ROOT, ok(2, 4), HEALTH, ok(1)), Map.of()));
        stats.add(second(1, 20, Map.of(ROOT, failed(ok(6), 30)),
                Map.of(new FailureKey("GET", "/", "HTTP 503"), 1L)));

        JsonNode json = new ObjectMapper().readTree(
                SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)), stats, SummaryJson.Status.RUNNING));

        assertThat(json.get("name").asText()).isEqualTo("lab-13");
        assertThat(json.get("host").asText()).isEqualTo("http://127.0.0.1:5001");
        assertThat(json.get("status").asText()).isEqualTo("running");
        assertThat(json.get("startTime").asText()).isEqualTo("2026-11-27T09:31:40Z");
        assertThat(json.get("endTime").asText()).isEqualTo("2026-11-27T09:31:42Z");
        assertThat(json.get("durationSeconds").asDouble()).isEqualTo(2.0);
        assertThat(json.get("users").asInt()).isEqualTo(20);
        assertThat(json.get("peakUsers").asInt()).isEqualTo(20);

        stats.add(second(2, 0, Map.of(), Map.of())); // the users stopped: the run's size is still known
        JsonNode finished = new ObjectMapper().readTree(
                SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)), stats, SummaryJson.Status.FINISHED));
        assertThat(finished.get("users").asInt()).isZero();
        assertThat(finished.get("peakUsers").asInt()).isEqualTo(20);

        JsonNode totals = json.get("totals");
        assertThat(totals.get("requests").asLong()).isEqualTo(5);
        assertThat(totals.get("failures").asLong()).isEqualTo(1);
        assertThat(totals.get("failureRatio").asDouble()).isEqualTo(0.2);
        assertThat(totals.get("requestsPerSecond").asDouble()).isEqualTo(2.5);
        assertThat(totals.get("averageMillis").asDouble()).isEqualTo(8.6);
        assertThat(totals.get("minMillis").asDouble()).isEqualTo(1.0);
        assertThat(totals.get("maxMillis").asDouble()).isEqualTo(30.0);
        assertThat(totals.get("averageContentBytes").asDouble()).isEqualTo(8.0);
        assertThat(totals.fieldNames()).toIterable().containsExactly("requests", "failures", "failureRatio",
                "requestsPerSecond", "averageMillis", "minMillis", "maxMillis", "medianMillis", "p90Millis",
                "p95Millis", "p99Millis", "p999Millis", "averageContentBytes");

        JsonNode root = json.get("requests").get(0);
        assertThat(root.get("method").asText()).isEqualTo("GET");
        assertThat(root.get("name").asText()).isEqualTo("/");
        assertThat(root.get("requests").asLong()).isEqualTo(4);
        assertThat(root.get("p999Millis").asDouble()).isEqualTo(30.0);
        assertThat(json.get("requests").get(1).get("name").asText()).isEqualTo("/health");

        assertThat(json.get("failures").get(0).get("error").asText()).isEqualTo("HTTP 503");
        assertThat(json.get("failures").get(0).get("occurrences").asLong()).isEqualTo(1);

        assertThat(json.get("points")).hasSize(2);
        assertThat(json.get("points").get(1).get("requests").asLong()).isEqualTo(2);
        assertThat(json.get("points").get(1).get("users").asInt()).isEqualTo(20);
    }

    /** The names and order readers of summary.json rely on (README, Results; SummaryJson's Javadoc). */
    @Test
    void fieldNamesAreExactlyTheDocumentedOnes() throws IOException {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 10, Map.of(ROOT, failed(ok(6), 30)), Map.of(new FailureKey("GET", "/", "HTTP 503"), 1L)));
        JsonNode json = new ObjectMapper().readTree(
                SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)), stats, SummaryJson.Status.RUNNING));
        assertThat(json.fieldNames()).toIterable().containsExactly("name", "host", "status", "plannedSeconds", "pid",
                "startTime", "endTime", "durationSeconds", "users", "peakUsers", "droppedIterations", "totals", "requests",
                "failures", "points", "events");
        assertThat(json.at("/requests/0").fieldNames()).toIterable().containsExactly("method", "name", "requests",
                "failures", "failureRatio", "requestsPerSecond", "averageMillis", "minMillis", "maxMillis", "medianMillis",
                "p90Millis", "p95Millis", "p99Millis", "p999Millis", "averageContentBytes");
        assertThat(json.at("/failures/0").fieldNames()).toIterable().containsExactly("method", "name", "error", "occurrences");
        assertThat(json.at("/points/0").fieldNames()).toIterable().containsExactly("endEpochMillis", "seconds", "users",
                "requests", "failures", "requestsPerSecond", "failuresPerSecond", "p50Millis", "p95Millis", "p99Millis",
                "maxMillis", "okP95Millis", "okP99Millis", "failedP95Millis");
    }

    @Test
    void saysFinishedAtTheEnd() throws IOException {
        JsonNode json = new ObjectMapper().readTree(SummaryJson.toBytes(Fixtures.run(Fixtures.plan(null, null)),
                new RunStats(START), SummaryJson.Status.FINISHED));

        assertThat(json.get("status").asText()).isEqualTo("finished");
        assertThat(json.get("totals").get("requests").asLong()).isZero();
        assertThat(json.get("requests")).isEmpty();
    }
}
