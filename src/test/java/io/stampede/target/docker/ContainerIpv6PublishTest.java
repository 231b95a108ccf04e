package io.stampede.target.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.target.PortCheck;
import io.stampede.target.TargetSpec;
import io.stampede.testing.FreePorts;
import io.stampede.testing.JdkHttpClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A container created with a url on {@code [::1]} is published there and only there: Docker's proxy
 * binds the IPv6 loopback for a container whose own network is IPv4 only.
 */
class ContainerIpv6PublishTest {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aCreatedContainerIsPublishedOnTheIpv6Loopback() throws Exception {
        try (DockerLab lab = DockerLab.open()) {
            int port = FreePorts.next();
            URI url = URI.create("http://[::1]:" + port);
            TargetSpec.Container spec = new TargetSpec.Container("v6", List.of(), null, lab.image(), List.of(), 80, "no",
                    TargetSpec.Container.publishedUrl(url), "/health", "plan.yaml:3:5: targets.v6.image");
            EventLog events = new EventLog();
            try (ContainerTarget target = ContainerTarget.start(spec, events, HEALTHY_WITHIN)) {
                assertThat(events.events()).extracting(Event::kind).contains(Event.Kind.TARGET_HEALTHY);
                HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
                try {
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(REQUEST_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isEqualTo(200);
                } finally {
                    JdkHttpClients.stop(client);
                }
                assertThat(PortCheck.refuses(URI.create("http://127.0.0.1:" + port))).as("not published on 127.0.0.1").isTrue();
            }
        }
    }
}
