package io.stampede.chaos.proxy.toxics;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: every chunk is passed on {@code latency} ± {@code jitter} milliseconds after it
 * arrived. Delays overlap (a stream is shifted, not slowed), and two latency toxics add up.
 *
 * <pre>{@code
 * proxy.addToxic(new ToxicSpec("slow", "latency", Stream.DOWNSTREAM, 1.0, Map.of("latency", 300L, "jitter", 50L)));
 * }</pre>
 *
 * @param latencyMillis the added delay, ms
 * @param jitterMillis  the delay varies uniformly by up to this much either way, ms (never below 0)
 */
public record LatencyToxic(long latencyMillis, long jitterMillis) implements Toxic {

    /** Toxiproxy's buffer: reading goes on while chunks wait out their delay, up to this many. */
    public static final int BUFFER_CHUNKS = 1024;

    public static final ToxicType TYPE = new ToxicType("latency", List.of("latency", "jitter"),
            a -> new LatencyToxic(a.atLeast("latency", 0, "ms"), a.atLeast("jitter", 0, "ms")));

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            long due = chunk.arrivalNanos() + delayNanos();
            stub.sleepUntil(due);
            stub.send(chunk.withArrival(due));
        }
    }

    @Override
    public int bufferChunks() {
        return BUFFER_CHUNKS;
    }

    private long delayNanos() {
        long millis = latencyMillis;
        if (jitterMillis > 0) {
            millis += ThreadLocalRandom.current().nextLong(-jitterMillis, jitterMillis + 1);
        }
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }
}
