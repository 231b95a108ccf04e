package io.stampede.target;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import java.net.URI;
import java.time.Duration;

/**
 * Probes a target's health URL on a short fixed interval and puts every change (healthy, unhealthy)
 * on the run's timeline. Processes and containers share it, so their recovery is timed alike.
 */
public final class HealthMonitor implements AutoCloseable {

    /** How often health is probed: bounds how precisely "down" and "healthy again" are timed. */
    public static final Duration HEALTH_PROBE_INTERVAL = Duration.ofMillis(250);

    private final String target;
    private final HealthProbe probe;
    private final EventLog events;
    private volatile boolean healthy;
    private volatile boolean closed;
    private Thread thread;

    public HealthMonitor(String target, URI url, EventLog events) {
        this.target = target;
        this.probe = new HealthProbe(url);
        this.events = events;
    }

    public HealthMonitor start() {
        thread = Thread.ofPlatform().daemon().name("health-" + target).start(this::run);
        return this;
    }

    public boolean healthy() {
        return healthy;
    }

    public URI url() {
        return probe.url();
    }

    private void run() {
        while (!closed) {
            boolean now = probe.healthy();
            if (now != healthy && !closed) {
                healthy = now;
                events.emit(Event.target(now ? Event.Kind.TARGET_HEALTHY : Event.Kind.TARGET_UNHEALTHY, target,
                        (now ? "GET " : "no 2xx from GET ") + probe.url()));
            }
            try {
                Thread.sleep(HEALTH_PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
