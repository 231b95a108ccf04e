package io.stampede.target.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.target.Signal;
import io.stampede.target.TargetSpec;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A container created from the plan's image, with restart policy {@code always}: crash, kill and
 * start, pause and unpause, each timed to the next healthy probe on the published port. Prints
 * the numbers the README reports.
 */
class ContainerRecoveryTest {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    /** How long a container stopped by hand must stay down: well past the engine's first restart back-off (100 ms). */
    private static final Duration NO_RESTART_FOR = Duration.ofMillis(1500);
    private static DockerLab lab;

    @BeforeAll
    static void buildImage() throws Exception {
        lab = DockerLab.open();
    }

    @AfterAll
    static void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    /** Millis from {@code since} to the first healthy probe after it. */
    private static long healthyAfter(EventLog events, long since) {
        Event healthy = Waiting.await("healthy again after " + since).atMost(HEALTHY_WITHIN)
                .until(() -> events.events().stream().filter(e -> e.kind() == Event.Kind.TARGET_HEALTHY && e.epochMillis() > since)
                        .findFirst(), Optional::isPresent).orElseThrow();
        return healthy.epochMillis() - since;
    }

    /** Millis from {@code since} until {@code health} answers 2xx once the container started again after it. */
    private static long servingAfter(EventLog events, long since, URI health) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        try {
            Waiting.await("serving again after " + since).atMost(HEALTHY_WITHIN).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> has(events, Event.Kind.TARGET_STARTED, since, "")
                            && http.send(HttpRequest.newBuilder(health).timeout(Duration.ofMillis(500)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2);
            return System.currentTimeMillis() - since;
        } finally {
            http.shutdownNow();
        }
    }

    /** Waits until the health monitor's last word is "healthy". */
    private static void awaitMonitorHealthy(EventLog events) {
        Waiting.await("the monitor to see the service healthy").atMost(HEALTHY_WITHIN).until(() -> {
            Event.Kind last = null;
            for (Event e : events.events()) {
                if (e.kind() == Event.Kind.TARGET_HEALTHY || e.kind() == Event.Kind.TARGET_UNHEALTHY) {
                    last = e.kind();
                }
            }
            return last == Event.Kind.TARGET_HEALTHY;
        });
    }

    private static boolean has(EventLog events, Event.Kind kind, long since, String detail) {
        return events.events().stream().anyMatch(e -> e.kind() == kind && e.epochMillis() >= since && e.detail().contains(detail));
    }

    @Test
    void crashRestartsByPolicyDockerKillDoesNotAndPauseStalls() throws Exception {
        EventLog events = new EventLog();
        int port = freePort();
        TargetSpec.Container spec = new TargetSpec.Container("app", List.of(), null, lab.image(), List.of(), 80, "always",
                URI.create("http://127.0.0.1:" + port), "/health", "plan.yaml:3:5: targets.app.image");
        String id;
        try (ContainerTarget target = ContainerTarget.start(spec, events, HEALTHY_WITHIN)) {
            ContainerTarget.Container app = target.members().get(0);
            id = app.id();
            assertThat(lab.labelled("app")).contains(id);
            assertThat(events.events()).extracting(Event::kind).contains(Event.Kind.TARGET_STARTED, Event.Kind.TARGET_HEALTHY);

            long crashAt = System.currentTimeMillis();
            long pid = target.crash(app, Signal.SIGKILL);
            long crashToHealthy = healthyAfter(events, crashAt);
            assertThat(pid).isPositive();
            // Docker's own events (below, too) are awaited: the probe may see the service back first
            Waiting.await("Docker's die event").atMost(HEALTHY_WITHIN)
                    .until(() -> has(events, Event.Kind.TARGET_EXITED, crashAt, "killed by SIGKILL"));
            Waiting.await("the restart policy acted").atMost(HEALTHY_WITHIN)
                    .until(() -> has(events, Event.Kind.TARGET_STARTED, crashAt, app.name()));
            assertThat(target.hostPid(app)).isNotEqualTo(pid);

            long killAt = System.currentTimeMillis();
            target.kill(app, Signal.SIGKILL);
            String exited = id;
            // throughout a span longer than the engine's first restart back-off (100 ms)
            Waiting.await("docker kill is a stop by hand: no restart").during(NO_RESTART_FOR)
                    .until(() -> lab.state(exited).equals("exited") && !has(events, Event.Kind.TARGET_STARTED, killAt, app.name()));
            long startAt = System.currentTimeMillis();
            target.startAgain(app);
            long startToHealthy = healthyAfter(events, startAt);

            long killAndStartAt = System.currentTimeMillis();
            target.kill(app, Signal.SIGKILL);
            target.startAgain(app);
            // A start that is quick can fall between two probes (250 ms apart): the monitor then sees no
            // gap and emits nothing. Measure this one by asking the service directly.
            long killAndStartToHealthy = servingAfter(events, killAndStartAt, spec.url().resolve(spec.healthPath()));
            awaitMonitorHealthy(events); // the pause below must find the probe passing, to see it fail

            long pauseAt = System.currentTimeMillis();
            target.pause(app);
            assertThat(target.paused(app)).isTrue();
            Waiting.await("a frozen service fails its probe").atMost(HEALTHY_WITHIN)
                    .until(() -> has(events, Event.Kind.TARGET_UNHEALTHY, pauseAt, ""));
            long unpauseAt = System.currentTimeMillis();
            target.unpause(app);
            long unpauseToHealthy = healthyAfter(events, unpauseAt);
            Waiting.await("Docker's pause event").atMost(HEALTHY_WITHIN)
                    .until(() -> has(events, Event.Kind.TARGET_PAUSED, pauseAt, app.name()));
            Waiting.await("Docker's unpause event").atMost(HEALTHY_WITHIN)
                    .until(() -> has(events, Event.Kind.TARGET_RESUMED, unpauseAt, app.name()));

            System.out.printf("container recovery: crash -> healthy %d ms; kill + start -> healthy %d ms (start -> healthy %d ms);"
                    + " unpause -> healthy %d ms (paused %d ms, until the probe failed; pause -> healthy %d ms)%n",
                    crashToHealthy, killAndStartToHealthy, startToHealthy, unpauseToHealthy, unpauseAt - pauseAt, unpauseAt - pauseAt + unpauseToHealthy);
            // crash -> healthy and kill + start -> healthy are Docker's restart and the service's start in the
            // container, bounded by the waits' HEALTHY_WITHIN: as fast as a loaded machine lets a container start,
            // which no bound of ours decides. The README's figures are the quiet machine's.
            // Probes come every 10 ms while the service is unhealthy; one sent during the pause waits out its 1 s
            // timeout first. The rest is Docker's unpause call and a probe's answer on a loaded machine.
            assertThat(unpauseToHealthy).isLessThan(5_000);
        }
        assertThat(lab.state(id)).as("the created container is removed").isEqualTo("gone");
    }
}
