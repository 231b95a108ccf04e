package io.stampede.chaos.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One fault active in an {@link HttpFaultProxy}, as returned by {@link HttpFaultProxy#add}: the
 * handle to undo it and to read how many requests it affected.
 *
 * <pre>{@code
 * HttpFault outage = proxy.add(HttpFaultSpec.error(503).withRate(0.5));
 * ...                                  // users run into the fault
 * outage.remove();                     // the next request passes through again
 * long hit = outage.affected();        // for the run's report
 * }</pre>
 *
 * <p>Thread-safe. {@link #remove()} may race with requests: a request already decided (for
 * example one waiting out a delay) finishes as decided; every request that arrives after
 * {@code remove()} returns passes untouched.
 */
public final class HttpFault implements AutoCloseable {

    private final HttpFaultSpec spec;
    private final Consumer<HttpFault> onRemove;
    private final long delayNanos;
    private final ByteBuffer body;
    private final AtomicBoolean active = new AtomicBoolean(true);
    // One counter serves both the report and the firstN budget, so the two can never disagree.
    private final AtomicLong affected = new AtomicLong();

    HttpFault(HttpFaultSpec spec, Consumer<HttpFault> onRemove) {
        this.spec = spec;
        this.onRemove = onRemove;
        this.delayNanos = spec.delay().toNanos();
        this.body = ByteBuffer.wrap(spec.body().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** What this fault does. */
    public HttpFaultSpec spec() {
        return spec;
    }

    /**
     * Requests this fault acted on so far (answered with its error and/or delayed), counted when
     * the request is decided. Stays readable after {@link #remove()}.
     */
    public long affected() {
        return affected.get();
    }

    /** Whether the fault still acts on new requests: not removed and its proxy not closed. */
    public boolean isActive() {
        return active.get();
    }

    /** Stops the fault for every request from now on. Idempotent; safe from any thread. */
    public void remove() {
        if (active.compareAndSet(true, false)) {
            onRemove.accept(this);
        }
    }

    /** Same as {@link #remove()}, for try-with-resources around a fault's lifetime. */
    @Override
    public void close() {
        remove();
    }

    @Override
    public String toString() {
        return "HttpFault[" + spec + ", affected=" + affected() + (isActive() ? "" : ", removed") + "]";
    }

    long delayNanos() {
        return delayNanos;
    }

    /** The error answer's body; a fresh view each time, since a write moves the position. */
    ByteBuffer body() {
        return body.slice();
    }

    /**
     * Draws this request into the fault or not: the rate draw, then a slot of the firstN budget.
     * Counts the request when it is drawn; the caller has already checked the path.
     */
    boolean tryAffect() {
        if (!active.get()) {
            return false;
        }
        double rate = spec.rate();
        if (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate) {
            return false;
        }
        long budget = spec.firstN();
        if (budget == 0) {
            affected.incrementAndGet();
            return true;
        }
        while (true) {
            long used = affected.get();
            if (used >= budget) {
                return false;
            }
            if (affected.compareAndSet(used, used + 1)) {
                return true;
            }
        }
    }
}
