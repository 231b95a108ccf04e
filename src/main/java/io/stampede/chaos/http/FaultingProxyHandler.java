package io.stampede.chaos.http;

import io.stampede.chaos.http.ActiveFaults.Decision;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's reverse proxy with the faults in front: each request is decided once on arrival, waits
 * its delay on a timer (no thread held), then gets its error answer or is forwarded as Jetty does.
 */
final class FaultingProxyHandler extends ProxyHandler.Reverse {

    /** Marks answers made by the proxy, so nobody debugs the upstream for an injected 503. */
    static final String FAULT_HEADER = "Stampede-Fault";
    /** Jetty's default of 64 would make the proxy the bottleneck of a load test with more users. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 4096;
    /** Beyond the connections, requests wait in line rather than failing with a 502 the upstream never caused. */
    private static final int MAX_QUEUED_UPSTREAM_REQUESTS = 65_536;
    private static final String VIA_NAME = "stampede";
    private static final HttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");

    private final ActiveFaults faults;
    private final String upstreamBase;
    private volatile String proxyBase;
    /** Set when the proxy listens on every address: its base, which a redirect must not name. */
    private volatile String wildcardBase;

    FaultingProxyHandler(URI upstream, ActiveFaults faults) {
        super(upstreamRewriter(upstream));
        this.faults = faults;
        this.upstreamBase = upstream.getScheme() + "://" + upstream.getRawAuthority();
        // The upstream sees its own name in Host, as behind nginx: virtual hosts keep working, and
        // the name the client used is still in the Forwarded header that Jetty adds.
        setProxyToServerHost(upstream.getRawAuthority());
        // Jetty would otherwise look up the local host name (DNS) for the Via header.
        setViaHost(VIA_NAME);
        // Faults and forwarding share one pool: fewer threads, and no hand-off between pools.
        setUseServerThreadPool(true);
    }

    /** Called once the port is known, to send redirects to the upstream back through the proxy. */
    void proxyBase(URI proxyUrl) {
        this.proxyBase = proxyUrl.toString();
        this.wildcardBase = Addresses.isWildcard(proxyUrl.getHost()) ? proxyBase : null;
    }

    /**
     * {@code response}, or, when the proxy listens on every address, one whose redirects name the
     * address the request arrived on: {@code http://0.0.0.0:port} reaches nobody, and that address is
     * one the client has just shown it can reach.
     */
    private Response arrivedOn(Request request, Response response) {
        String wildcard = wildcardBase;
        if (wildcard == null || !(request.getConnectionMetaData().getLocalSocketAddress() instanceof InetSocketAddress local)
                || local.getAddress() == null) {
            return response;
        }
        String address = local.getAddress().getHostAddress().replaceFirst("%.*$", ""); // no scope id in a URL
        String base = new Authority(address, local.getPort()).url("http").toString();
        HttpFields.Mutable headers = new HttpFields.Mutable.Wrapper(response.getHeaders()) {
            @Override
            public HttpField onAddField(HttpField field) {
                return rebased(field);
            }

            @Override
            public HttpField onReplaceField(HttpField oldField, HttpField newField) {
                return rebased(newField);
            }

            private HttpField rebased(HttpField field) {
                String value = field.getValue();
                return field.getHeader() == HttpHeader.LOCATION && value != null && value.startsWith(wildcard)
                        ? new HttpField(HttpHeader.LOCATION, base + value.substring(wildcard.length())) : field;
            }
        };
        return new Response.Wrapper(request, response) {
            @Override
            public HttpFields.Mutable getHeaders() {
                return headers;
            }
        };
    }

    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new UpstreamConnector();
        connector.setConnectTimeout(HttpFaultProxy.UPSTREAM_CONNECT_TIMEOUT);
        connector.setIdleTimeout(HttpFaultProxy.UPSTREAM_IDLE_TIMEOUT);
        return new HttpClient(new HttpClientTransportDynamic(connector));
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setConnectTimeout(HttpFaultProxy.UPSTREAM_CONNECT_TIMEOUT.toMillis());
        client.setIdleTimeout(HttpFaultProxy.UPSTREAM_IDLE_TIMEOUT.toMillis());
        client.setMaxConnectionsPerDestination(MAX_UPSTREAM_CONNECTIONS);
        client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_UPSTREAM_REQUESTS);
        // Pass-through means pass-through: no User-Agent of ours when the client sent none.
        client.setUserAgentField(null);
    }

    /**
     * Nothing here waits: deciding is lock-free, delays are timers, and Jetty's proxy only starts
     * an asynchronous exchange with the upstream (an IP literal or an async lookup, never a blocking
     * DNS call). So Jetty may run it on the I/O thread without a hand-off; this measured about 10%
     * less CPU per request than the default (blocking) hand-off.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // The common case in a load test, so it costs one volatile read and nothing else.
        if (faults.isEmpty()) {
            return super.handle(request, arrivedOn(request, response), callback);
        }
        Decision decision = faults.decide(Request.getPathInContext(request));
        if (decision.delayNanos() == 0) {
            proceed(decision, request, response, callback);
        } else {
            // The scheduler has one thread: it only hands the request back to the pool.
            request.getComponents().getScheduler().schedule(
                    () -> request.getComponents().getExecutor().execute(() -> proceed(decision, request, response, callback)),
                    decision.delayNanos(), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void proceed(Decision decision, Request request, Response response, Callback callback) {
        try {
            if (decision.error() == null) {
                super.handle(request, arrivedOn(request, response), callback);
            } else {
                answerError(decision.error(), request, response, callback);
            }
        } catch (Throwable failure) {
            callback.failed(failure);
        }
    }

    private static void answerError(HttpFault fault, Request request, Response response, Callback callback) {
        int status = fault.spec().status();
        response.setStatus(status);
        response.getHeaders().put(FAULT_HEADER, Integer.toString(status));
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            response.write(true, null, callback);
            return;
        }
        ByteBuffer body = fault.body();
        response.getHeaders().put(TEXT_PLAIN);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }

    @Override
    protected HttpField filterServerToProxyResponseField(HttpField field) {
        String base = proxyBase;
        if (field.getHeader() == HttpHeader.LOCATION && base != null) {
            String location = field.getValue();
            if (location != null && location.startsWith(upstreamBase)
                    && (location.length() == upstreamBase.length() || "/?#".indexOf(location.charAt(upstreamBase.length())) >= 0)) {
                return new HttpField(HttpHeader.LOCATION, base + location.substring(upstreamBase.length()));
            }
        }
        return field;
    }

    /** The upstream's scheme and authority, its base path, then the request's raw path and query. */
    private static Function<Request, HttpURI> upstreamRewriter(URI upstream) {
        Function<HttpURI, HttpURI> rewrite = rewriter(upstream);
        return request -> rewrite.apply(request.getHttpURI());
    }

    /**
     * The rewrite, computed once per upstream. Jetty writes the host into the URL as it is given
     * ({@link HttpURI#toURI()} is {@code URI.create} of the text), so an IPv6 address goes in brackets;
     * the port is written out, its scheme's when the upstream's URL leaves it out.
     */
    static Function<HttpURI, HttpURI> rewriter(URI upstream) {
        String scheme = upstream.getScheme();
        Authority authority = Authority.of(upstream);
        String host = authority.urlHost();
        int port = authority.port();
        String rawBase = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        String basePath = rawBase.endsWith("/") ? rawBase.substring(0, rawBase.length() - 1) : rawBase;
        return in -> {
            String path = in.getPath() == null || in.getPath().isEmpty() ? "/" : in.getPath();
            return HttpURI.build().scheme(scheme).host(host).port(port).path(basePath + path).query(in.getQuery());
        };
    }
}
