package io.stampede.http;

import io.stampede.api.Check;
import io.stampede.api.EventStream;
import io.stampede.api.HttpSession;
import io.stampede.api.Request;
import io.stampede.api.Response;
import io.stampede.api.WebSocket;
import io.stampede.os.SelfConnect;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.SampleSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.cookie.CookieOrigin;
import org.apache.hc.client5.http.cookie.CookieSpec;
import org.apache.hc.client5.http.cookie.MalformedCookieException;
import org.apache.hc.client5.http.impl.cookie.RFC6265CookieSpecFactory;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;

/**
 * One user's HTTP session: one kept-alive connection per origin and HTTP version asked for
 * ({@link Http1Connection}, Jetty's parser reading the responses, or {@link H2Connection}), the
 * cookies (HttpClient 5's RFC 6265 spec), redirects and the timing. Made for one virtual thread;
 * not thread-safe.
 *
 * <p>A path goes to the run's host; an absolute {@code http://} or {@code https://} URL goes to its
 * own host, on a connection this user keeps for that origin while it keeps the others open too.
 *
 * <p>Latency runs from just before the connection is (re)used or opened to the last byte of the
 * body, so a slow connect counts, as a browser's user would feel it.
 */
public final class UserHttpSession implements HttpSession, AutoCloseable {

    private static final String USER_AGENT = "stampede";
    private static final int MAX_REDIRECTS = 10;
    private static final String H2 = "h2";
    /** Offered together even for HTTP/2 only, so a service without h2 says so by choosing http/1.1, not by an alert. */
    private static final List<String> H2_OR_HTTP1 = List.of(H2, "http/1.1");
    private static final CookieSpec COOKIE_SPEC = new RFC6265CookieSpecFactory().create(null);
    /**
     * For measuring what phase timings cost, not a setting: {@code -Dstampede.phaseTimings=off} records
     * requests without them (bench/tls/run.sh compares the two). The connection's own two marks stay.
     */
    private static final boolean PHASE_TIMINGS = !"off".equals(System.getProperty("stampede.phaseTimings"));

    private final Origin baseOrigin;
    private final HttpOptions options;
    private final SampleSink sink;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    /** Made when the first cookie arrives: most load tests never see one, and a store is ~400 bytes a user. */
    private BasicCookieStore cookies;
    /** The origin of the request under way, the HTTP it asked for, and its connection (null until opened). */
    private Origin origin;
    private HttpProtocol connectionProtocol;
    private OriginConnection connection;
    /**
     * Connections to the other origins this user has called, or to the same origin in another HTTP
     * version a request asked for, kept alive while it uses the current one.
     */
    private Map<Slot, OriginConnection> parked;
    /** The HTTP this user speaks on its next connections: the plan's, until the scenario sets another. */
    private HttpProtocol protocol;
    private final RequestHead head = new RequestHead();
    /** The WebSockets and event streams this user has open, closed with the session. */
    private final Set<AutoCloseable> openStreams = new LinkedHashSet<>();
    // What the head in `head` was written for, when it had no headers, body or cookies of its own.
    private String lastMethod;
    private String lastPath;
    private Origin lastOrigin;
    private int lastDefaultsVersion;
    private boolean lastSaysClose;
    private int defaultsVersion; // counts changes to the default headers
    private long intendedStartNanos;
    /** The current request's phase times: one holder reused, nothing allocated per request (a batch has its own). */
    private final PhaseTimes ownPhases = new PhaseTimes();
    private PhaseTimes phases = ownPhases;
    /**
     * The last {@code System.nanoTime()} the request under way read: where its next exchange's sending
     * starts, and after the last exchange when it ended. Phases reuse the reads a request takes anyway
     * (its start, the end of a connect, of an exchange) instead of reading the clock for themselves.
     */
    private long mark;

    public UserHttpSession(URI base, HttpOptions options, SampleSink sink) {
        this.baseOrigin = Origin.of(base);
        this.origin = baseOrigin;
        this.options = options;
        this.protocol = options.protocol();
        this.connectionProtocol = protocol;
        this.sink = sink;
        this.defaultHeaders.putAll(options.headers());
    }

    /**
     * Initialises the response parser's classes on another thread while the run gets ready: Jetty's
     * HttpParser builds its header cache in a static initialiser, 160-230 ms on a cold JVM, which
     * would otherwise delay the first user's first request (bench/startup/run.sh).
     */
    public static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("stampede-http-init").start(() -> {
            try {
                Class.forName(HttpParser.class.getName(), true, UserHttpSession.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
        });
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
    public WebSocket websocket(String path, String name) {
        URI uri = sameHost(baseOrigin.secure() ? "wss" : "ws", path);
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        headers.putIfAbsent("User-Agent", USER_AGENT);
        UserWebSocket ws = UserWebSocket.open(uri, name, headers, options, sink, openStreams::remove);
        openStreams.add(ws);
        return ws;
    }

    @Override
    public EventStream events(String path, String name) {
        URI uri = sameHost(baseOrigin.secure() ? "https" : "http", path);
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        headers.putIfAbsent("User-Agent", USER_AGENT);
        String cookieHeader = cookieHeader(path);
        if (cookieHeader != null) {
            headers.put("Cookie", cookieHeader);
        }
        UserEventStream stream = UserEventStream.open(uri, name, headers, options, sink, openStreams::remove);
        openStreams.add(stream);
        return stream;
    }

    /** {@code path} on the run's host with another scheme (ws, wss). */
    private URI sameHost(String scheme, String path) {
        String target = path.isEmpty() ? "/" : path;
        return URI.create(scheme + "://" + baseOrigin.hostHeader() + target);
    }

    /** The Cookie header this user would send to {@code path}, or null. */
    private String cookieHeader(String path) {
        if (cookies == null) {
            return null;
        }
        CookieOrigin origin = origin(path);
        Instant now = Instant.now();
        List<Cookie> matching = new ArrayList<>();
        for (Cookie cookie : cookies.getCookies()) {
            if (!cookie.isExpired(now) && COOKIE_SPEC.match(cookie, origin)) {
                matching.add(cookie);
            }
        }
        if (matching.isEmpty()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (Header header : COOKIE_SPEC.formatCookies(matching)) {
            values.add(header.getValue());
        }
        return String.join("; ", values);
    }

    @Override
    public HttpSession defaultHeader(String name, String value) {
        defaultHeaders.put(name, value);
        defaultsVersion++;
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
    public HttpSession version(String version) {
        HttpProtocol next = HttpProtocol.parse(version);
        if (next == null) {
            throw new IllegalArgumentException("HTTP version is \"1.1\", \"2\" or \"auto\", got \"" + version + "\"");
        }
        if (next != protocol) {
            protocol = next;
            closeConnections(); // the next request connects with the new version
            connectionProtocol = next;
        }
        return this;
    }

    @Override
    public void close() {
        closeConnections();
        for (AutoCloseable open : List.copyOf(openStreams)) {
            try {
                open.close(); // sockets and streams the scenario left open end with the user
            } catch (Exception ignored) {
                // closing never fails a user
            }
        }
        openStreams.clear();
    }

    /**
     * The user is about to wait between tasks, and no request of it runs until it wakes: its HTTP/1.1
     * connections give their read buffers back meanwhile (see {@link ReadBuffers}).
     */
    public void idle() {
        if (connection instanceof Http1Connection http1) {
            http1.idle();
        }
        if (parked != null) {
            for (OriginConnection other : parked.values()) {
                if (other instanceof Http1Connection http1) {
                    http1.idle();
                }
            }
        }
    }

    private void closeConnections() {
        closeConnection();
        if (parked != null) {
            parked.values().forEach(OriginConnection::close);
            parked = null;
        }
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
        /** The version this request asked for, or null for the session's. */
        private HttpProtocol version;

        SessionRequest(String method, String path) {
            super(method, path);
        }

        @Override
        public Request version(String version) {
            HttpProtocol asked = HttpProtocol.parse(version);
            if (asked == null) {
                throw new IllegalArgumentException("HTTP version is \"1.1\", \"2\" or \"auto\", got \"" + version + "\"");
            }
            this.version = asked;
            return this;
        }

        /** The version it goes over: its own, or the session's. */
        HttpProtocol protocol() {
            return version == null ? protocol : version;
        }

        @Override
        public Response send() {
            return execute(method, path, name == null ? path : name, headers, body, checks, protocol());
        }

        UserHttpSession outer() {
            return UserHttpSession.this;
        }

        /** Starts this request as a stream of a batch, or returns null when its origin does not speak HTTP/2. */
        Batched startStream() {
            return UserHttpSession.this.startStream(this, method, path, headers, body, protocol());
        }

        /** Sends it again, on a new stream, the service having not processed the one it went on. */
        void resend(Batched batched) {
            resendStream(batched, method, headers, body);
        }

        Response finish(Batched[] batch, int index) {
            return finishStream(batch, index, method, name == null ? path : name, headers, body, checks);
        }
    }

    /** Where a connection goes and the HTTP asked for on it: one origin may have a connection of each version. */
    private record Slot(Origin origin, HttpProtocol protocol) {
    }

    /**
     * A batch's request under way: the origin (and version) it goes to, its own phase times, its stream and
     * the connection that stream is on (both replaced when it is sent again), or, once it could not go again
     * as a stream, the exchange it had instead.
     */
    private static final class Batched {
        final SessionRequest request;
        final Origin origin;
        final HttpProtocol protocol;
        final String target;
        final long start;
        final PhaseTimes phases = new PhaseTimes();
        /** Made when its stream first ends unprocessed: most never do. */
        H2Resends resends;
        H2Connection connection;
        H2Connection.H2Stream stream;
        long sendStart;
        Exchange instead;
        long insteadEnd;

        Batched(SessionRequest request, Origin origin, HttpProtocol protocol, String target, long start) {
            this.request = request;
            this.origin = origin;
            this.protocol = protocol;
            this.target = target;
            this.start = start;
        }

        /** Whether its stream, ended, goes again ({@link H2Resends}). */
        boolean resend() {
            if (!stream.unprocessed) {
                return false;
            }
            if (resends == null) {
                resends = new H2Resends();
            }
            return resends.resend(connection, stream);
        }
    }

    @Override
    public List<Response> batch(Request... requests) {
        for (Request request : requests) {
            if (!(request instanceof SessionRequest mine) || mine.outer() != this) {
                throw new IllegalArgumentException("a batch takes requests made by this user's http().request(...)");
            }
        }
        Response[] responses = new Response[requests.length];
        Batched[] started = new Batched[requests.length];
        int finishing = 0;
        try {
            for (int i = 0; i < requests.length; i++) { // all streams out first: they run side by side
                started[i] = ((SessionRequest) requests[i]).startStream();
            }
            for (; finishing < requests.length; finishing++) {
                SessionRequest request = (SessionRequest) requests[finishing];
                if (started[finishing] == null) {
                    phases = ownPhases;
                    responses[finishing] = request.send();
                } else {
                    responses[finishing] = request.finish(started, finishing);
                }
            }
        } catch (RuntimeException | Error stopped) {
            // the one being finished said so itself; the later ones started are no longer in flight either
            for (int i = finishing + 1; i < started.length; i++) {
                if (started[i] != null) {
                    sink.cancelled(System.nanoTime());
                }
            }
            throw stopped;
        } finally {
            phases = ownPhases;
        }
        return List.of(responses);
    }

    private Batched startStream(SessionRequest request, String method, String path, Map<String, String> headers,
                                byte[] body, HttpProtocol version) {
        boolean absolute = Origin.isAbsolute(path);
        Origin.Split split = absolute ? Origin.split(path) : null;
        if (absolute && split == null) {
            return null; // send() names the bad URL
        }
        long start = System.nanoTime();
        useOrigin(absolute ? split.origin() : baseOrigin, version);
        Batched batched = new Batched(request, origin, version, absolute ? split.path() : path, start);
        phases = batched.phases;
        H2Connection h2;
        try {
            h2 = connectionWithRoom();
        } catch (IOException e) {
            closeConnection();
            return null; // send() tries again and records the failure
        }
        if (h2 == null) {
            return null;
        }
        sink.started(start);
        try {
            startOn(h2, batched, method, headers, body);
            return batched;
        } catch (IOException e) {
            sink.cancelled(System.nanoTime());
            checkStopped(e);
            closeConnection();
            return null;
        }
    }

    /**
     * The user's connection to the current origin, opened if need be, once it has room for another stream;
     * null when it is not HTTP/2 or ended while waiting for room. Past the service's concurrent-stream limit
     * the next stream waits for one of the batch's to end.
     */
    private H2Connection connectionWithRoom() throws IOException {
        ensureConnected();
        return connection instanceof H2Connection h2 && (h2.canStart() || h2.awaitRoom()) ? h2 : null;
    }

    /** Sends the batch's request on a new stream of {@code h2}, the current origin's connection. */
    private void startOn(H2Connection h2, Batched batched, String method, Map<String, String> headers, byte[] body)
            throws IOException {
        writeHead(method, batched.target, headers, body);
        batched.sendStart = System.nanoTime();
        batched.connection = h2;
        batched.stream = h2.start(method, origin.hostHeader(), head.target(), head, body, options.maxBodyBytes());
    }

    /**
     * Sends a batch's request again, its last stream having ended unprocessed: on a new stream of the user's
     * connection to its origin, which is a new connection when the last one is going away (a GOAWAY), the
     * same when it only refused the stream (its limit is known by then, and kept). Its phases go on adding
     * up: the failed attempt's were added by the caller, a new connection's connecting and handshake are
     * this request's if it opens it. When no stream can take it, it is sent as a single request instead.
     */
    private void resendStream(Batched batched, String method, Map<String, String> headers, byte[] body) {
        phases = batched.phases;
        useOrigin(batched.origin, batched.protocol);
        mark = System.nanoTime();
        H2Connection h2;
        try {
            h2 = connectionWithRoom();
        } catch (IOException e) {
            checkStopped(e);
            closeConnection();
            batched.instead = Exchange.failed(ErrorNames.connectFailure(e, options.connectTimeout()), Again.NO);
            batched.insteadEnd = mark;
            return;
        }
        if (h2 == null) {
            mark = System.nanoTime();
            batched.instead = exchange(method, batched.target, headers, body);
            batched.insteadEnd = mark;
            return;
        }
        try {
            startOn(h2, batched, method, headers, body);
        } catch (IOException e) { // the connection is gone: the stream failed before it was sent whole
            addExchangePhases(batched.sendStart, Http1Connection.NOT_YET, Http1Connection.NOT_YET, exchangeEnd());
            checkStopped(e);
            closeConnection();
            batched.instead = Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()), Again.NO);
            batched.insteadEnd = mark;
        }
    }

    /**
     * Reads until {@code batch[index]}'s stream has ended. While the service did not process it (a
     * REFUSED_STREAM before any response, or above a GOAWAY's last stream; {@link H2Resends}), it goes again,
     * and so do the batch's later requests whose streams ended so meanwhile, so that they stay side by side.
     * Each failed attempt's sending and waiting stay in its request's phases.
     */
    private void awaitProcessed(Batched[] batch, int index) {
        Batched batched = batch[index];
        while (batched.instead == null) {
            batched.connection.awaitEnd(batched.stream);
            if (!batched.resend()) {
                return;
            }
            for (int i = index; i < batch.length; i++) {
                Batched other = batch[i];
                if (other != null && other.instead == null && other.stream.done
                        && (other == batched || other.resend())) {
                    other.connection.forget(other.stream); // which closes if it was its last and going away
                    phases = other.phases;
                    addExchangePhases(other.sendStart, other.stream.sentNanos, other.stream.firstByteNanos,
                            other.stream.endNanos);
                    other.request.resend(other);
                }
            }
        }
    }

    private Response finishStream(Batched[] batch, int index, String method, String name, Map<String, String> headers,
                                  byte[] body, List<Check> checks) {
        Batched batched = batch[index];
        Exchange first;
        Exchange exchange;
        long streamEnd;
        try {
            awaitProcessed(batch, index);
            phases = batched.phases;
            useOrigin(batched.origin, batched.protocol); // the later requests' resends may have used others
            if (batched.instead != null) {
                first = batched.instead;
                streamEnd = batched.insteadEnd;
            } else {
                first = awaitStream(batched);
                streamEnd = batched.stream.endNanos == Http1Connection.NOT_YET ? System.nanoTime()
                        : Math.max(batched.stream.endNanos, batched.start);
            }
            if (first.isRedirect()) {
                mark = System.nanoTime(); // where the next exchange's sending starts
            }
            exchange = followRedirects(first, method, batched.target, headers, body);
        } catch (RuntimeException | Error stopped) {
            sink.cancelled(System.nanoTime());
            throw stopped;
        }
        // a redirect followed ended when its last exchange did
        return finish(method, name, batched.start, exchange == first ? streamEnd : mark, exchange, checks);
    }

    /** The response on the batch's stream, which has ended (or the failure it ended with); its phases added. */
    private Exchange awaitStream(Batched batched) {
        H2Connection h2 = batched.connection;
        H2Connection.H2Stream stream = batched.stream;
        Exchange exchange;
        try {
            H2Connection.H2Response response = h2.await(stream);
            addExchangePhases(batched.sendStart, stream.sentNanos, stream.firstByteNanos, stream.endNanos);
            storeCookies(response.fields(), batched.target);
            exchange = new Exchange(response.status(), null, response.body(), new HeaderView(response.fields()), null,
                    Again.NO);
        } catch (IOException e) {
            addExchangePhases(batched.sendStart, stream.sentNanos, stream.firstByteNanos, stream.endNanos);
            checkStopped(e);
            exchange = Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()), Again.NO);
        }
        if (!h2.isOpen() && connection == h2) {
            closeConnection();
        }
        return exchange;
    }

    private Response execute(String method, String path, String name, Map<String, String> headers, byte[] body,
                             List<Check> checks, HttpProtocol version) {
        long start = System.nanoTime();
        mark = start;
        phases.reset();
        sink.started(start); // in flight from its actual start, whatever its latency is measured from
        if (intendedStartNanos != 0 && options.latencyFrom() == LatencyFrom.INTENDED) {
            start = Math.min(start, intendedStartNanos);
        }
        intendedStartNanos = 0;
        Exchange exchange;
        try {
            boolean absolute = Origin.isAbsolute(path);
            Origin.Split split = absolute ? Origin.split(path) : null;
            if (absolute && split == null) {
                exchange = Exchange.failed("bad URL (scheme://host[:port]/path)", Again.NO);
            } else {
                useOrigin(absolute ? split.origin() : baseOrigin, version);
                exchange = exchangeFollowingRedirects(method, absolute ? split.path() : path, headers, body);
            }
        } catch (RuntimeException | Error stopped) {
            sink.cancelled(System.nanoTime()); // no outcome to record, but no longer in flight
            throw stopped;
        }
        return finish(method, name, start, mark, exchange, checks); // mark: when its last exchange (or connect) ended
    }

    private Response finish(String method, String name, long start, long end, Exchange exchange, List<Check> checks) {
        long latencyMicros = (end - start) / 1_000;
        Response response = new Response(exchange.status, exchange.body, exchange.headers, latencyMicros, exchange.error);
        if (exchange.error == null) {
            applyChecks(response, checks, exchange.reason);
        }
        if (PHASE_TIMINGS) {
            sink.record(method, name, latencyMicros, exchange.body.length, response.error(), end, phases);
        } else {
            sink.record(method, name, latencyMicros, exchange.body.length, response.error(), end);
        }
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
        return followRedirects(exchangeWithRetry(method, path, headers, body), method, path, headers, body);
    }

    private Exchange followRedirects(Exchange first, String method, String path, Map<String, String> headers, byte[] body) {
        Exchange exchange = first;
        for (int hop = 0; hop < MAX_REDIRECTS && options.followRedirects() && exchange.isRedirect(); hop++) {
            String location = exchange.header("location");
            URI next = location == null ? null : origin.uri().resolve(path).resolve(location);
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
     * A request goes again, once, when its exchange failed in one of two ways ({@link Again}): the service
     * said it did not process it (an HTTP/2 stream refused, or above a GOAWAY's last stream); or a reused
     * connection ended before any byte of the response, as a kept-alive connection the service closed while
     * idle does (browsers send it again then too).
     */
    private Exchange exchangeWithRetry(String method, String path, Map<String, String> headers, byte[] body) {
        boolean reused = connection != null;
        Exchange exchange = exchange(method, path, headers, body);
        if (exchange.again == Again.UNPROCESSED || reused && exchange.again == Again.IF_REUSED) {
            exchange = exchange(method, path, headers, body);
        }
        return exchange;
    }

    private Exchange exchange(String method, String path, Map<String, String> headers, byte[] body) {
        try {
            ensureConnected();
        } catch (IOException e) {
            checkStopped(e);
            closeConnection();
            return Exchange.failed(ErrorNames.connectFailure(e, options.connectTimeout()), Again.NO);
        }
        boolean requestSaysClose = writeHead(method, path, headers, body);
        if (connection instanceof H2Connection h2) {
            return exchangeH2(h2, method, path, body);
        }
        Http1Connection http1 = (Http1Connection) connection;
        Http1Connection.Http1Response response;
        long sendStart = mark; // the request's start or its connect's end: between them only the head's bytes were put together
        try {
            response = http1.exchange(head.bytes(), head.length(), body, method.equals("HEAD"), options.maxBodyBytes());
            addExchangePhases(sendStart, http1.sentNanos(), http1.firstByteNanos(), exchangeEnd());
        } catch (IOException e) {
            addExchangePhases(sendStart, http1.sentNanos(), http1.firstByteNanos(), exchangeEnd());
            checkStopped(e);
            boolean beforeResponse = !http1.receivedAny() && !(e instanceof InterruptedIOException);
            closeConnection();
            return Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()),
                    beforeResponse ? Again.IF_REUSED : Again.NO);
        }
        if (response.setsCookies()) {
            storeCookies(response.fields(), path);
        }
        if (!response.persistent(requestSaysClose)) {
            http1.closeEnded();
            connection = null;
        }
        return new Exchange(response.status(), response.reason(), response.body(), new HeaderView(response.fields()), null,
                Again.NO);
    }

    /**
     * One request on an HTTP/2 connection: a stream of its own, its phases from the stream's marks
     * (connecting and the TLS handshake are counted once, by the request that opened the connection).
     * A reset stream or a too large body fails the request and keeps the connection.
     */
    private Exchange exchangeH2(H2Connection h2, String method, String path, byte[] body) {
        long sendStart = mark;
        H2Connection.H2Stream stream = null;
        H2Connection.H2Response response;
        try {
            stream = h2.start(method, origin.hostHeader(), head.target(), head, body, options.maxBodyBytes());
            if (Thread.currentThread().isVirtual()) {
                Thread.yield(); // as for HTTP/1.1: let the other users run while the service answers
            }
            response = h2.await(stream);
        } catch (IOException e) {
            addExchangePhases(sendStart, stream == null ? Http1Connection.NOT_YET : stream.sentNanos,
                    stream == null ? Http1Connection.NOT_YET : stream.firstByteNanos, exchangeEnd());
            checkStopped(e);
            if (!h2.isOpen()) {
                closeConnection();
            }
            // as for HTTP/1.1: a reused connection that failed before any of the response may be tried again
            boolean beforeResponse = (stream == null || stream.firstByteNanos == Http1Connection.NOT_YET)
                    && !(e instanceof InterruptedIOException) && !(e instanceof H2Connection.StreamReset);
            return Exchange.failed(ErrorNames.exchangeFailure(e, options.responseTimeout()), stream != null
                    && stream.unprocessed ? Again.UNPROCESSED : beforeResponse ? Again.IF_REUSED : Again.NO);
        }
        addExchangePhases(sendStart, stream.sentNanos, stream.firstByteNanos, exchangeEnd());
        storeCookies(response.fields(), path);
        if (!h2.isOpen()) {
            closeConnection();
        }
        return new Exchange(response.status(), null, response.body(), new HeaderView(response.fields()), null, Again.NO);
    }

    /** Reads the clock as an exchange ends: its receiving's end, and the request's end if it is the last. */
    private long exchangeEnd() {
        mark = System.nanoTime();
        return mark;
    }

    /** Sending, waiting and receiving from the marks the connection took; a phase not reached is 0. */
    private void addExchangePhases(long sendStart, long sent, long firstByte, long end) {
        if (!PHASE_TIMINGS) {
            return;
        }
        if (sent == Http1Connection.NOT_YET) {
            phases.add(Phase.SENDING, end - sendStart);
            return;
        }
        phases.add(Phase.SENDING, sent - sendStart);
        if (firstByte == Http1Connection.NOT_YET) {
            phases.add(Phase.WAITING, end - sent);
            return;
        }
        phases.add(Phase.WAITING, firstByte - sent);
        phases.add(Phase.RECEIVING, end - firstByte);
    }

    /**
     * Puts the request head together in {@link #head}: Host and User-Agent, the session's default
     * headers, the request's own (each replacing one of the same name), the cookies, then the body's
     * length. Returns whether it asks for the connection to be closed.
     */
    private boolean writeHead(String method, String path, Map<String, String> headers, byte[] body) {
        // A user repeating a request with nothing of its own to add sends the same bytes: keep them
        // (putting them together was 12% of a request's CPU).
        boolean plain = headers.isEmpty() && body == null && cookies == null;
        if (plain && method.equals(lastMethod) && path.equals(lastPath) && origin == lastOrigin
                && defaultsVersion == lastDefaultsVersion) {
            return lastSaysClose;
        }
        lastMethod = null;
        String target = path.isEmpty() ? "/" : path;
        int fragment = target.indexOf('#'); // a fragment is never sent
        if (fragment >= 0) {
            target = target.substring(0, fragment);
        }
        head.start(method, target);
        head.set("Host", origin.hostHeader());
        head.set("User-Agent", USER_AGENT);
        defaultHeaders.forEach(head::set);
        headers.forEach(head::set);
        head.remove("Content-Length"); // the body's framing is this session's
        head.remove("Transfer-Encoding");
        addCookies(path);
        if (body != null) {
            head.add("Content-Length", Integer.toString(body.length));
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            head.add("Content-Length", "0");
        }
        String connectionHeader = head.get("Connection");
        head.encode();
        boolean saysClose = connectionHeader != null && new HttpField("Connection", connectionHeader).contains("close");
        if (plain) {
            lastMethod = method;
            lastPath = path;
            lastOrigin = origin;
            lastDefaultsVersion = defaultsVersion;
            lastSaysClose = saysClose;
        }
        return saysClose;
    }

    /**
     * Makes {@code next}, spoken in {@code version}, the origin of the coming exchange, parking the
     * current one's connection.
     */
    private void useOrigin(Origin next, HttpProtocol version) {
        if (version == connectionProtocol && (next == origin || next.equals(origin))) {
            return;
        }
        if (parked == null) {
            parked = new HashMap<>();
        }
        if (connection != null) {
            parked.put(new Slot(origin, connectionProtocol), connection);
        }
        origin = next;
        connectionProtocol = version;
        connection = parked.remove(new Slot(next, version));
    }

    private void ensureConnected() throws IOException {
        if (connection != null && connection.isOpen()) {
            return;
        }
        // the socket goes where a connect-to entry says; the name in the URL stays the TLS name and the Host
        InetSocketAddress target = options.connectTo().address(origin.host(), origin.port());
        if (!origin.secure() && connectionProtocol != HttpProtocol.HTTP_2) {
            connectChannel(target);
            return;
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (!target.isUnresolved()) {
                socket = LoopbackSources.bindForTarget(socket, target.getAddress());
            }
            long connectStart = System.nanoTime();
            long connected;
            try {
                socket.connect(target, (int) options.connectTimeout().toMillis());
            } finally { // a refused or timed-out connect took its time too: a blackholed service shows here
                connected = System.nanoTime();
                mark = connected;
                phases.add(Phase.CONNECTING, connected - connectStart);
            }
            SelfConnect.refuse(socket);
            socket.setSoTimeout((int) options.responseTimeout().toMillis());
            if (origin.secure()) {
                try {
                    SSLSocket tls = options.tls().forHost(origin.host(), origin.port())
                            .wrap(socket, origin.host(), origin.port(), alpn());
                    tls.startHandshake();
                    String chosen = tls.getApplicationProtocol();
                    if (H2.equals(chosen)) {
                        connection = new H2Connection(tls, true);
                    } else if (connectionProtocol == HttpProtocol.HTTP_2) {
                        throw new NotNegotiated(chosen);
                    } else {
                        connection = new Http1Connection(tls, socket);
                    }
                } finally { // from the TCP connection to one ready for requests; a failed handshake took its time too
                    mark = System.nanoTime();
                    phases.add(Phase.TLS_HANDSHAKING, mark - connected);
                }
            } else if (connectionProtocol == HttpProtocol.HTTP_2) {
                connection = new H2Connection(socket, false); // h2c with prior knowledge: no upgrade round trip
            } else {
                connection = new Http1Connection(socket);
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A plain HTTP/1.1 connection: a blocking channel, which reads into and writes from the
     * connection's direct buffers ({@link ChannelWire}). Connected as the socket above is, with the
     * same phase, source address and failures.
     */
    private void connectChannel(InetSocketAddress target) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!target.isUnresolved()) {
                channel = LoopbackSources.bindForTarget(channel, target.getAddress());
            }
            long connectStart = System.nanoTime();
            try {
                if (target.isUnresolved()) {
                    throw new UnknownHostException(target.getHostName()); // as Socket.connect says it
                }
                channel.socket().connect(target, (int) options.connectTimeout().toMillis());
            } finally {
                mark = System.nanoTime();
                phases.add(Phase.CONNECTING, mark - connectStart);
            }
            SelfConnect.refuse(channel.socket());
            connection = new Http1Connection(channel, options.responseTimeout());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** What the TLS handshake offers: HTTP/1.1 alone offers nothing (the service's default is 1.1). */
    private List<String> alpn() {
        return connectionProtocol == HttpProtocol.HTTP_1_1 ? List.of() : H2_OR_HTTP1;
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
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
        return new CookieOrigin(origin.host(), origin.port(), cookiePath.isEmpty() ? "/" : cookiePath, origin.secure());
    }

    private void addCookies(String path) {
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
            for (Header header : COOKIE_SPEC.formatCookies(matching)) {
                head.add(header.getName(), header.getValue());
            }
        }
    }

    private void storeCookies(List<HttpField> fields, String path) {
        CookieOrigin origin = null;
        for (HttpField field : fields) {
            if (field.getHeader() != HttpHeader.SET_COOKIE) {
                continue;
            }
            if (origin == null) {
                origin = origin(path);
            }
            try {
                for (Cookie cookie : COOKIE_SPEC.parse(new BasicHeader(field.getName(), field.getValue()), origin)) {
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
        if (cookies != null && origin != null) {
            cookies.clearExpired(Instant.now());
        }
    }

    private boolean sameOrigin(URI uri) {
        return uri.getHost() == null || Origin.of(uri).equals(origin);
    }

    /** Whether a failed exchange's request may go again. */
    private enum Again {
        NO,
        /** No byte of a response came: again if its connection was a kept-alive one, which the service may have closed idle. */
        IF_REUSED,
        /** The service said it did not process it (RFC 9113, 8.7): safe to send again, whatever its method. */
        UNPROCESSED
    }

    private record Exchange(int status, String reason, byte[] body, Map<String, List<String>> headers, String error,
                            Again again) {

        static Exchange failed(String error, Again again) {
            return new Exchange(0, null, new byte[0], Map.of(), error, again);
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
