package io.stampede.chaos.proxy.toxics;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code reset_peer}: on the first data after the toxic began acting, waits {@code timeout} ms and
 * resets the connection: both sockets close with {@code SO_LINGER 0}, so both peers get a TCP RST
 * ("connection reset by peer"). The data is dropped, as in Toxiproxy (passing it on first would let
 * the peer see a graceful answer before the reset).
 *
 * @param timeoutMillis how long after the data the reset comes, ms; 0 resets at once
 */
public record ResetPeerToxic(long timeoutMillis) implements Toxic {

    public static final ToxicType TYPE = new ToxicType("reset_peer", List.of("timeout"),
            a -> new ResetPeerToxic(a.atLeast("timeout", 0, "ms")));

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        if (stub.take() == null) {
            return;
        }
        // Kept per connection, so a restart of this toxic (another one added after it) keeps the time.
        long dataNanos = stub.state(TimeoutToxic.Started::now).nanos();
        stub.sleepUntil(dataNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        stub.reset();
    }
}
