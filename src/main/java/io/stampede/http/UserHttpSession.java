package io.stampede.http;

import io.stampede.api.Check;
import io.stampede.api.HttpSession;
import io.stampede.api.Request;
import io.stampede.api.Response;
import io.stampede.plan.HttpOptions;
import io.stampede.stats.SampleSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.cookie.CookieOrigin;
import org.apache.hc.client5.http.cookie.CookieSpec;
import org.apache.hc.client5.http.cookie.MalformedCookieException;
import org.apache.hc.client5.http.impl.cookie.RFC6265CookieSpecFactory;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * One user's HTTP session on Apache HttpCore 5's blocking HTTP/1.1 connection: the library parses
 * and frames the messages, this class only owns one keep-alive connection, the cookies and the
 * timing. Made for one virtual thread; not thread-safe.
 *
 * <p>Latency runs from just before the connection is (re)used or opened to the last byte of the
 * body, so a slow connect counts, as a browser's user would feel it.
 */
public final class UserHttpSession implements HttpSession, AutoCloseable {

    private static final String USER_AGENT = "stampede";
    private static final int MAX_REDIRECTS = 10;
    private static final int READ_CHUNK_BYTES = 4 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final HttpRequestExecutor EXECUTOR = new HttpRequestExecutor();
    /**
     * HttpCore allocates three arrays of this size per connection (input, line and output buffers)
     * and a user keeps its connection while it waits, so this is most of a user's memory: 1 KiB
     * instead of 8 KiB took live heap from 32 to 11 KiB per user (bench/engine/run.sh memory). A
     * response head over 1 KiB costs one more read per KiB; bodies bypass the buffer (read straight
     * into their array), and the line buffer grows for longer header lines.
     */
    private static final int BUFFER_BYTES = 1024;
    private static final Http1Config HTTP1 = Http1Config.custom().setBufferSize(BUFFER_BYTES).build();
    private static final CookieSpec COOKIE_SPEC = new RFC6265CookieSpecFactory().create(null);

    private final URI base;
    private final String hostHeader;
    private final boolean secure;
    private final HttpOptions options;
    private final SampleSink sink;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    /** Made when the first cookie arrives: most load tests never see one, and a store is ~400 bytes a user. */
    private BasicCookieStore cookies;
    /**
     * HttpCore's own context type (fields, not a map), so the executor uses it as it is; it is
     * emptied after each exchange, so a waiting user does not keep its last request and response.
     */
    private final HttpCoreContext context = HttpCoreContext.create();
    private DefaultBHttpClientConnection connection;
    private long intendedStartNanos;
    private final java.io.ByteArrayOutputStream bodyBuffer = new java.io.ByteArrayOutputStream();
    private byte[] readChunk; // only for bodies without a Content-Length

    public UserHttpSession(URI base, HttpOptions options, SampleSink sink) {
        this.base = base;
        this.secure = "https".equalsIgnoreCase(base.getScheme());
        int port = port(base);
        boolean defaultPort = port == (secure ? 443 : 80);
        this.hostHeader = base.getHost() + (defaultPort ? "" : ":" + port);
        this.options = options;
        this.sink = sink;
        this.defaultHeaders.putAll(options.headers());
    }

    @Override
    public Request request(String method, String path) {
        return new SessionRequest(upperCase(method), path);
    }

    /** The common methods as they are: toUpperCase on every request was 2% of its CPU. */
    private static String upperCase(String method) {
        return switch (method) {
            case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" -> method;
            default -> method.toUpperCase(Locale.ROOT);
        };
    }

    @Override
    public HttpSession defaultHeader(String name, String value) {
        defaultHeaders.put(name, value);
        return this;
    }

    @Override
    public String cookie(String name) {
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies.getCookies()) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    @Override
    public void clearCookies() {
        cookies = null;
    }

    @Override
    public void close() {
        closeConnection();
    }

    /**
     * The next request should have started at {@code nanoTime} (a schedule's time: the open model's
     * arrival, constant pacing's beat). Unless the plan measures from the actual start, that request's
     * latency runs from this moment, so time spent waiting behind a stalled service is counted, not
     * omitted (coordinated omission). Applies to the next request only.
     */
    public void intendedStart(long nanoTime) {
        this.intendedStartNanos = nanoTime;
    }

    private final class SessionRequest extends Request {
        SessionRequest(String method, String path) {
            super(method, path);
        }

        @Override
        public Response send() {
            return execute(method, path, name == null ? path : name, headers, body, checks);
        }
    }

    private Response execute(String method, String path, String name, Map<String, String> headers, byte[] body,
                             List<Check> checks) {
        long start = System.nanoTime();
        if (intendedStartNanos != 0 && options.latencyFrom() == io.stampede.plan.LoadModel.LatencyFrom.INTENDED) {
            start = Math.min(start, intendedStartNanos);
        }
        intendedStartNanos = 0;
        Exchange exchange = exchangeFollowingRedirects(method, path, headers, body);
        long latencyMicros = (System.nanoTime() - start) / 1_000;
        Response response = new Response(exchange.status, exchange.body, exchange.headers, latencyMicros, exchange.error);
        if (exchange.error == null) {
            applyChecks(response, checks, exchange.reason);
        }
        sink.record(method, name, latencyMicros, exchange.body.length, response.error());
        return response;
    }

    private static void applyChecks(Response response, List<Check> checks, String reason) {
        boolean statusChecked = false;
        for (Check check : checks) {
            statusChecked |= check instanceof Check.Status;
            String failure;
            try {
                failure = check.verify(response);
            } catch (RuntimeException e) {
                failure = "check threw " + e;
            }
            if (failure != null) {
                response.markFailed(failure);
                return;
            }
        }
        if (!statusChecked && response.status() >= 400) {
            response.markFailed(ErrorNames.httpStatus(response.status(), reason));
        }
    }

    private Exchange exchangeFollowingRedirects(String method, String path, Map<String, String> headers, byte[] body) {
        Exchange exchange = exchangeWithRetry(method, path, headers, body);
        for (int hop = 0; hop < MAX_REDIRECTS && options.followRedirects() && exchange.isRedirect(); hop++) {
            String location = exchange.header("location");
            URI next = location == null ? null : base.resolve(path).resolve(location);
            if (next == null || !sameOrigin(next)) {
                return exchange; // another origin: hand the 3xx to the scenario as it is
            }
            boolean keepMethod = exchange.status == 307 || exchange.status == 308;
            String nextPath = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
            exchange = exchangeWithRetry(keepMethod ? method : "GET", nextPath, headers, keepMethod ? body : null);
        }
        return exchange;
    }

    /**
     * A kept-alive connection may have been closed by the service while idle; like browsers, retry
     * once on a fresh connection when a reused one fails before any response arrived.
     */
    private Exchange exchangeWithRetry(String method, String path, Map<String, String> headers, byte[] body) {
        boolean reused = connection != null;
        Exchange exchange = exchange(method, path, headers, body);
        if (reused && exchange.failedBeforeResponse) {
            exchange = exchange(method, path, headers, body);
        }
        return exchange;
    }

    private Exchange exchange(String method, String path, Map<String, String> headers, byte[] body) {
        try {
            return exchangeOnce(method, path, headers, body);
        } finally {
            context.setRequest(null);
            context.setResponse(null);
        }
    }

    private Exchange exchangeOnce(String method, String path, Map<String, String> headers, byte[] body) {
        try {
            ensureConnected();
        } catch (IOException e) {
            checkStopped(e);
            closeConnection();
            return Exchange.failed(ErrorNames.connectFailure(e, options.connectTimeout()), false);
        }
        ClassicHttpRequest request = buildRequest(method, path, headers, body);
        ClassicHttpResponse response;
        try {
            response = EXECUTOR.execute(request, connection, context);
        } catch (IOException | HttpException e) {
            checkStopped(e);
            closeConnection();
            return Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()), true);
        }
        try {
            byte[] content = readBody(response.getEntity());
            if (content == null) {
                closeConnection();
                return Exchange.failed("response body over " + options.maxBodyBytes() + " bytes", false);
            }
            storeCookies(response, path);
            if (!keepAlive(request, response)) {
                closeConnection();
            }
            return new Exchange(response.getCode(), response.getReasonPhrase(), content, headersOf(response), null, false);
        } catch (IOException e) {
            checkStopped(e);
            closeConnection();
            return Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()), false);
        }
    }

    /**
     * Whether the connection may carry the next request. The common case is answered here: an
     * HTTP/1.1 response whose body HttpCore framed by chunks or by one Content-Length, with no
     * Connection header in the request and none but "keep-alive" in the response, persists (RFC 9112,
     * section 9.3). Anything else goes to HttpCore's strategy,
     * whose header iterators cost 8% of a request's CPU when asked every time.
     */
    private boolean keepAlive(ClassicHttpRequest request, ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        boolean framed = entity != null && (entity.isChunked()
                || entity.getContentLength() >= 0 && response.countHeaders(HttpHeaders.CONTENT_LENGTH) == 1);
        if (framed && HttpVersion.HTTP_1_1.equals(response.getVersion()) && !request.containsHeader(HttpHeaders.CONNECTION)) {
            Header connection = response.getFirstHeader(HttpHeaders.CONNECTION);
            if (connection == null || "keep-alive".equalsIgnoreCase(connection.getValue().strip())
                    && response.countHeaders(HttpHeaders.CONNECTION) == 1) {
                return true; // nginx, for one, says "Connection: keep-alive" on every response
            }
        }
        return DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }

    private ClassicHttpRequest buildRequest(String method, String path, Map<String, String> headers, byte[] body) {
        // The path as given (a fragment is never sent); the constructor that takes only a path
        // parses it into a java.net.URI, 2% of a request's CPU for nothing we use.
        String target = path.isEmpty() ? "/" : path;
        int fragment = target.indexOf('#');
        if (fragment >= 0) {
            target = target.substring(0, fragment);
        }
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, null, null, target);
        request.addHeader(HttpHeaders.HOST, hostHeader);
        request.addHeader(HttpHeaders.USER_AGENT, USER_AGENT);
        defaultHeaders.forEach(request::setHeader);
        headers.forEach(request::setHeader);
        addCookies(request, path);
        if (body != null) {
            String type = request.getFirstHeader(HttpHeaders.CONTENT_TYPE) == null
                    ? null : request.getFirstHeader(HttpHeaders.CONTENT_TYPE).getValue();
            request.removeHeaders(HttpHeaders.CONTENT_TYPE);
            request.setEntity(new ByteArrayEntity(body, type == null ? null : ContentType.parse(type)));
            request.addHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
            if (type != null) {
                request.addHeader(HttpHeaders.CONTENT_TYPE, type);
            }
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            request.addHeader(HttpHeaders.CONTENT_LENGTH, "0");
        }
        return request;
    }

    /**
     * Reads the whole body, or returns null when it is larger than allowed. With a Content-Length
     * the array is allocated once at its size; otherwise the session's own buffer is reused, so a
     * small response costs no more than its bytes (this is most of a run's garbage otherwise).
     */
    private byte[] readBody(HttpEntity entity) throws IOException {
        if (entity == null) {
            return EMPTY;
        }
        try (InputStream in = entity.getContent()) {
            if (in == null) {
                return EMPTY;
            }
            long length = entity.getContentLength();
            if (length > options.maxBodyBytes()) {
                return null;
            }
            if (length >= 0) {
                byte[] content = new byte[(int) length];
                int read = in.readNBytes(content, 0, content.length);
                return read == content.length ? content : java.util.Arrays.copyOf(content, read);
            }
            if (readChunk == null) {
                readChunk = new byte[READ_CHUNK_BYTES];
            }
            bodyBuffer.reset();
            int n;
            while ((n = in.read(readChunk)) >= 0) {
                bodyBuffer.write(readChunk, 0, n);
                if (bodyBuffer.size() > options.maxBodyBytes()) {
                    return null;
                }
            }
            return bodyBuffer.size() == 0 ? EMPTY : bodyBuffer.toByteArray();
        }
    }

    private void ensureConnected() throws IOException {
        if (connection != null && connection.isOpen()) {
            return;
        }
        InetSocketAddress target = new InetSocketAddress(base.getHost(), port(base));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (!target.isUnresolved()) {
                socket = LoopbackSources.bindForTarget(socket, target.getAddress());
            }
            socket.connect(target, (int) options.connectTimeout().toMillis());
            socket.setSoTimeout((int) options.responseTimeout().toMillis());
            DefaultBHttpClientConnection fresh = new UserConnection(HTTP1);
            if (secure) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, base.getHost(), port(base), true);
                tls.startHandshake();
                fresh.bind(tls, socket);
            } else {
                fresh.bind(socket);
            }
            fresh.setSocketTimeout(Timeout.of(options.responseTimeout()));
            connection = fresh;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close(CloseMode.IMMEDIATE);
            connection = null;
        }
    }

    /** An I/O error caused by the engine interrupting this user is a stop, not a failed request. */
    private static void checkStopped(Exception e) {
        if (Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException) {
            throw new CancellationException("user stopped");
        }
    }

    private CookieOrigin origin(String path) {
        int query = path.indexOf('?');
        String cookiePath = query < 0 ? path : path.substring(0, query);
        return new CookieOrigin(base.getHost(), port(base), cookiePath.isEmpty() ? "/" : cookiePath, secure);
    }

    private void addCookies(ClassicHttpRequest request, String path) {
        if (cookies == null) {
            return;
        }
        List<Cookie> all = cookies.getCookies();
        if (all.isEmpty()) {
            return;
        }
        CookieOrigin origin = origin(path);
        Instant now = Instant.now();
        List<Cookie> matching = new ArrayList<>();
        for (Cookie cookie : all) {
            if (!cookie.isExpired(now) && COOKIE_SPEC.match(cookie, origin)) {
                matching.add(cookie);
            }
        }
        if (!matching.isEmpty()) {
            COOKIE_SPEC.formatCookies(matching).forEach(request::addHeader);
        }
    }

    private void storeCookies(ClassicHttpResponse response, String path) {
        if (!response.containsHeader("Set-Cookie")) {
            return;
        }
        Header[] setCookies = response.getHeaders("Set-Cookie");
        CookieOrigin origin = origin(path);
        for (Header header : setCookies) {
            try {
                for (Cookie cookie : COOKIE_SPEC.parse(header, origin)) {
                    COOKIE_SPEC.validate(cookie, origin);
                    if (cookies == null) {
                        cookies = new BasicCookieStore();
                    }
                    cookies.addCookie(cookie);
                }
            } catch (MalformedCookieException ignored) {
                // A browser ignores a cookie it cannot parse; so does a simulated user.
            }
        }
        if (cookies != null) {
            cookies.clearExpired(Instant.now());
        }
    }

    private boolean sameOrigin(URI uri) {
        return (uri.getScheme() == null || uri.getScheme().equalsIgnoreCase(base.getScheme()))
                && (uri.getHost() == null || uri.getHost().equalsIgnoreCase(base.getHost()))
                && (uri.getHost() == null || port(uri) == port(base));
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Map<String, List<String>> headersOf(ClassicHttpResponse response) {
        return new HeaderView(response.getHeaders());
    }

    private record Exchange(int status, String reason, byte[] body, Map<String, List<String>> headers, String error,
                            boolean failedBeforeResponse) {

        static Exchange failed(String error, boolean beforeResponse) {
            return new Exchange(0, null, new byte[0], Map.of(), error, beforeResponse);
        }

        boolean isRedirect() {
            return error == null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308);
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
