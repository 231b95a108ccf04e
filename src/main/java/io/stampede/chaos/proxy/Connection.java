package io.stampede.chaos.proxy;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One proxied connection: the client's socket, the upstream socket, and a {@link Link} each way.
 * Owns every thread working for it, so that closing it stops them all.
 *
 * <p>The ends follow TCP: when one side closes its sending half, the other side's receiving half
 * is shut down (a half-close) and the other direction goes on; once both directions ended, or a
 * toxic closed the connection, or anything failed, both sockets close.
 */
final class Connection {

    private final FaultProxy proxy;
    private final Socket client;
    private final Socket upstream;
    private final Link up;
    private final Link down;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private boolean upEnded;
    private boolean downEnded;

    Connection(FaultProxy proxy, long id, Socket client, Socket upstream) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        String label = "stampede-proxy-" + proxy.name() + "-" + id;
        this.up = new Link(this, ToxicSpec.Stream.UPSTREAM, client, upstream, label + "-up");
        this.down = new Link(this, ToxicSpec.Stream.DOWNSTREAM, upstream, client, label + "-down");
    }

    /** Starts both directions, each through the toxics of its stream. */
    void start(List<LiveToxic> toxics) {
        up.start(toxics.stream().filter(t -> t.spec().stream() == ToxicSpec.Stream.UPSTREAM).toList());
        down.start(toxics.stream().filter(t -> t.spec().stream() == ToxicSpec.Stream.DOWNSTREAM).toList());
    }

    Link link(ToxicSpec.Stream stream) {
        return stream == ToxicSpec.Stream.UPSTREAM ? up : down;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Runs work for this connection on a new virtual thread, which {@link #close()} interrupts. A
     * thread started after the close is interrupted at once, so none outlives the connection.
     */
    Thread startThread(String name, Runnable work) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                if (!closed.get()) {
                    work.run();
                }
            } finally {
                threads.remove(Thread.currentThread());
                proxy.threadEnded();
            }
        });
        threads.add(thread);
        proxy.threadStarted();
        thread.start();
        if (closed.get()) {
            thread.interrupt();
        }
        return thread;
    }

    /** A link's stream ended: half-close its destination; once both have, close the connection. */
    void outputEnded(Link link) {
        boolean both;
        synchronized (this) {
            boolean already = link == up ? upEnded : downEnded;
            if (already) {
                return;
            }
            if (link == up) {
                upEnded = true;
            } else {
                downEnded = true;
            }
            both = upEnded && downEnded;
        }
        try {
            link.destination().shutdownOutput();
        } catch (IOException gone) {
            close();
            return;
        }
        if (both) {
            close();
        }
    }

    /** Closes both sockets and stops every thread of this connection. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(client);
        closeQuietly(upstream);
        for (Thread thread : threads) {
            thread.interrupt();
        }
        proxy.forget(this);
    }

    /** Closes both sockets with SO_LINGER 0: each peer gets a TCP RST, unsent data is dropped. */
    void reset() {
        if (closed.get()) {
            return;
        }
        for (Socket socket : List.of(client, upstream)) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException alreadyClosed) {
                // Nothing left to reset on this side.
            }
        }
        close();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that was wanted.
        }
    }
}
