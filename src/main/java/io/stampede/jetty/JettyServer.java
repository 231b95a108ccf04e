package io.stampede.jetty;

import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The one place a Jetty server is set up: one HTTP/1.1 connector on an address, a named thread
 * pool, no {@code Server} or {@code X-Powered-By} header, and a stop with no graceful phase unless
 * asked (every Stampede server has either nothing to finish or a reason to cut: a killed demo
 * service, a fault proxy whose faults end now).
 *
 * <pre>{@code
 * JettyServer server = JettyServer.on("127.0.0.1", 0).threads("demo-service", 200).acceptQueue(1024)
 *         .build(jetty -> new Routes(jetty.getScheduler()));
 * server.start();   // BindException when the port is taken
 * server.port();    // the chosen one
 * server.close();
 * }</pre>
 */
public final class JettyServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final int requestedPort;

    private JettyServer(Builder settings, Function<Server, Handler> handler) {
        this.host = settings.host;
        this.requestedPort = settings.port;
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads);
        threads.setName(settings.threadName);
        threads.setDaemon(settings.daemon);
        server = new Server(threads);
        server.setStopTimeout(settings.stopTimeout.toMillis());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (settings.passThrough) {
            // The upstream's own Server and Date headers pass through; ours would only duplicate them.
            http.setSendDateHeader(false);
            // Odd paths (an encoded '/', say) pass for the upstream to judge; Jetty's default would
            // answer 400 by itself, an error the upstream never made.
            http.setUriCompliance(UriCompliance.LEGACY);
        }
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host);
        connector.setPort(settings.port);
        if (settings.acceptQueue > 0) {
            connector.setAcceptQueueSize(settings.acceptQueue);
        }
        server.addConnector(connector);
        server.setHandler(handler.apply(server));
    }

    /** A server to be on {@code host:port} (0: any free port); nothing listens until {@link #start()}. */
    public static Builder on(String host, int port) {
        return new Builder(Objects.requireNonNull(host, "host"), port);
    }

    /**
     * Binds and starts answering; on failure nothing is left running.
     *
     * @throws BindException if the port is taken (Jetty's own, with its cause chain)
     * @throws IOException   if it cannot listen for another reason (unknown host, ...)
     */
    public void start() throws IOException {
        try {
            server.start();
        } catch (Exception failed) {
            stopQuietly();
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException inUse) {
                    throw inUse;
                }
            }
            throw failed instanceof IOException io ? io : new IOException("cannot listen on " + new Authority(host, requestedPort), failed);
        }
    }

    /** The port listened on (the chosen one when asked for 0); -1 before {@link #start()}. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address given, as a URL writes it: an IPv6 literal in brackets. */
    public String urlHost() {
        return Addresses.urlHost(host);
    }

    /** Jetty's timer, for delays that cost a timer instead of a thread. */
    public Scheduler scheduler() {
        return server.getScheduler();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Blocks until the server has stopped (after {@link #close()}, e.g. from a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops listening and ends open connections (after the stop timeout, if one was set); the port
     * is free when this returns. Idempotent.
     *
     * @throws IllegalStateException if Jetty did not stop cleanly
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception failed) {
            throw new IllegalStateException("did not stop cleanly: " + failed, failed);
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // Already failing to start; that failure is the one worth reporting.
        }
    }

    /** What differs between Stampede's servers. */
    public static final class Builder {

        private static final int DEFAULT_THREADS = 32;

        private final String host;
        private final int port;
        private String threadName = "stampede-http";
        private int maxThreads = DEFAULT_THREADS;
        private boolean daemon;
        private int acceptQueue;
        private Duration stopTimeout = Duration.ZERO;
        private boolean passThrough;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /** The pool's name (its threads' prefix) and size. */
        public Builder threads(String name, int max) {
            this.threadName = name;
            this.maxThreads = max;
            return this;
        }

        /** Daemon threads: the server never keeps the JVM alive. */
        public Builder daemon() {
            this.daemon = true;
            return this;
        }

        /** The listen backlog; the JDK's default of 50 refuses some of a load tool's bursts. */
        public Builder acceptQueue(int connections) {
            this.acceptQueue = connections;
            return this;
        }

        /** How long a stop waits for requests in flight; zero (the default) cuts them. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** A proxy's connector: no Date header of its own, and odd paths passed on as they came. */
        public Builder passThrough() {
            this.passThrough = true;
            return this;
        }

        /** The server, not started, serving what {@code handler} makes (it may use the server's scheduler). */
        public JettyServer build(Function<Server, Handler> handler) {
            return new JettyServer(this, handler);
        }
    }
}
