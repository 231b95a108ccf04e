package io.stampede.chaos.proxy.toxics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code slicer}: every chunk is cut into pieces of about {@code average_size} ± {@code
 * size_variation} bytes, each followed by {@code delay} microseconds, as a real network delivers a
 * large write in several reads. Halving a chunk recursively (as Toxiproxy does) keeps small pieces
 * from piling up at its end.
 *
 * @param averageSize   the average piece, bytes, at least 1
 * @param sizeVariation pieces vary by up to this many bytes either way, less than averageSize
 * @param delayMicros   the pause after each piece, µs
 */
public record SlicerToxic(long averageSize, long sizeVariation, long delayMicros) implements Toxic {

    public static final ToxicType TYPE = new ToxicType("slicer", List.of("average_size", "size_variation", "delay"),
            a -> create(a.atLeast("average_size", 1, "bytes"), a.atLeast("size_variation", 0, "bytes"),
                    a.atLeast("delay", 0, "µs")));

    private static SlicerToxic create(long averageSize, long sizeVariation, long delayMicros) {
        if (sizeVariation >= averageSize) {
            throw new IllegalArgumentException("slicer attribute size_variation must be less than average_size ("
                    + averageSize + " bytes), got " + sizeVariation);
        }
        return new SlicerToxic(averageSize, sizeVariation, delayMicros);
    }

    @Override
    public void pipe(ToxicStub stub) throws InterruptedException {
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        for (Chunk chunk; (chunk = stub.take()) != null; ) {
            List<Integer> cuts = new ArrayList<>();
            cut(0, chunk.length(), cuts);
            int from = 0;
            for (int to : cuts) {
                stub.send(chunk.slice(from, to));
                from = to;
                stub.sleep(delayNanos);
            }
        }
    }

    /** Adds the end of every piece of [start, end) to {@code cuts}, in order. */
    private void cut(int start, int end, List<Integer> cuts) {
        if (end - start - averageSize <= sizeVariation) {
            cuts.add(end);
            return;
        }
        // Both halves stay non-empty: half > size_variation because the span exceeds average + variation.
        int variation = (int) sizeVariation;
        int offset = variation == 0 ? 0 : ThreadLocalRandom.current().nextInt(-variation, variation + 1);
        int middle = start + (end - start) / 2 + offset;
        cut(start, middle, cuts);
        cut(middle, end, cuts);
    }
}
