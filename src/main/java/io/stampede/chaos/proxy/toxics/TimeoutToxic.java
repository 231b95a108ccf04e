package io.stampede.chaos.proxy.toxics;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code timeout}: no data gets through (it waits, and flows again if the toxic is removed); the
 * connection is closed {@code timeout} ms after the toxic began acting on it, or never when 0.
 * The clock starts once per connection and survives updates: shortening the timeout of a live
 * connection closes it at the new time.
 *
 * @param timeoutMillis when to close, ms after the toxic began acting; 0 holds the data forever
 */
public record TimeoutToxic(long timeoutMillis) implements Toxic {

    public static final ToxicType TYPE = new ToxicType("timeout", List.of("timeout"),
            a -> new TimeoutToxic(a.atLeast("timeout", 0, "ms")));

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        long startNanos = stub.state(Started::now).nanos();
        if (timeoutMillis == 0) {
            stub.awaitStop();
        }
        stub.sleepUntil(startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        stub.close();
    }

    /** When the toxic first acted on the connection. */
    record Started(long nanos) {
        static Started now() {
            return new Started(System.nanoTime());
        }
    }
}
