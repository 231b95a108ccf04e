package io.stampede.chaos.proxy.toxics;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bandwidth}: at most {@code rate} KB (1 KB = 1000 bytes, as in Toxiproxy) per second get
 * through. Each byte costs 1/rate ms after the one before it; a large chunk trickles out in pieces
 * of {@value #PIECE_MILLIS} ms' worth instead of one late burst. Idle time earns no credit, so a
 * pause is not followed by a burst faster than the rate.
 *
 * @param rateKbPerSecond the rate in KB/s, at least 1 (to stop data altogether use {@code timeout})
 */
public record BandwidthToxic(long rateKbPerSecond) implements Toxic {

    /** Large chunks go out in pieces worth this many milliseconds, as Toxiproxy does. */
    public static final long PIECE_MILLIS = 100;

    public static final ToxicType TYPE = new ToxicType("bandwidth", List.of("rate"),
            a -> new BandwidthToxic(a.atLeast("rate", 1, "KB/s")));

    private static final long BYTES_PER_KB = 1000;

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        int pieceBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1, rateKbPerSecond * BYTES_PER_KB * PIECE_MILLIS / 1000));
        long due = System.nanoTime();
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            for (int from = 0; from < chunk.length(); from += pieceBytes) {
                int to = Math.min(chunk.length(), from + pieceBytes);
                due = Math.max(due, System.nanoTime()) + costNanos(to - from);
                stub.sleepUntil(due);
                stub.send(chunk.slice(from, to));
            }
        }
    }

    private long costNanos(int bytes) {
        // bytes / (rate * 1000 B/s) seconds = bytes / rate milliseconds
        return TimeUnit.MILLISECONDS.toNanos(1) * bytes / rateKbPerSecond;
    }
}
