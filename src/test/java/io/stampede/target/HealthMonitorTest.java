package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stampede.events.EventLog;
import java.net.InetSocketAddress;
import java.net.URI;
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
        try (HealthMonitor monitor = new HealthMonitor("app", url, new EventLog()).start()) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!monitor.healthy() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(monitor.healthy()).isTrue();
            int before = probes.get();
            Thread.sleep(1_000);
            // at most one probe per HEALTH_PROBE_INTERVAL (a loaded machine only makes it fewer)
            long slowMax = 1_000 / HealthMonitor.HEALTH_PROBE_INTERVAL.toMillis() + 2;
            assertThat(probes.get() - before).isLessThanOrEqualTo((int) slowMax);

            monitor.sampleFast(true);
            int atFault = probes.get();
            int wanted = (int) (5 * slowMax);
            // as many probes as the slow interval would need 7.5 s for, in less time than that
            long slowTime = System.nanoTime() + wanted * HealthMonitor.HEALTH_PROBE_INTERVAL.toNanos();
            while (probes.get() - atFault < wanted && System.nanoTime() < slowTime) {
                Thread.sleep(10);
            }
            assertThat(probes.get() - atFault).as("probes while a fault is in effect").isGreaterThanOrEqualTo(wanted);
        } finally {
            server.stop(0);
        }
    }
}
