package io.stampede.chaos.proxy.toxics;

import java.util.function.Supplier;

/**
 * What a {@link Toxic} can do on the connection it is working on: its input, its output, the
 * connection's end, and a clock. Implemented by the proxy; every blocking method is interruptible
 * and is where the proxy stops a toxic (see {@link Toxic} for the contract).
 */
public interface ToxicStub {

    /**
     * The next chunk, waiting for one; null once the input has ended (the sender closed its side,
     * or an earlier toxic closed the connection). The part of it not yet {@link #send sent} when
     * this toxic is stopped goes back to the input.
     */
    Chunk take() throws InterruptedException;

    /** Passes a chunk, or an in-order piece of the one taken, to the next toxic or the socket. */
    void send(Chunk chunk) throws InterruptedException;

    /** Waits until {@link System#nanoTime()} reaches {@code deadlineNanos} (at once if it has). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /** Waits {@code nanos} nanoseconds. */
    default void sleep(long nanos) throws InterruptedException {
        sleepUntil(System.nanoTime() + Math.max(0, nanos));
    }

    /** Waits until this toxic is stopped, e.g. to hold all data until it is removed. */
    default void awaitStop() throws InterruptedException {
        sleepUntil(Long.MAX_VALUE);
    }

    /**
     * Closes the connection once the chunks already sent are written: the peer reads them, then
     * end-of-stream, and both sockets close. Afterwards {@code take()} returns null and
     * {@code send} drops; return from {@link Toxic#pipe}.
     */
    void close();

    /**
     * Resets the connection now: both sockets close with {@code SO_LINGER 0}, so both peers see a
     * TCP RST ("connection reset by peer") and data not yet written is dropped.
     */
    void reset();

    /**
     * This toxic's memory for this connection and direction, made by {@code initial} on first use.
     * It lives as long as the connection, across updates and restarts of the toxic, e.g. the bytes
     * already let through by {@code limit_data}.
     */
    <S> S state(Supplier<S> initial);
}
