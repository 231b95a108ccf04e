package io.stampede.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.jetty.JettyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Toxiproxy-compatible HTTP API over {@link FaultProxy}s, so existing Toxiproxy clients (Go,
 * Java, Ruby, the CLI, Testcontainers) drive Stampede's proxy unchanged.
 *
 * <table>
 *   <caption>Routes (Toxiproxy's)</caption>
 *   <tr><td>{@code GET /proxies}</td><td>200, {@code {name: proxy}}</td></tr>
 *   <tr><td>{@code POST /proxies}</td><td>201 proxy; 400 missing name/upstream or bad body; 409 name taken; 500 port not bindable</td></tr>
 *   <tr><td>{@code POST /populate}</td><td>201 {@code {"proxies": [...]}}; create, keep or replace each of an array of proxies</td></tr>
 *   <tr><td>{@code GET|POST|PATCH|DELETE /proxies/{proxy}}</td><td>200 proxy / 200 updated (listen, upstream, enabled) / 204; 404 unknown</td></tr>
 *   <tr><td>{@code GET|POST /proxies/{proxy}/toxics}</td><td>200 toxic list / 200 added toxic; 400 bad stream, type or attribute; 409 name taken</td></tr>
 *   <tr><td>{@code GET|POST|PATCH|DELETE /proxies/{proxy}/toxics/{toxic}}</td><td>200 toxic / 200 updated (toxicity, attributes) / 204; 404 unknown</td></tr>
 *   <tr><td>{@code POST /reset}</td><td>204; every proxy enabled, every toxic removed</td></tr>
 *   <tr><td>{@code GET /version}</td><td>200, {@code {"version": "<Toxiproxy version spoken>"}}</td></tr>
 * </table>
 *
 * <p>Errors are {@code {"error": "<message>", "status": <code>}}. As in Toxiproxy, requests from
 * browsers (a {@code User-Agent} starting with {@code Mozilla/}) get 403, so a web page cannot
 * reconfigure the proxies; and adding a toxic answers 200, not 201 (clients check for 200).
 *
 * <pre>{@code
 * try (ProxyServer server = new ProxyServer("127.0.0.1", 8474)) {
 *     server.start();
 *     // curl -X POST http://127.0.0.1:8474/proxies -d '{"name":"app","listen":"127.0.0.1:0","upstream":"127.0.0.1:5001"}'
 *     server.join();
 * }
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {

    /** toxiproxy-server's default API address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8474;
    /** The Toxiproxy release whose API this speaks, answered by {@code GET /version} for clients that check it. */
    public static final String TOXIPROXY_API_VERSION = "2.12.0";

    /** API calls are rare and short; a few threads serve them, toxic removal may wait on one. */
    private static final int MAX_THREADS = 16;
    /** Proxies close at once on stop, so there is nothing for a graceful phase to wait for. */
    private static final Duration STOP_TIMEOUT = Duration.ZERO;

    private final ProxyCollection proxies = new ProxyCollection();
    private final JettyServer server;

    /** Prepares the API on {@code host:port} (port 0 picks a free one); nothing listens until {@link #start()}. */
    public ProxyServer(String host, int port) {
        this.server = JettyServer.on(host, port).threads("stampede-proxy-api", MAX_THREADS)
                .stopTimeout(STOP_TIMEOUT).build(jetty -> new ApiHandler(proxies, TOXIPROXY_API_VERSION));
    }

    /**
     * Starts answering.
     *
     * @throws BindException if the port is taken
     * @throws IOException   if it cannot listen for another reason (unknown host, ...)
     */
    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException failed) {
            proxies.closeAll();
            throw failed;
        }
    }

    /** The port the API listens on (the chosen one when asked for 0), -1 before {@link #start()}. */
    public int port() {
        return server.port();
    }

    /** {@code http://HOST:PORT}, the address clients are given. */
    public String baseUrl() {
        return "http://" + server.urlHost() + ":" + port();
    }

    /**
     * Creates proxies from Toxiproxy's config format (what {@code toxiproxy-server -config} and
     * {@code POST /populate} take): a JSON array of {@code {"name", "listen", "upstream", "enabled"}}.
     *
     * @return the proxies now configured from it
     * @throws IllegalArgumentException  if the JSON is malformed or a proxy lacks a name or upstream
     * @throws UncheckedIOException      if a proxy cannot listen on its address
     */
    public List<FaultProxy> populate(byte[] json) {
        List<FaultProxy> created = new ArrayList<>();
        try {
            JsonNode array = ApiJson.parse(json);
            if (!array.isArray()) {
                throw ApiError.badBody("the config must be a JSON array of proxies");
            }
            List<ProxyCollection.Request> requests = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                requests.add(ProxyCollection.Request.read(array.get(i), " at proxy " + (i + 1)));
            }
            proxies.populate(requests, created);
            return created;
        } catch (ApiError failed) {
            if (failed.status() == ApiError.INTERNAL) {
                throw new UncheckedIOException(new IOException(failed.getMessage()));
            }
            throw new IllegalArgumentException(failed.getMessage());
        }
    }

    /** Blocks until the server has stopped (after {@link #close()}, e.g. from a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the API and closes every proxy and its connections. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IllegalStateException failed) {
            throw new IllegalStateException("the proxy API did not stop cleanly", failed.getCause());
        } finally {
            proxies.closeAll();
        }
    }
}
