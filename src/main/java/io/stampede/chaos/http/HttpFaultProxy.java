package io.stampede.chaos.http;

import io.stampede.input.Authority;
import io.stampede.jetty.JettyServer;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A reverse proxy in front of one HTTP upstream that injects HTTP faults on a share of the
 * requests going through it; users are pointed at {@link #url()} instead of the upstream.
 *
 * <pre>{@code
 * try (HttpFaultProxy proxy = HttpFaultProxy.start("app", "127.0.0.1", 0, URI.create("http://127.0.0.1:5001"))) {
 *     // users load proxy.url() ...
 *     HttpFault outage = proxy.add(HttpFaultSpec.error(503).withRate(0.3).withExcludedPaths("/health"));
 *     ...                        // 30% of requests (never /health) get a 503 from the proxy
 *     outage.remove();           // pass-through again from the next request
 * }
 * }</pre>
 *
 * <p>Without faults it passes requests and answers through: method, raw path and query, headers
 * (cookies included, hop-by-hop ones excepted), bodies in both directions, status. Connections are
 * kept alive on both sides. The upstream receives its own authority in {@code Host} (the client's
 * is kept in the {@code Forwarded} header, and a {@code Via} header names the proxy); redirects
 * pointing at the upstream are rewritten to point at the proxy, so users stay behind the faults.
 *
 * <p>When the upstream cannot be reached (refused, reset, down) the proxy answers {@code 502 Bad
 * Gateway}; when the upstream stays silent for {@link #UPSTREAM_IDLE_TIMEOUT}
 * it answers {@code 504}. Both count as failures in a run, as they would behind a real gateway.
 *
 * <p>How several active faults combine is described on {@link #add(HttpFaultSpec)}. Thread-safe.
 */
public final class HttpFaultProxy implements AutoCloseable {

    /** A refused or unroutable upstream should turn into a 502 quickly, not hang a user. */
    public static final Duration UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the proxy waits on a silent upstream before answering 504; above the demo service's slowest answer (60 s). */
    public static final Duration UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(120);

    /** Load tools open connections in bursts; the JDK's default backlog of 50 would refuse some. */
    private static final int ACCEPT_QUEUE_SIZE = 1024;
    /** Delays wait on timers, not threads, so the pool only needs to cover the actual work. */
    private static final int MAX_THREADS = 200;
    /** No graceful phase on close: faults end now; in-flight requests and kept-alive connections are cut. */
    private static final Duration STOP_TIMEOUT = Duration.ZERO;

    private final String name;
    private final URI upstream;
    private final URI url;
    private final JettyServer server;
    private final ActiveFaults faults;

    private HttpFaultProxy(String name, URI upstream, URI url, JettyServer server, ActiveFaults faults) {
        this.name = name;
        this.upstream = upstream;
        this.url = url;
        this.server = server;
        this.faults = faults;
    }

    /**
     * Starts a proxy listening on {@code listenHost:listenPort} (0 = a free port) in front of
     * {@code upstream}, with no fault active.
     *
     * @param name       names the proxy's threads and messages, e.g. the target's name
     * @param listenHost the address to listen on, normally {@code 127.0.0.1}
     * @param listenPort the port, 0 for any free one (then read it from {@link #url()})
     * @param upstream   the base URL of the service, {@code http://host:port} with an optional base path
     * @throws IllegalArgumentException if the upstream is not an absolute http(s) URL without query
     * @throws BindException            if the port is taken (the message names host and port)
     * @throws IOException              if it cannot listen for another reason
     */
    public static HttpFaultProxy start(String name, String listenHost, int listenPort, URI upstream) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listenHost, "listenHost");
        checkUpstream(upstream);
        if (listenPort < 0 || listenPort > 65_535) {
            throw new IllegalArgumentException("listenPort must be 0..65535, got " + listenPort);
        }
        ActiveFaults faults = new ActiveFaults();
        FaultingProxyHandler handler = new FaultingProxyHandler(upstream, faults);
        // Jetty's default idle timeout (30 s) stays: it only closes client connections with nothing
        // in flight (checked: a 1.5 s delay outlived a 0.5 s idle timeout), never a delayed request.
        JettyServer server = JettyServer.on(listenHost, listenPort).threads("fault-proxy-" + name, MAX_THREADS)
                .acceptQueue(ACCEPT_QUEUE_SIZE).stopTimeout(STOP_TIMEOUT).passThrough().build(jetty -> handler);
        try {
            server.start();
        } catch (IOException failed) {
            throw startFailure(name, listenHost, listenPort, failed);
        }
        URI url = new Authority(listenHost, server.port()).url("http");
        handler.proxyBase(url);
        return new HttpFaultProxy(name, upstream, url, server, faults);
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** Where users go instead of the upstream, e.g. {@code http://127.0.0.1:40123} (no trailing slash). */
    public URI url() {
        return url;
    }

    /** The upstream base URL given at start. */
    public URI upstream() {
        return upstream;
    }

    /**
     * Activates a fault from the next request on; it stays until its handle's
     * {@link HttpFault#remove()} or {@link #close()}.
     *
     * <p>Several faults combine in the order they were added:
     * <ul>
     *   <li>each fault covering the path draws the request on its own (rate, firstN budget);</li>
     *   <li>delays add up: a request drawn by a 100 ms and a 200 ms fault waits 300 ms;</li>
     *   <li>the first drawn fault with an error status answers; later error faults are skipped for
     *       that request (they neither count it nor spend firstN on it);</li>
     *   <li>the delay comes first, then the error answer or the forwarding to the upstream.</li>
     * </ul>
     *
     * @throws IllegalStateException if the proxy is closed
     */
    public HttpFault add(HttpFaultSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!server.isRunning()) {
            throw new IllegalStateException("fault proxy " + name + " is closed");
        }
        return faults.add(spec);
    }

    /** The specs of the faults now active, in the order they were added (and combine). */
    public List<HttpFaultSpec> active() {
        return faults.specs();
    }

    /**
     * Stops listening at once (open connections and requests in flight are cut) and removes every
     * fault; the port is free when this returns. Idempotent.
     */
    @Override
    public void close() {
        faults.removeAll();
        try {
            server.close();
        } catch (IllegalStateException failed) {
            throw new IllegalStateException("fault proxy " + name + " did not stop cleanly", failed.getCause());
        }
    }

    @Override
    public String toString() {
        return "HttpFaultProxy[" + name + " " + url + " -> " + upstream + "]";
    }

    private static void checkUpstream(URI upstream) {
        Objects.requireNonNull(upstream, "upstream");
        String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("upstream must be an http:// or https:// URL, got " + upstream);
        }
        if (upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must name a host, got " + upstream);
        }
        if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
            throw new IllegalArgumentException("upstream must be a base URL without query or fragment, got " + upstream);
        }
    }

    private static IOException startFailure(String name, String host, int port, IOException failed) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                BindException inUse = new BindException(
                        "fault proxy " + name + ": port " + port + " on " + host + " is already in use");
                inUse.initCause(failed);
                return inUse;
            }
        }
        // not an I/O failure of Jetty's (an unresolved address, ...): say whose it is
        return failed.getCause() == null || failed.getCause() instanceof IOException ? failed
                : new IOException("fault proxy " + name + " cannot listen on " + new Authority(host, port), failed.getCause());
    }

}
