package io.stampede.chaos.proxy.toxics;

import java.util.List;

/**
 * {@code limit_data}: lets {@code bytes} bytes through in this direction, then closes the
 * connection (the receiver reads exactly that many bytes, then end-of-stream). The count is kept
 * per connection for as long as it lives, across updates of the toxic.
 *
 * @param bytes how many bytes get through before the close
 */
public record LimitDataToxic(long bytes) implements Toxic {

    public static final ToxicType TYPE = new ToxicType("limit_data", List.of("bytes"),
            a -> new LimitDataToxic(a.atLeast("bytes", 0, "bytes")));

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        Passed passed = stub.state(Passed::new);
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            long remaining = Math.max(0, bytes - passed.bytes);
            Chunk allowed = chunk.length() > remaining ? chunk.slice(0, (int) remaining) : chunk;
            if (allowed.length() > 0) {
                stub.send(allowed);
                passed.bytes += allowed.length();
            }
            if (passed.bytes >= bytes) {
                stub.close();
                return;
            }
        }
    }

    /** Bytes let through so far on this connection; touched by one toxic thread at a time. */
    static final class Passed {
        long bytes;
    }
}
