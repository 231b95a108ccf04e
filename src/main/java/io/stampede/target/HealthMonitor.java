package io.stampede.target;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Probes a target's health URL and puts every change (healthy, unhealthy) on the run's timeline.
 * Processes and containers share it, so their recovery is timed alike.
 *
 * <p>Probes come every {@link #HEALTH_PROBE_INTERVAL} normally, and every
 * {@link #FAST_PROBE_INTERVAL} while a fault is in effect ({@link #sampleFast}), for
 * {@link #FAST_AFTER_FAULT} after the last one ended, and while the target is unhealthy: the moment
 * it goes down and comes back is then known to a few milliseconds, at little cost the rest of the run.
 */
public final class HealthMonitor implements AutoCloseable {

    /** How often health is probed: bounds how precisely "down" and "healthy again" are timed. */
    public static final Duration HEALTH_PROBE_INTERVAL = Duration.ofMillis(250);
    /** How often health is probed while a fault is in effect or the target is unhealthy. */
    public static final Duration FAST_PROBE_INTERVAL = Duration.ofMillis(10);
    /** How long fast probing goes on after a fault ended: an instant fault's effect outlasts it. */
    public static final Duration FAST_AFTER_FAULT = Duration.ofSeconds(10);

    private final String target;
    private final HealthProbe probe;
    private final EventLog events;
    private volatile boolean healthy;
    private volatile boolean closed;
    private final AtomicInteger faultsInEffect = new AtomicInteger();
    private final InstantSource clock;
    private volatile Instant fastUntil;
    private volatile Thread thread;

    /** A monitor whose probing pace and events follow the timeline's clock: a test moves it by hand to check {@link #interval()}. */
    public HealthMonitor(String target, URI url, EventLog events) {
        this.target = target;
        this.probe = new HealthProbe(url);
        this.events = events;
        this.clock = events.clock();
        this.fastUntil = clock.instant();
    }

    public HealthMonitor start() {
        thread = Thread.ofPlatform().daemon().name("health-" + target).start(this::run);
        return this;
    }

    public boolean healthy() {
        return healthy;
    }

    /**
     * A fault started ({@code true}) or ended ({@code false}) on this target: probe fast while any is
     * in effect and for {@link #FAST_AFTER_FAULT} after. Calls pair up; an instant fault calls both at once.
     */
    public void sampleFast(boolean inEffect) {
        if (inEffect) {
            faultsInEffect.incrementAndGet();
        } else {
            fastUntil = clock.instant().plus(FAST_AFTER_FAULT);
            faultsInEffect.updateAndGet(n -> Math.max(0, n - 1));
        }
        Thread t = thread;
        if (inEffect && t != null) {
            LockSupport.unpark(t); // the next probe is due now, not after the slow interval
        }
    }

    /** How long until the next probe, decided now. */
    Duration interval() {
        boolean fast = faultsInEffect.get() > 0 || !healthy || clock.instant().isBefore(fastUntil);
        return fast ? FAST_PROBE_INTERVAL : HEALTH_PROBE_INTERVAL;
    }

    public URI url() {
        return probe.url();
    }

    private void run() {
        while (!closed) {
            probeOnce();
            // parked rather than asleep: sampleFast wakes it without an interrupt, which would fail a probe
            LockSupport.parkNanos(interval().toNanos());
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /** Probes once and puts a change of health on the timeline. */
    void probeOnce() {
        boolean now = probe.healthy();
        if (now != healthy && !closed) {
            healthy = now;
            events.emitTarget(now ? Event.Kind.TARGET_HEALTHY : Event.Kind.TARGET_UNHEALTHY, target,
                    (now ? "GET " : "no 2xx from GET ") + probe.url());
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
