package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.testing.ManualTime;
import io.stampede.testing.Waiting;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Health is probed at the slow interval until a fault is in effect, then every few milliseconds. */
class HealthMonitorTest {

    @Test
    void probesFastOnlyWhileAFaultIsInEffect() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
        // The pace itself (slow, fast, fast for a while after) is asserted on a manual clock below; this
        // checks with real threads that the probing loop follows it and that a fault wakes it at once.
        try (HealthMonitor monitor = new HealthMonitor("app", url, new EventLog()).start()) {
            Waiting.await("healthy").until(monitor::healthy);
            monitor.sampleFast(true);
            int atFault = probes.get();
            int wanted = 20;
            // as many probes as the slow interval would need 20 intervals for, in less time than that
            Waiting.await(wanted + " probes while a fault is in effect").atMost(HealthMonitor.HEALTH_PROBE_INTERVAL.multipliedBy(wanted))
                    .until(() -> probes.get() - atFault >= wanted);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void probesFastWhileAFaultIsInEffectAndForAWhileAfterOnTheTimelinesClock() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        ManualTime time = new ManualTime();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
        EventLog events = new EventLog(time);
        try (HealthMonitor monitor = new HealthMonitor("app", url, events)) {
            assertThat(monitor.interval()).as("not yet healthy").isEqualTo(HealthMonitor.FAST_PROBE_INTERVAL);
            // a probe may time out on a loaded machine: probing again until one passes is what the monitor does
            Waiting.await("a healthy probe").until(() -> {
                monitor.probeOnce();
                return monitor.healthy();
            });
            assertThat(monitor.interval()).isEqualTo(HealthMonitor.HEALTH_PROBE_INTERVAL);
            assertThat(events.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(Event.Kind.TARGET_HEALTHY);
                assertThat(e.epochMillis()).as("dated on the timeline's clock").isEqualTo(time.millis());
            });

            monitor.sampleFast(true);
            time.advance(Duration.ofMinutes(5)); // however long the fault lasts
            assertThat(monitor.interval()).as("a fault in effect").isEqualTo(HealthMonitor.FAST_PROBE_INTERVAL);
            monitor.sampleFast(false);
            time.advance(HealthMonitor.FAST_AFTER_FAULT.minusMillis(1));
            assertThat(monitor.interval()).as("just before the fast period ends").isEqualTo(HealthMonitor.FAST_PROBE_INTERVAL);
            time.advance(Duration.ofMillis(1));
            assertThat(monitor.interval()).isEqualTo(HealthMonitor.HEALTH_PROBE_INTERVAL);
        } finally {
            server.stop(0);
        }
    }
}
