package io.stampede.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.testing.PrometheusServer;
import io.stampede.testing.Waiting;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real Prometheus: typed results, and its error paths. */
class PrometheusClientEndToEndTest {

    /** Generous: a loaded machine may take seconds to answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static PrometheusServer prometheus;
    private static PrometheusClient client;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(PrometheusServer.installed(), "prometheus (Debian's package) not installed");
        // scrapes a port nobody listens on, so it has an "up" series at 0 of its own
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        prometheus = PrometheusServer.start(List.of(new PrometheusServer.Job("nobody", "127.0.0.1:" + closed)));
        client = new PrometheusClient(prometheus.url(), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void anInstantQueryReturnsTypedResults() throws Exception {
        QueryResult.Vector up = Waiting.await("a scrape of the closed port").until(
                () -> (QueryResult.Vector) client.query("up{job=\"nobody\"}"), v -> !v.samples().isEmpty());
        assertThat(up.samples()).singleElement().satisfies(s -> {
            assertThat(s.metric()).containsEntry("__name__", "up").containsEntry("job", "nobody");
            assertThat(s.value()).isZero();
            assertThat(s.at()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        });
        assertThat(client.query("up{job=\"nothing-of-that-name\"}")).isEqualTo(new QueryResult.Vector(List.of()));

        Instant at = Instant.parse("2026-01-02T03:04:05.250Z");
        assertThat(client.query("scalar(vector(0.5))", at)).isEqualTo(new QueryResult.Scalar(at, 0.5));
        assertThat(client.query("1/0")).isInstanceOfSatisfying(QueryResult.Scalar.class,
                s -> assertThat(s.value()).isEqualTo(Double.POSITIVE_INFINITY));
        assertThat(client.query("\"halted\"")).isInstanceOfSatisfying(QueryResult.Text.class,
                t -> assertThat(t.value()).isEqualTo("halted"));
        assertThat(client.query("up{job=\"nobody\"}[10m]")).isInstanceOfSatisfying(QueryResult.Matrix.class,
                m -> assertThat(m.series()).singleElement().satisfies(s -> assertThat(s.points()).isNotEmpty()));
    }

    @Test
    void aSyntaxErrorShowsPrometheussOwnMessage() {
        assertThatThrownBy(() -> client.query("sum(rate(http_requests_total[1m])"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PrometheusException.Reason.REFUSED);
                    assertThat(e.errorType()).isEqualTo("bad_data");
                })
                .hasMessageStartingWith("Prometheus at " + prometheus.url() + " refused 'sum(rate(http_requests_total[1m])': bad_data: ")
                .hasMessageContaining("parse error")
                .hasMessageNotContaining("\n");
    }

    @Test
    void somethingElseOnThePortIsNotPrometheus() {
        // Prometheus's own web UI path answers HTML, not the API's JSON
        PrometheusClient wrongPrefix = new PrometheusClient(URI.create(prometheus.url() + "/graph"), TIMEOUT);
        assertThatThrownBy(() -> wrongPrefix.query("up"))
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.NOT_PROMETHEUS))
                .hasMessageStartingWith(prometheus.url() + "/graph is not Prometheus's API: HTTP ");
    }
}
