package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.events.EventLog;
import io.stampede.testing.GrafanaDashboard;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/ is well-formed JSON, shows what a run needs, and asks only for
 * series /metrics exports (the demo service's {@code http_} ones are checked against a real
 * Prometheus in PrometheusEndToEndTest). No Grafana here: its JSON model is what is checked.
 */
class GrafanaDashboardTest {

    @Test
    void isWellFormedWithTheRunsPanelsAndFaultAnnotations() throws Exception {
        JsonNode dashboard = GrafanaDashboard.read();
        assertThat(dashboard.path("uid").asText()).isEqualTo("stampede-run");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        List<String> titles = dashboard.path("panels").findValuesAsText("title");
        assertThat(titles).contains("Requests per second", "Error ratio", "Response time p50 / p95 / p99");
        Set<Integer> ids = new TreeSet<>();
        dashboard.path("panels").forEach(p -> assertThat(ids.add(p.path("id").asInt())).as("unique panel id").isTrue());

        List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(dashboard);
        assertThat(queries).extracting(GrafanaDashboard.Query::expr).allSatisfy(e -> assertThat(e).isNotBlank())
                .anySatisfy(e -> assertThat(e).startsWith("histogram_quantile(0.95, sum by (le) (rate(stampede_request_duration_seconds_bucket"));
        assertThat(queries).filteredOn(q -> q.where().startsWith("annotation"))
                .extracting(GrafanaDashboard.Query::expr).contains("stampede_fault_active{job=~\"$job\"} > 0");
        assertThat(dashboard.at("/annotations/list/0/titleFormat").asText()).isEqualTo("{{fault}} on {{target}}");
    }

    @Test
    void asksOnlyForSeriesThatMetricsExports() throws Exception {
        LiveRuns run = new LiveRuns("lab-13", System.currentTimeMillis() - 5000);
        String exposition;
        try (WebUi ui = WebUi.start("127.0.0.1", 0, new EventLog())) {
            ui.onStart(run.info);
            run.record("GET", "/", 10, 2000, 5, "HTTP 503 Service Unavailable");
            run.tick(ui, 3);
            exposition = new String(PrometheusMetrics.render(run.stats, Map.of(new LiveRun.FaultOn("kill", "app"), 1),
                    Map.of("app", LiveJson.TargetState.UP)), StandardCharsets.UTF_8);
        }
        for (GrafanaDashboard.Query query : GrafanaDashboard.queries(GrafanaDashboard.read())) {
            assertThat(query.metrics()).as(query.where()).isNotEmpty();
            for (String metric : query.metrics()) {
                if (!metric.startsWith("http_")) {
                    assertThat(exposition).as(query.where() + " asks for " + metric).contains("# TYPE " + typeName(metric) + " ");
                }
            }
        }
    }

    /** The family a sample name belongs to: stampede_requests_total is a counter named stampede_requests_total in 0.0.4. */
    private static String typeName(String sample) {
        return sample.endsWith("_bucket") ? sample.substring(0, sample.length() - "_bucket".length()) : sample;
    }
}
