package io.stampede.chaos.proxy.toxics;

/**
 * One network fault acting on one direction of one proxied connection: the only thing a toxic
 * writes is how bytes get from its input to its output. Everything else is the proxy's job, once
 * for all toxics: which direction it acts on ({@code stream}), on which connections it acts at all
 * ({@code toxicity}), starting it on new and live connections, stopping it when it is removed, and
 * not losing the bytes it held at that moment.
 *
 * <p>The contract (read it with {@link ToxicStub}):
 * <ul>
 *   <li>{@link #pipe} runs on its own virtual thread, once per connection and direction, and loops:
 *       {@link ToxicStub#take() take} a chunk, do the damage (wait, cut, drop), {@link ToxicStub#send
 *       send} it or its pieces on, in order.</li>
 *   <li>Return when {@code take()} returns null (the input ended; the proxy passes the end on), or
 *       after {@link ToxicStub#close()} or {@link ToxicStub#reset()}.</li>
 *   <li>Let {@link InterruptedException} out: it is how the proxy stops a toxic that is removed,
 *       updated or followed by a new one. The part of the last taken chunk not yet sent is given
 *       back to the input, so a toxic that only delays, splits or cuts the tail of chunks needs no
 *       clean-up code. Never swallow the interrupt.</li>
 *   <li>Block only in the stub's methods (never on a socket): they are the interruptible ones.</li>
 *   <li>Keep per-connection memory in {@link ToxicStub#state}: the object itself is shared by
 *       every connection and must hold only its settings.</li>
 * </ul>
 *
 * <pre>{@code
 * // A toxic that delays every chunk by 100 ms (LatencyToxic, without the jitter):
 * Toxic slow = stub -> {
 *     for (Chunk chunk; (chunk = stub.take()) != null; ) {
 *         stub.sleepUntil(chunk.arrivalNanos() + 100_000_000L);
 *         stub.send(chunk);
 *     }
 * };
 * }</pre>
 *
 * <p>To make a toxic available by name (to {@code FaultProxy.addToxic} and the HTTP API), describe
 * it with a {@link ToxicType} and {@link Toxics#register register} it; the built-in toxics are
 * registered exactly that way.
 */
@FunctionalInterface
public interface Toxic {

    /** Chunks a toxic's input may hold when nothing else is said: one, so senders feel its pace. */
    int DEFAULT_BUFFER_CHUNKS = 1;

    /**
     * Moves this connection's chunks, in this direction, from the stub's input to its output until
     * the input ends or the toxic closes or resets the connection.
     *
     * @throws InterruptedException when the proxy stops this toxic; let it out
     */
    void pipe(ToxicStub stub) throws InterruptedException;

    /**
     * How many chunks may wait at this toxic's input. More than one lets reading go on while the
     * toxic waits, which a delaying toxic needs so that delays overlap instead of adding up.
     */
    default int bufferChunks() {
        return DEFAULT_BUFFER_CHUNKS;
    }
}
