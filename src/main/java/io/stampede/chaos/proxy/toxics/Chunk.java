package io.stampede.chaos.proxy.toxics;

import java.util.Objects;

/**
 * Bytes read from one side of a connection in one read, on their way to the other side, with the
 * moment they were read. A view of a byte array: slicing shares it, and nobody writes to it.
 *
 * @param bytes        the backing array, never modified once read
 * @param offset       where the chunk starts in {@code bytes}
 * @param length       how many bytes it has
 * @param arrivalNanos {@link System#nanoTime()} when the proxy read them, moved later by a toxic
 *                     that delays them (so that two latency toxics add up); delays count from here
 */
public record Chunk(byte[] bytes, int offset, int length, long arrivalNanos) {

    public Chunk {
        Objects.checkFromIndexSize(offset, length, bytes.length);
    }

    /** A chunk of a whole array. */
    public static Chunk of(byte[] bytes, long arrivalNanos) {
        return new Chunk(bytes, 0, bytes.length, arrivalNanos);
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of this chunk, same arrival time. */
    public Chunk slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return new Chunk(bytes, offset + from, to - from, arrivalNanos);
    }

    /** The same bytes, due at another time: what a delaying toxic sends on. */
    public Chunk withArrival(long nanos) {
        return new Chunk(bytes, offset, length, nanos);
    }

    /** Copies the bytes out, for tests and diagnostics. */
    public byte[] toArray() {
        byte[] copy = new byte[length];
        System.arraycopy(bytes, offset, copy, 0, length);
        return copy;
    }
}
