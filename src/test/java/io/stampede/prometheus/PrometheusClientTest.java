package io.stampede.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client where no Prometheus is needed: a closed port. */
class PrometheusClientTest {

    @Test
    void aClosedPortIsUnreachableInOneLine() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:" + closed + "/"), Duration.ofSeconds(20));
        assertThat(client.server()).isEqualTo("http://127.0.0.1:" + closed);
        assertThatThrownBy(() -> client.query("up"))
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.UNREACHABLE))
                .hasMessage("cannot reach Prometheus at http://127.0.0.1:" + closed + ": Connection refused");
    }
}
