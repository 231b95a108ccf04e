package io.stampede.http;

import io.stampede.http.H2Connection.H2Stream;
import java.util.function.Consumer;

/**
 * One connection's open streams by id, found in constant time without boxing: this end opens its
 * streams with odd ids rising by two, so {@code id / 2} modulo a power of two is a slot of its own for
 * every stream in a window of that many ids. When a new stream would land on the slot of an older one,
 * the older one is dropped if it has ended (its response is kept by the stream itself, and frames for an
 * ended stream are ignored, so it needs no look-up), and the table doubles if it has not (the open ids
 * span more than the table); a look-up reads one slot. It also counts the streams that have not ended,
 * the ones the service's concurrency limit applies to.
 */
final class H2Streams {

    /** A request's stream, or a few of a small batch, without growing: one array of 8 references per connection. */
    private static final int INITIAL_SLOTS = 8;

    private H2Stream[] slots = new H2Stream[INITIAL_SLOTS];
    private int size;
    private int active;

    /** Adds a stream that has not ended; its id differs from every open stream's. */
    void add(H2Stream stream) {
        H2Stream older;
        while ((older = slots[slot(stream.id, slots.length)]) != null) {
            if (older.done) {
                remove(older);
            } else {
                grow();
            }
        }
        slots[slot(stream.id, slots.length)] = stream;
        size++;
        if (!stream.done) {
            active++;
        }
    }

    /** The open stream with this id, or null. */
    H2Stream get(int id) {
        H2Stream stream = slots[slot(id, slots.length)];
        return stream != null && stream.id == id ? stream : null;
    }

    /** Forgets the stream (a no-op when it is not here); one that had not ended no longer counts as active. */
    void remove(H2Stream stream) {
        int at = slot(stream.id, slots.length);
        if (slots[at] == stream) {
            slots[at] = null;
            size--;
            if (!stream.done) {
                active--;
            }
        }
    }

    /** Called by a stream as it ends: it no longer counts as active, if it is here. */
    void ended(H2Stream stream) {
        if (slots[slot(stream.id, slots.length)] == stream) {
            active--;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The open streams that have not ended: the ones the service counts against its limit. */
    int active() {
        return active;
    }

    /** Each open stream, in no particular order; for what concerns them all (a GOAWAY, new settings, a lost connection). */
    void forEach(Consumer<H2Stream> action) {
        for (H2Stream stream : slots.clone()) { // the action may end streams, never add or remove any
            if (stream != null) {
                action.accept(stream);
            }
        }
    }

    int capacity() {
        return slots.length;
    }

    private void grow() {
        H2Stream[] old = slots;
        slots = new H2Stream[old.length * 2];
        for (H2Stream stream : old) {
            if (stream != null) {
                slots[slot(stream.id, slots.length)] = stream; // distinct modulo the old length, so modulo the new one
            }
        }
    }

    private static int slot(int id, int length) {
        return (id >>> 1) & (length - 1);
    }
}
