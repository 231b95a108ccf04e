package io.stampede.chaos.proxy.toxics;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A stub that feeds a toxic fixed chunks and records what it sends: unit tests of a toxic's pipe alone. */
final class RecordingStub implements ToxicStub {

    private final ArrayDeque<Chunk> input = new ArrayDeque<>();
    private final List<Chunk> sent = new ArrayList<>();
    private Object state;
    boolean closed;
    boolean reset;

    RecordingStub(Chunk... chunks) {
        input.addAll(List.of(chunks));
    }

    @Override
    public Chunk take() {
        return input.poll();
    }

    @Override
    public void send(Chunk chunk) {
        sent.add(chunk);
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void reset() {
        reset = true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S state(Supplier<S> initial) {
        if (state == null) {
            state = initial.get();
        }
        return (S) state;
    }

    List<Chunk> sent() {
        return sent;
    }

    byte[] sentBytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        sent.forEach(chunk -> all.write(chunk.bytes(), chunk.offset(), chunk.length()));
        return all.toByteArray();
    }
}
