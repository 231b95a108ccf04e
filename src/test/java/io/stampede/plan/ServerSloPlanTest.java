package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.slo.PrometheusSli;
import io.stampede.slo.SliSource;
import io.stampede.slo.SloSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-side SLOs in a plan: the prometheus block, and an OpenSLO v1 SLO document. */
class ServerSloPlanTest {

    private static final String HEAD = """
            host: http://127.0.0.1:1
            tasks: [ { get: / } ]
            slos:
            """;

    @TempDir
    Path dir;

    private List<SloSpec> slos(String slos) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + slos);
        return PlanFile.read(file).toPlan().judgement().slos();
    }

    private String error(String slos) throws IOException {
        try {
            slos(slos);
        } catch (StampedeException.BadInput e) {
            return e.getMessage().replace(dir + "/", "");
        }
        throw new AssertionError("expected an error for " + slos);
    }

    @Test
    void aPrometheusBlockMakesAServerSideSlo() throws IOException {
        List<SloSpec> slos = slos("""
                  - { name: users, objective: 99% }
                  - { name: server, objective: 99.5%, prometheus: { url: http://127.0.0.1:9090, good: 'sum(a{code!~"5.."})', total: 'sum(a)', step: 2s } }
                """);
        assertThat(slos.get(0).source()).isEqualTo(SliSource.USERS);
        assertThat(slos.get(1).source()).isEqualTo(SliSource.PROMETHEUS);
        assertThat(slos.get(1).prometheus()).contains(new PrometheusSli(URI.create("http://127.0.0.1:9090"), "sum(a{code!~\"5..\"})",
                "sum(a)", Duration.ofSeconds(2)));
        assertThat(slos("  - { objective: 99%, prometheus: { url: http://127.0.0.1:9090, good: g, total: t } }\n")
                .get(0).prometheus().orElseThrow().step()).isEqualTo(PrometheusSli.DEFAULT_STEP);
    }

    @Test
    void aPrometheusBlockMissingAQueryOrWithAUsersKeyIsNamed() throws IOException {
        assertThat(error("  - { objective: 99%, prometheus: { url: http://127.0.0.1:9090, good: g } }\n"))
                .startsWith("plan.yaml:4:35: slos[0].prometheus: 'total' is required");
        assertThat(error("  - { objective: 99%, filter: { name: / }, prometheus: { url: http://127.0.0.1:9090, good: g, total: t } }\n"))
                .startsWith("plan.yaml:4:31: slos[0].filter: 'filter' is for an SLO over the users' requests");
        assertThat(error("  - { objective: 99%, prometheus: { url: 'ftp://x', good: g, total: t } }\n"))
                .contains("slos[0].prometheus.url: Prometheus's URL is http://host:port, got 'ftp://x'");
        assertThat(error("  - { objective: 99%, prometheus: { url: http://x, good: g, total: t, every: 1s } }\n"))
                .contains("unknown key 'every'; valid keys: url, good, total, step");
    }

    @Test
    void anOpenSloDocumentIsReadWithTheUrlFromThePlan() throws IOException {
        Files.copy(Path.of("examples/openslo/server-availability.yaml"), dir.resolve("server.yaml"));
        SloSpec slo = slos("  - { openslo: server.yaml, prometheus: { url: http://127.0.0.1:9090 } }\n").get(0);
        assertThat(slo.name()).isEqualTo("server-availability");
        assertThat(slo.objectivePercent()).isEqualTo(99.0);
        assertThat(slo.prometheus().orElseThrow()).isEqualTo(new PrometheusSli(URI.create("http://127.0.0.1:9090"),
                "sum(http_requests_total{code!~\"5..\",route!=\"/metrics\"})", "sum(http_requests_total{route!=\"/metrics\"})",
                PrometheusSli.DEFAULT_STEP));
    }

    @Test
    void anOpenSloDocumentStampedeCannotReadIsNamedAtItsLine() throws IOException {
        Files.writeString(dir.resolve("sli.yaml"), """
                apiVersion: openslo/v1
                kind: SLI
                metadata: { name: x }
                """);
        assertThat(error("  - { openslo: sli.yaml, prometheus: { url: http://127.0.0.1:9090 } }\n"))
                .isEqualTo("sli.yaml: no OpenSLO 'SLO' document (kind: SLO, apiVersion: openslo/v1)");
        Files.writeString(dir.resolve("datadog.yaml"), Files.readString(Path.of("examples/openslo/server-availability.yaml"))
                .replace("type: Prometheus", "type: Datadog"));
        assertThat(error("  - { openslo: datadog.yaml, prometheus: { url: http://127.0.0.1:9090 } }\n"))
                .contains("datadog.yaml:").contains("metricSource.type: Stampede reads Prometheus sources, got 'Datadog'");
        Files.copy(Path.of("examples/openslo/server-availability.yaml"), dir.resolve("server.yaml"));
        assertThat(error("  - { openslo: server.yaml }\n")).contains("'prometheus: { url: ... }' is required");
        assertThat(error("  - { openslo: missing.yaml, prometheus: { url: http://127.0.0.1:9090 } }\n"))
                .endsWith("missing.yaml: OpenSLO file not found");
    }

    private static final String REFS = "examples/openslo/server-availability-refs.yaml";

    @Test
    void anSloCanNameItsSliAndItsDataSourceInDocumentsOfTheSameFile() throws IOException {
        Files.copy(Path.of(REFS), dir.resolve("refs.yaml"));
        SloSpec slo = slos("  - { openslo: refs.yaml }\n").get(0);
        assertThat(slo.name()).isEqualTo("server-availability");
        assertThat(slo.objectivePercent()).isEqualTo(99.0);
        assertThat(slo.prometheus().orElseThrow()).as("the url from the DataSource").isEqualTo(new PrometheusSli(
                URI.create("http://127.0.0.1:9090"), "sum(http_requests_total{code!~\"5..\",route!~\"/metrics|/health\"})",
                "sum(http_requests_total{route!~\"/metrics|/health\"})", PrometheusSli.DEFAULT_STEP));
        assertThat(slos("  - { openslo: refs.yaml, prometheus: { url: http://127.0.0.1:9191, step: 2s } }\n").get(0).prometheus()
                .orElseThrow()).as("the plan's url wins").extracting(PrometheusSli::url, PrometheusSli::step)
                .containsExactly(URI.create("http://127.0.0.1:9191"), Duration.ofSeconds(2));
    }

    @Test
    void aMissingOrMistypedReferenceIsNamedAtItsLineWithWhatTheFileHas() throws IOException {
        String refs = Files.readString(Path.of(REFS));
        Files.writeString(dir.resolve("sli.yaml"), refs.replace("indicatorRef: demo-good-requests", "indicatorRef: demo-good"));
        assertThat(error("  - { openslo: sli.yaml }\n")).isEqualTo("sli.yaml:13:17: spec.indicatorRef: no SLI document named"
                + " 'demo-good' in this file (SLIs here: demo-good-requests); put it after '---'");
        Files.writeString(dir.resolve("source.yaml"), refs.replaceFirst("metricSourceRef: local-prometheus", "metricSourceRef: prometheus"));
        assertThat(error("  - { openslo: source.yaml }\n")).isEqualTo("source.yaml:30:26: spec.ratioMetric.good.metricSource.metricSourceRef:"
                + " no DataSource document named 'prometheus' in this file (DataSources here: local-prometheus); put it after '---'");
        Files.writeString(dir.resolve("type.yaml"), refs.replaceFirst("metricSourceRef: local-prometheus", "metricSourceRef: local-prometheus\n        type: Datadog"));
        assertThat(error("  - { openslo: type.yaml }\n")).startsWith("type.yaml:31:15: spec.ratioMetric.good.metricSource.type: 'Datadog'"
                + " but its DataSource 'local-prometheus' is of type 'Prometheus' (type.yaml:");
        Files.writeString(dir.resolve("nourl.yaml"), refs.replace("  connectionDetails:\n    url: http://127.0.0.1:9090\n", ""));
        assertThat(error("  - { openslo: nourl.yaml }\n")).isEqualTo("plan.yaml:4:5: slos[0]: 'prometheus: { url: ... }' is required:"
                + " the SLO names no DataSource with spec.connectionDetails.url, and OpenSLO does not say where Prometheus is otherwise");
        Files.writeString(dir.resolve("two.yaml"), refs + "---\n" + refs.substring(refs.indexOf("apiVersion"), refs.indexOf("---")));
        assertThat(error("  - { openslo: two.yaml }\n")).startsWith("two.yaml:").contains(": metadata.name: a second SLO named"
                + " 'server-availability' (the first is at two.yaml:");
    }
}
