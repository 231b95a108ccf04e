package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.events.EventLog;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.GrafanaDashboard;
import io.stampede.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/ is well-formed JSON, shows what a run needs, and asks only for
 * series /metrics exports (the demo service's {@code http_} ones are checked against a real
 * Prometheus in PrometheusEndToEndTest). No Grafana here: its JSON model is checked against Grafana's
 * dashboard schema (the types of Grafana's {@code @grafana/schema} package, by TypeScript's compiler,
 * which run-tests installs with npm), and every query is parsed by promtool.
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

    private static final Path SCHEMA_CHECK = Path.of("deploy/grafana/schema-check");
    private static final long TOOL_LIMIT_SECONDS = 120;

    /** What tsc says about the dashboard text against Grafana's schema: empty when it passes. */
    private static String typeCheck(String dashboardJson) throws Exception {
        Path work = Path.of("target/grafana-schema-check");
        Files.createDirectories(work);
        Path modules = work.resolve("node_modules");
        if (!Files.exists(modules, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(modules, SCHEMA_CHECK.resolve("node_modules").toAbsolutePath());
        }
        for (String file : List.of("tsconfig.json", "prometheus-dashboard.ts")) {
            Files.copy(SCHEMA_CHECK.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        // an object literal assigned to a typed constant: TypeScript refuses a key the type does not have
        Files.writeString(work.resolve("check.ts"), "import type { StampedeDashboard } from './prometheus-dashboard.js';\n\n"
                + "export const dashboard: StampedeDashboard = " + dashboardJson.strip() + ";\n");
        return run(work, "node", "node_modules/typescript/bin/tsc", "-p", ".");
    }

    /** The tool's output and exit code, or empty when it exits 0. */
    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TOOL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command[0] + " did not end within " + TOOL_LIMIT_SECONDS + " s";
        }
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }

    @Test
    @EndToEnd // TypeScript's compiler, twice: ~18 s
    void followsGrafanasDashboardSchema() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SCHEMA_CHECK.resolve("node_modules/typescript")) && Promtool.onPath("node"),
                "@grafana/schema and typescript not installed (run-tests installs them with npm)");
        String json = Files.readString(GrafanaDashboard.FILE);
        assertThat(typeCheck(json)).as("tsc against Grafana's dashboard types").isEmpty();
        // the check can fail: a misspelt panel key and a number written as text are refused
        String broken = json.replaceFirst("\"gridPos\"", "\"gridPosition\"")
                .replaceFirst("\"schemaVersion\": (\\d+)", "\"schemaVersion\": \"$1\"");
        assertThat(typeCheck(broken)).contains("'\"gridPosition\"' does not exist in type 'Panel",
                "Type 'string' is not assignable to type 'number'");
    }

    @Test
    @EndToEnd // promtool, a process
    void everyQueryIsPromqlThatPrometheusParses() throws Exception {
        Assumptions.assumeTrue(Promtool.installed(), "promtool (Debian's prometheus package) not installed");
        List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(GrafanaDashboard.read());
        Path work = Files.createDirectories(Path.of("target/grafana-promql-check"));
        // a rule file parses each rule's expr with Prometheus's own parser; no server needed
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
                    .append(queries.get(i).expanded("1m").replace("'", "''")).append("'\n");
        }
        Files.writeString(work.resolve("rules.yml"), rules);
        assertThat(run(work, "promtool", "check", "rules", "rules.yml")).as(rules.toString()).isEmpty();
        Files.writeString(work.resolve("bad.yml"), "groups:\n  - name: bad\n    rules:\n      - record: bad\n        expr: 'sum(rate(x[1m])'\n");
        assertThat(run(work, "promtool", "check", "rules", "bad.yml")).as("promtool refuses a malformed query").contains("parse error");
    }
}
