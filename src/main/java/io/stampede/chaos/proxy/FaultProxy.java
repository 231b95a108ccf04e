package io.stampede.chaos.proxy;

import io.stampede.chaos.proxy.toxics.Toxic;
import io.stampede.chaos.proxy.toxics.ToxicType;
import io.stampede.chaos.proxy.toxics.Toxics;
import io.stampede.os.SelfConnect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that damages the traffic it relays, on demand: Toxiproxy's model in Java. Clients
 * connect to {@link #listen()}, each connection is relayed to {@link #upstream()}, and toxics
 * added to the proxy act on its connections, live ones included: an added toxic starts acting on
 * open connections at once, a removed one stops at once, without losing a byte.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("app", "127.0.0.1:0", "127.0.0.1:5001")) {
 *     String address = proxy.listen();                      // 127.0.0.1:<free port>: point users here
 *     proxy.addToxic(new ToxicSpec("slow", "latency", ToxicSpec.Stream.DOWNSTREAM, 1.0,
 *             Map.of("latency", 300L, "jitter", 50L)));      // every answer 300 ± 50 ms late
 *     ...
 *     proxy.removeToxic("slow");                            // back to normal, open connections too
 *     proxy.enabled(false);                                 // "down": refused, open ones closed
 * }
 * }</pre>
 *
 * <p>Directions are Toxiproxy's: {@link ToxicSpec.Stream#UPSTREAM upstream} acts on bytes from
 * the client to the service, {@link ToxicSpec.Stream#DOWNSTREAM downstream} on bytes from the
 * service to the client. Each connection is relayed by one virtual thread per direction, plus one
 * per toxic acting on it. Thread-safe; every method returns promptly.
 *
 * <p>Errors: a bad address, unknown toxic type or bad attribute is an {@link
 * IllegalArgumentException} whose message lists what is valid; a toxic name already taken is an
 * {@link IllegalStateException}; an unknown toxic name a {@link NoSuchElementException}; a port
 * that cannot be bound an {@link UncheckedIOException}; any use after {@link #close()} an
 * {@link IllegalStateException}.
 */
public final class FaultProxy implements AutoCloseable {

    /** How long the upstream may take to accept a connection before the client's is closed. */
    static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Load tools open connections in bursts; the JDK's default backlog of 50 would refuse some. */
    static final int ACCEPT_BACKLOG = 1024;
    /** Longest wait for the accepting thread to end after its socket closed. */
    static final long ACCEPT_STOP_WAIT_MILLIS = 5_000;

    private final String name;
    private final Object lock = new Object();
    /** Toxics in the order they were added, which is their order in each direction's chain. */
    private final List<LiveToxic> toxics = new ArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();

    // Guarded by lock.
    private String requestedListen;
    private HostPort listen;
    private HostPort upstream;
    private ServerSocket listener;
    private Thread acceptor;
    private boolean enabled;
    private boolean closed;

    private FaultProxy(String name, String listen, String upstream) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a proxy needs a name");
        }
        this.name = name;
        target(listen, upstream);
    }

    /**
     * Starts a proxy listening on {@code listen} and relaying to {@code upstream}.
     *
     * @param name     the proxy's name, for the API and thread names
     * @param listen   {@code host:port} to listen on; port 0 picks a free one, see {@link #listen()}
     * @param upstream {@code host:port} of the service; connected anew for every client connection
     * @throws IllegalArgumentException if an address is not host:port
     * @throws UncheckedIOException     if the port cannot be bound (in use, unknown host)
     */
    public static FaultProxy start(String name, String listen, String upstream) {
        return create(name, listen, upstream, true);
    }

    /** A proxy that starts enabled or not (the API can create a disabled one, as Toxiproxy does). */
    static FaultProxy create(String name, String listen, String upstream, boolean enabled) {
        FaultProxy proxy = new FaultProxy(name, listen, upstream);
        if (enabled) {
            proxy.enabled(true);
        }
        return proxy;
    }

    /** The proxy's name. */
    public String name() {
        return name;
    }

    /** The address it listens on as {@code host:port}, with the real port once bound (port 0 asked). */
    public String listen() {
        synchronized (lock) {
            return listen.toString();
        }
    }

    /** The service's address, {@code host:port}. */
    public String upstream() {
        synchronized (lock) {
            return upstream.toString();
        }
    }

    /** Whether it accepts connections (Toxiproxy's {@code enabled}; false is "down"). */
    public boolean enabled() {
        synchronized (lock) {
            return enabled;
        }
    }

    /**
     * Brings the proxy up or down. Down closes the listening socket, so new connections are
     * refused, and closes every open connection; up listens again on the same address.
     *
     * @throws UncheckedIOException if the address cannot be bound again
     */
    public void enabled(boolean on) {
        synchronized (lock) {
            ensureOpen();
            if (on == enabled) {
                return;
            }
            if (on) {
                bind();
            } else {
                stopListening();
            }
            enabled = on;
        }
    }

    /**
     * Adds a toxic at the end of its direction's chain; it starts acting on open connections at
     * once. Each connection draws once whether the toxic acts on it ({@code toxicity}).
     *
     * @return the toxic as it now is: default name filled in, every attribute present
     * @throws IllegalArgumentException for an unknown type or a bad attribute (listing the valid ones)
     * @throws IllegalStateException    if a toxic of that name exists (in either direction)
     */
    public ToxicSpec addToxic(ToxicSpec spec) {
        LiveToxic toxic = build(spec);
        synchronized (lock) {
            ensureOpen();
            if (find(toxic.spec().name()) >= 0) {
                throw new IllegalStateException("toxic already exists: " + toxic.spec().name());
            }
            toxics.add(toxic);
            for (Connection connection : connections) {
                connection.link(toxic.spec().stream()).add(toxic);
            }
        }
        return toxic.spec();
    }

    /**
     * Changes a toxic's toxicity and attributes, on open connections too (which draw toxicity
     * again, as in Toxiproxy). Attributes not given are 0; per-connection state (limit_data's
     * count, timeout's clock) is kept.
     *
     * @param spec the toxic's new settings; its name says which toxic, its type and stream must not change
     * @return the toxic as it now is
     * @throws NoSuchElementException   if there is no toxic of that name
     * @throws IllegalArgumentException for a changed type or stream, or a bad attribute
     */
    public ToxicSpec updateToxic(ToxicSpec spec) {
        LiveToxic updated = build(spec);
        synchronized (lock) {
            ensureOpen();
            int index = indexOrThrow(spec.name());
            ToxicSpec current = toxics.get(index).spec();
            if (!current.type().equals(spec.type()) || current.stream() != spec.stream()) {
                throw new IllegalArgumentException("toxic " + spec.name() + " is a " + current.type() + " on "
                        + current.stream().wireName() + "; to change its type or stream remove it and add it again");
            }
            toxics.set(index, updated);
            for (Connection connection : connections) {
                connection.link(spec.stream()).update(updated);
            }
        }
        return updated.spec();
    }

    /**
     * Removes a toxic; open connections get their normal flow back at once, with the data it held.
     *
     * @throws NoSuchElementException if there is no toxic of that name
     */
    public void removeToxic(String toxicName) {
        synchronized (lock) {
            ensureOpen();
            LiveToxic removed = toxics.remove(indexOrThrow(toxicName));
            for (Connection connection : connections) {
                connection.link(removed.spec().stream()).remove(toxicName);
            }
        }
    }

    /** The toxics, upstream ones first, each direction in chain order (Toxiproxy's listing order). */
    public List<ToxicSpec> toxics() {
        synchronized (lock) {
            return toxics.stream()
                    .map(LiveToxic::spec)
                    .sorted(Comparator.comparing(ToxicSpec::stream))
                    .toList();
        }
    }

    /** Removes every toxic (Toxiproxy's reset of a proxy's toxics). */
    public void removeAllToxics() {
        synchronized (lock) {
            ensureOpen();
            for (ToxicSpec spec : toxics()) {
                removeToxic(spec.name());
            }
        }
    }

    /** Stops listening and closes every connection at once. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (enabled) {
                stopListening();
                enabled = false;
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "FaultProxy[" + name + " " + listen + " -> " + upstream + (enabled ? "" : ", down") + "]";
        }
    }

    /** Threads working for this proxy right now, for tests that check nothing is left behind. */
    int liveThreads() {
        return liveThreads.get();
    }

    /** Open connections, for tests. */
    int openConnections() {
        return connections.size();
    }

    /** The listen address as asked for, before port 0 became a real port (for populate's comparison). */
    String requestedListen() {
        synchronized (lock) {
            return requestedListen;
        }
    }

    /**
     * Moves the proxy to other addresses, keeping its toxics (the API's proxy update): open
     * connections are closed and, if it was up, it listens again at the new address.
     */
    void retarget(String newListen, String newUpstream) {
        synchronized (lock) {
            ensureOpen();
            boolean wasEnabled = enabled;
            enabled(false);
            target(newListen, newUpstream);
            if (wasEnabled) {
                enabled(true);
            }
        }
    }

    void threadStarted() {
        liveThreads.incrementAndGet();
    }

    void threadEnded() {
        liveThreads.decrementAndGet();
    }

    void forget(Connection connection) {
        connections.remove(connection);
    }

    private void target(String newListen, String newUpstream) {
        String asked = newListen == null || newListen.isEmpty() ? HostPort.LOOPBACK + ":0" : newListen;
        HostPort parsedListen = HostPort.parse(asked, "listen");
        HostPort parsedUpstream = HostPort.parse(newUpstream, "upstream");
        synchronized (lock) {
            requestedListen = asked;
            listen = parsedListen;
            upstream = parsedUpstream;
        }
    }

    private static LiveToxic build(ToxicSpec spec) {
        ToxicType type = Toxics.type(spec.type());
        Map<String, Long> attributes = type.complete(spec.attributes());
        Toxic toxic = type.create(attributes);
        return new LiveToxic(spec.withAttributes(attributes), toxic);
    }

    private int find(String toxicName) {
        for (int i = 0; i < toxics.size(); i++) {
            if (toxics.get(i).spec().name().equals(toxicName)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOrThrow(String toxicName) {
        int index = find(toxicName);
        if (index < 0) {
            throw new NoSuchElementException("toxic not found: " + toxicName);
        }
        return index;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("proxy " + name + " is closed");
        }
    }

    private void bind() {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(listen.socketAddress(), ACCEPT_BACKLOG);
        } catch (IOException cannotListen) {
            closeQuietly(socket);
            throw new UncheckedIOException("proxy " + name + " cannot listen on " + listen + ": "
                    + cannotListen.getMessage(), cannotListen);
        }
        listen = HostPort.of(socket.getInetAddress(), socket.getLocalPort());
        listener = socket;
        ServerSocket accepting = socket;
        acceptor = startThread("stampede-proxy-" + name + "-accept", () -> accept(accepting));
    }

    private void stopListening() {
        closeQuietly(listener);
        listener = null;
        for (Connection connection : connections) {
            connection.close();
        }
        Thread accepting = acceptor;
        acceptor = null;
        if (accepting != null) {
            try {
                accepting.join(Duration.ofMillis(ACCEPT_STOP_WAIT_MILLIS));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void accept(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closedOrBroken) {
                return;
            }
            // Connecting upstream can take seconds; the next client must not wait for it.
            startThread("stampede-proxy-" + name + "-open", () -> open(client));
        }
    }

    private void open(Socket client) {
        Socket service = new Socket();
        HostPort target;
        synchronized (lock) {
            target = upstream;
        }
        try {
            // Proxied request/response traffic is small writes: Nagle would add up to 40 ms to each.
            client.setTcpNoDelay(true);
            service.setTcpNoDelay(true);
            service.connect(target.socketAddress(), UPSTREAM_CONNECT_TIMEOUT_MILLIS);
            SelfConnect.refuse(service);
        } catch (IOException | IllegalArgumentException unreachable) {
            // As Toxiproxy: the client sees its connection closed when the service cannot be reached.
            closeQuietly(client);
            closeQuietly(service);
            return;
        }
        synchronized (lock) {
            if (!enabled || closed) {
                closeQuietly(client);
                closeQuietly(service);
                return;
            }
            Connection connection = new Connection(this, connectionIds.incrementAndGet(), client, service);
            connections.add(connection);
            connection.start(List.copyOf(toxics));
        }
    }

    private Thread startThread(String threadName, Runnable work) {
        liveThreads.incrementAndGet();
        return Thread.ofVirtual().name(threadName).start(() -> {
            try {
                work.run();
            } finally {
                liveThreads.decrementAndGet();
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is all that was wanted.
        }
    }
}
