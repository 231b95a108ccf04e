package io.stampede.chaos.proxy.toxics;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code slow_close}: data passes unchanged, but when the sender closes its side the close reaches
 * the receiver {@code delay} milliseconds later, like a peer slow to hang up.
 *
 * @param delayMillis how long the close is held back, ms
 */
public record SlowCloseToxic(long delayMillis) implements Toxic {

    public static final ToxicType TYPE = new ToxicType("slow_close", List.of("delay"),
            a -> new SlowCloseToxic(a.atLeast("delay", 0, "ms")));

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            stub.send(chunk);
        }
        // Returning passes the end on; holding it here is the whole fault.
        stub.sleep(TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }
}
