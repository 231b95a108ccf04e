package io.stampede.chaos.proxy;

import io.stampede.chaos.proxy.toxics.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of one connection: the bytes from {@code source} to {@code destination}, and the
 * toxics acting on them.
 *
 * <p>Without toxics a link is one virtual thread, the pump, copying from socket to socket: a
 * proxy with no fault costs what a plain relay costs. When the first toxic arrives the link grows
 * a chain for the rest of its life, as Toxiproxy's links always have:
 *
 * <pre>
 *   pump ─▶ head pipe ─▶ [noop] ─▶ pipe ─▶ [toxic 1] ─▶ … ─▶ [toxic n] ─▶ tail pipe ─▶ writer ─▶ socket
 * </pre>
 *
 * Each {@link Stage} runs on its own virtual thread; toxics are added at the end of the chain,
 * removed from anywhere, by stopping and rewiring their neighbours without losing or reordering a
 * byte. The pump and the writer never change, and are never interrupted while the connection
 * lives (interrupting a virtual thread in socket I/O closes the socket).
 */
final class Link {

    /** Bytes read at once, as Go's io.Copy in Toxiproxy: the largest chunk a toxic sees. */
    static final int READ_BUFFER_BYTES = 32 * 1024;
    /** Chunks the pump may get ahead of the head noop: one, so that toxics pace the sender. */
    private static final int HEAD_PIPE_CHUNKS = 1;
    /** Chunks the last toxic may get ahead of the writer. */
    private static final int TAIL_PIPE_CHUNKS = 1;

    private final Connection connection;
    private final ToxicSpec.Stream stream;
    private final Socket source;
    private final Socket destination;
    private final String label;

    /** Held by the pump while it writes directly, so that a chain's writer starts only after that write. */
    private final ReentrantLock directWrite = new ReentrantLock();
    /** The source ended while there was no chain (guarded by directWrite). */
    private boolean sourceEndedDirectly;
    /** The chain's entrance; null until a toxic first acts on this link. */
    private volatile Pipe head;
    /** The chain, head noop first (guarded by this). */
    private final List<Stage> stages = new ArrayList<>();
    private Pipe tail;

    Link(Connection connection, ToxicSpec.Stream stream, Socket source, Socket destination, String label) {
        this.connection = connection;
        this.stream = stream;
        this.source = source;
        this.destination = destination;
        this.label = label;
    }

    Connection connection() {
        return connection;
    }

    ToxicSpec.Stream stream() {
        return stream;
    }

    Socket destination() {
        return destination;
    }

    String label() {
        return label;
    }

    /** Starts relaying, through the given toxics if any. */
    void start(List<LiveToxic> toxics) {
        synchronized (this) {
            if (!toxics.isEmpty()) {
                buildChain(toxics);
            }
        }
        connection.startThread(label + "-pump", this::pump);
    }

    /** Adds a toxic at the end of the chain (growing one if this link had none). */
    synchronized void add(LiveToxic toxic) {
        if (connection.isClosed()) {
            return;
        }
        if (head == null) {
            buildChain(List.of(toxic));
            return;
        }
        Stage last = stages.getLast();
        last.stop();
        Pipe between = new Pipe(toxic.toxic().bufferChunks());
        Stage added = new Stage(this, toxic, between, tail);
        last.output(between);
        stages.add(added);
        added.start();
        last.start();
    }

    /** Replaces a toxic's settings in place, keeping its per-connection state. */
    synchronized void update(LiveToxic toxic) {
        int index = indexOf(toxic.spec().name());
        if (index < 0 || connection.isClosed()) {
            return;
        }
        Stage stage = stages.get(index);
        stage.stop();
        stage.update(toxic);
        stage.start();
    }

    /**
     * Takes a toxic out of the chain. Its predecessor is paused, whatever waited at the removed
     * toxic's input moves to its output (after what it already let through), and the predecessor
     * resumes writing there.
     */
    synchronized void remove(String toxicName) {
        int index = indexOf(toxicName);
        if (index < 0 || connection.isClosed()) {
            return;
        }
        Stage removed = stages.get(index);
        Stage before = stages.get(index - 1);
        removed.stop();
        before.stop();
        removed.input().moveAllTo(removed.output());
        before.output(removed.output());
        stages.remove(index);
        before.start();
    }

    /** Index of the named toxic's stage, -1 if none (the head noop, at 0, has no name). */
    private int indexOf(String toxicName) {
        for (int i = 1; i < stages.size(); i++) {
            if (stages.get(i).toxicName().equals(toxicName)) {
                return i;
            }
        }
        return -1;
    }

    private void buildChain(List<LiveToxic> toxics) {
        tail = new Pipe(TAIL_PIPE_CHUNKS);
        Pipe entrance = new Pipe(HEAD_PIPE_CHUNKS);
        stages.add(Stage.head(this, entrance, tail));
        for (LiveToxic toxic : toxics) {
            Stage last = stages.getLast();
            Pipe between = new Pipe(toxic.toxic().bufferChunks());
            last.output(between);
            stages.add(new Stage(this, toxic, between, tail));
        }
        for (Stage stage : stages) {
            stage.start();
        }
        head = entrance;
        connection.startThread(label + "-writer", () -> writeChain(entrance));
    }

    /** Copies from the source, straight to the destination or into the chain. */
    private void pump() {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try {
            InputStream in = source.getInputStream();
            OutputStream out = destination.getOutputStream();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    sourceEnded();
                    return;
                }
                long arrival = System.nanoTime();
                if (!writeDirectly(out, buffer, read)) {
                    head.put(Chunk.of(Arrays.copyOf(buffer, read), arrival));
                }
            }
        } catch (IOException | InterruptedException gone) {
            connection.close();
        }
    }

    /** Writes straight through while there is no chain; false once there is one. */
    private boolean writeDirectly(OutputStream out, byte[] buffer, int length) throws IOException {
        if (head != null) {
            return false;
        }
        directWrite.lock();
        try {
            if (head != null) {
                return false;
            }
            out.write(buffer, 0, length);
            return true;
        } finally {
            directWrite.unlock();
        }
    }

    private void sourceEnded() {
        if (head == null) {
            directWrite.lock();
            try {
                if (head == null) {
                    sourceEndedDirectly = true;
                    connection.outputEnded(this);
                    return;
                }
            } finally {
                directWrite.unlock();
            }
        }
        head.append(Signal.END);
    }

    /** The chain's last step: chunks to the socket, and the end of the stream to the connection. */
    private void writeChain(Pipe entrance) {
        try {
            OutputStream out = destination.getOutputStream();
            boolean endedBefore;
            directWrite.lockInterruptibly();
            try {
                // Waiting for this lock lets a direct write still in progress finish first.
                endedBefore = sourceEndedDirectly;
            } finally {
                directWrite.unlock();
            }
            if (endedBefore) {
                // Toxics added after the end still see it (slow_close, for one, acts on it).
                entrance.append(Signal.END);
            }
            while (true) {
                Object item = tail.take();
                if (item instanceof Chunk chunk) {
                    out.write(chunk.bytes(), chunk.offset(), chunk.length());
                } else if (item == Signal.END) {
                    connection.outputEnded(this);
                    return;
                } else {
                    connection.close();
                    return;
                }
            }
        } catch (IOException | InterruptedException gone) {
            connection.close();
        }
    }
}
