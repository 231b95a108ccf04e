package io.stampede.target;

import io.stampede.input.Authority;
import io.stampede.jetty.JettyServer;
import io.stampede.jetty.Routes;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The built-in demo service, the seed lab's "Flask app": a small HTTP/1.1 server to load test and
 * to break, with knobs for latency, errors and body size (see {@link DemoOptions}).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /}</td><td>200, a short HTML page ({@link #HOME_PAGE}, or {@code bodySize} bytes)</td></tr>
 *   <tr><td>{@code GET /health}</td><td>200, {@code OK} as text/plain</td></tr>
 *   <tr><td>{@code GET /item/{id}}</td><td>200, {@code {"id":"<id>","name":"item <id>"}}</td></tr>
 *   <tr><td>{@code POST /login}</td><td>200 and a {@code session} cookie</td></tr>
 *   <tr><td>{@code GET /profile}</td><td>200 with a {@code session} cookie, 401 without</td></tr>
 *   <tr><td>{@code GET /slow?ms=N}</td><td>200 after N ms (at most {@link DemoOptions#MAX_DELAY})</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>Prometheus text: requests by status and route, a latency histogram ({@link DemoMetrics})</td></tr>
 *   <tr><td>anything else</td><td>404 (405 for a known path with the wrong method)</td></tr>
 * </table>
 *
 * <p>The latency and error knobs apply to every route but {@code /metrics}: a request first waits
 * its added latency, then either gets an injected error or its normal answer. {@code /metrics}
 * answers at once and is not counted, so a scrape neither waits on the knobs nor shows in the SLI.
 *
 * <pre>{@code
 * try (DemoService service = new DemoService(DemoOptions.defaults().withPort(0))) {
 *     service.start();
 *     URI home = service.uri();   // http://127.0.0.1:<free port>/
 *     ...
 * }
 * }</pre>
 *
 * <p>It must never be the bottleneck of a benchmark, so the handler is non-blocking and lean:
 * answers are pre-encoded, nothing is logged per request, and delays are timers on Jetty's
 * scheduler rather than sleeping threads, so 10,000 slow requests cost 10,000 timers, not threads.
 */
public final class DemoService implements AutoCloseable {

    /** The body of {@code GET /} at its natural size. */
    public static final String HOME_PAGE = "<h1>Stampede demo service</h1>\n";
    /** The body of {@code GET /health}. */
    public static final String HEALTH_BODY = "OK";

    /** Load tools open connections in bursts; the JDK's default backlog of 50 would refuse some. */
    private static final int ACCEPT_QUEUE_SIZE = 1024;
    /**
     * No graceful phase on stop: it would wait for every kept-alive connection (a load test holds
     * hundreds) and for answers up to 60 s slow. Killing the service is the point of a chaos lab.
     */
    private static final Duration STOP_TIMEOUT = Duration.ZERO;
    private static final int MAX_THREADS = 200;

    private final DemoOptions options;
    private final JettyServer server;
    private volatile int port = -1;

    /** Prepares the service; nothing listens until {@link #start()}. */
    public DemoService(DemoOptions options) {
        this.options = options;
        this.server = JettyServer.on(options.host(), options.port()).threads("demo-service", MAX_THREADS)
                .acceptQueue(ACCEPT_QUEUE_SIZE).stopTimeout(STOP_TIMEOUT)
                .build(jetty -> new Service(options, jetty.getScheduler()));
    }

    /**
     * Binds the port and starts answering.
     *
     * @throws BindException if the port is taken (the message names the port and host)
     * @throws IOException   if the service cannot listen for another reason (unknown host, ...)
     */
    public void start() throws IOException {
        try {
            server.start();
        } catch (BindException failed) {
            BindException inUse = new BindException(
                    "port " + options.port() + " on " + options.host() + " is already in use");
            inUse.initCause(failed);
            throw inUse;
        }
        port = server.port();
    }

    /** The port it listens on (the chosen one when asked for port 0); -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** The base address, e.g. {@code http://127.0.0.1:5001}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + server.urlHost() + ":" + port;
    }

    /** The options it was built with. */
    public DemoOptions options() {
        return options;
    }

    /** Blocks until the service has stopped (after {@link #close()}, e.g. from a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops listening and drops open connections and in-flight answers at once. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IllegalStateException failed) {
            throw new IllegalStateException("the demo service did not stop cleanly", failed.getCause());
        }
    }

    /**
     * The routes. Non-blocking, so Jetty may run it straight on the I/O thread without a hand-off;
     * every delay goes through the scheduler and the answer is written from the timer.
     */
    private static final class Service extends Handler.Abstract.NonBlocking {

        private static final HttpField TEXT_HTML = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        private static final HttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
        private static final HttpField METRICS_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, DemoMetrics.CONTENT_TYPE);
        private static final ByteBuffer HEALTH = body(HEALTH_BODY);
        private static final ByteBuffer INJECTED_ERROR = body("injected error (--error-rate)\n");
        private static final ByteBuffer NOT_FOUND = body("not found\n");
        private static final ByteBuffer WRONG_METHOD = body("method not allowed\n");
        private static final ByteBuffer LOGGED_IN = body("logged in\n");
        private static final ByteBuffer PROFILE = body("{\"user\":\"demo\"}");
        private static final ByteBuffer UNAUTHORIZED = body("log in first: POST /login\n");
        private static final ByteBuffer BAD_SLOW = body("ms must be a whole number of milliseconds (at most 60000)\n");
        private static final ByteBuffer SLEPT = body("slept\n");
        private static final String SESSION_COOKIE = "session";
        private static final int SESSION_ID_BYTES = 16;

        private final Scheduler scheduler;
        private final ByteBuffer homePage;
        private final long latencyNanos;
        private final long jitterNanos;
        private final double errorRate;
        private final int errorStatus;
        private final Routes<Route> routes;
        private final DemoMetrics metrics = new DemoMetrics();

        /** A route's handler with its pattern, the {@code route} label of its requests. */
        private record Route(String pattern, Routes.Handler handler) {
        }

        /** The label of a request no route takes: one series however many paths clients try. */
        private static final String OTHER_ROUTE = "other";
        private static final String METRICS_PATH = "/metrics";

        Service(DemoOptions options, Scheduler scheduler) {
            this.scheduler = scheduler;
            this.homePage = homePage(options.bodySize());
            this.latencyNanos = options.latency().toNanos();
            this.jitterNanos = options.jitter().toNanos();
            this.errorRate = options.errorRate();
            this.errorStatus = options.errorStatus();
            this.routes = Routes.<Route>builder().headAsGet()
                    .get("/", route("/", (request, response, callback, params) -> send(response, callback, 200, TEXT_HTML, homePage)))
                    .get("/health", route("/health", (request, response, callback, params) -> send(response, callback, 200, TEXT_PLAIN, HEALTH)))
                    .post("/login", route("/login", (request, response, callback, params) -> login(response, callback)))
                    .get("/profile", route("/profile", (request, response, callback, params) -> profile(request, response, callback)))
                    .get("/slow", route("/slow", (request, response, callback, params) -> slow(request, response, callback)))
                    .get("/item/{id}", route("/item/{id}", (request, response, callback, params) -> item(params.get("id"), response, callback)))
                    .build();
        }

        private static Route route(String pattern, Routes.Handler handler) {
            return new Route(pattern, handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.equals(METRICS_PATH) && (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
                send(response, callback, 200, METRICS_TYPE, ByteBuffer.wrap(metrics.render()));
                return true;
            }
            callback = counted(request, response, callback, switch (routes.match(request.getMethod(), path)) {
                case Routes.Match.Found<Route> found -> found.handler().pattern();
                case Routes.Match.NotAllowed<Route> notAllowed -> OTHER_ROUTE;
                case Routes.Match.NotFound<Route> notFound -> OTHER_ROUTE;
            });
            long delayNanos = addedDelayNanos();
            if (delayNanos == 0) {
                answer(request, response, callback);
            } else {
                later(delayNanos, request, response, callback, this::answer);
            }
            return true;
        }

        /** The callback that counts the request once its answer is written (or failed: then as a 500 if no status was set). */
        private Callback counted(Request request, Response response, Callback callback, String route) {
            long begin = request.getBeginNanoTime();
            return new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    metrics.record(request.getMethod(), route, response.getStatus(), System.nanoTime() - begin);
                    super.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    int status = response.getStatus();
                    metrics.record(request.getMethod(), route, status == 0 ? 500 : status, System.nanoTime() - begin);
                    super.failed(x);
                }
            };
        }

        private void answer(Request request, Response response, Callback callback) {
            if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
                send(response, callback, errorStatus, TEXT_PLAIN, INJECTED_ERROR);
                return;
            }
            switch (routes.match(request.getMethod(), Request.getPathInContext(request))) {
                case Routes.Match.Found<Route> found -> {
                    try {
                        found.handler().handler().handle(request, response, callback, found.params());
                    } catch (Exception bug) {
                        callback.failed(bug);
                    }
                }
                case Routes.Match.NotAllowed<Route> notAllowed -> {
                    response.getHeaders().put(HttpHeader.ALLOW, notAllowed.allowHeader());
                    send(response, callback, 405, TEXT_PLAIN, WRONG_METHOD);
                }
                case Routes.Match.NotFound<Route> notFound -> send(response, callback, 404, TEXT_PLAIN, NOT_FOUND);
            }
        }

        private static void login(Response response, Callback callback) {
            byte[] id = new byte[SESSION_ID_BYTES];
            // Not a secret worth a SecureRandom: it only has to tell simulated users apart.
            ThreadLocalRandom.current().nextBytes(id);
            Response.addCookie(response, HttpCookie.build(SESSION_COOKIE, HexFormat.of().formatHex(id))
                    .path("/").httpOnly(true).build());
            send(response, callback, 200, TEXT_PLAIN, LOGGED_IN);
        }

        private static void profile(Request request, Response response, Callback callback) {
            List<HttpCookie> cookies = Request.getCookies(request);
            boolean loggedIn = cookies.stream()
                    .anyMatch(cookie -> SESSION_COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty());
            if (loggedIn) {
                send(response, callback, 200, JSON, PROFILE);
            } else {
                send(response, callback, 401, TEXT_PLAIN, UNAUTHORIZED);
            }
        }

        private void slow(Request request, Response response, Callback callback) {
            long millis;
            try {
                millis = Long.parseLong(String.valueOf(Request.extractQueryParameters(request).getValue("ms")));
            } catch (NumberFormatException notANumber) {
                millis = -1;
            }
            if (millis < 0) {
                send(response, callback, 400, TEXT_PLAIN, BAD_SLOW);
                return;
            }
            long nanos = Math.min(TimeUnit.MILLISECONDS.toNanos(millis), DemoOptions.MAX_DELAY.toNanos());
            later(nanos, request, response, callback, (req, res, cb) -> send(res, cb, 200, TEXT_PLAIN, SLEPT));
        }

        private static void item(String id, Response response, Callback callback) {
            if (id.indexOf('/') >= 0) { // an encoded '/' in the id: not an item's name
                send(response, callback, 404, TEXT_PLAIN, NOT_FOUND);
                return;
            }
            String quoted = jsonString(id);
            String json = "{\"id\":" + quoted + ",\"name\":" + jsonString("item " + id) + "}";
            send(response, callback, 200, JSON, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        }

        private static void send(Response response, Callback callback, int status, HttpField type, ByteBuffer body) {
            response.setStatus(status);
            response.getHeaders().put(type);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
            // A view per request: the shared buffers' positions must not move.
            response.write(true, body.slice(), callback);
        }

        /** The added latency of one request: latency plus or minus up to jitter, never below 0. */
        private long addedDelayNanos() {
            if (jitterNanos == 0) {
                return latencyNanos;
            }
            long offset = ThreadLocalRandom.current().nextLong(-jitterNanos, jitterNanos + 1);
            return Math.max(0, latencyNanos + offset);
        }

        private void later(long delayNanos, Request request, Response response, Callback callback, Step step) {
            scheduler.schedule(() -> {
                try {
                    step.run(request, response, callback);
                } catch (Throwable failure) {
                    callback.failed(failure);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        }

        private static ByteBuffer body(String text) {
            return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        }

        /** The home page padded with dots (and a final newline) or cut to exactly {@code size} bytes. */
        private static ByteBuffer homePage(int size) {
            byte[] page = HOME_PAGE.getBytes(StandardCharsets.UTF_8);
            byte[] sized = Arrays.copyOf(page, size);
            if (size > page.length) {
                Arrays.fill(sized, page.length, size - 1, (byte) '.');
                sized[size - 1] = '\n';
            }
            // Direct, so that large bodies are not copied into a direct buffer on every write.
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            buffer.put(sized).flip();
            return buffer.asReadOnlyBuffer();
        }

        private static String jsonString(String text) {
            StringBuilder json = new StringBuilder(text.length() + 2).append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format("\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            return json.append('"').toString();
        }

        /** One step of an answer, run now or from a timer. */
        @FunctionalInterface
        private interface Step {
            void run(Request request, Response response, Callback callback);
        }
    }

    /**
     * The command line that runs this service as a child process of the current one ({@code stampede
     * target}), with the same Java and classpath; the child exits when this process does, even after
     * {@code kill -9}, so it can never outlive the run as an orphan.
     */
    public static List<String> childCommand(URI url) {
        return List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "io.stampede.cli.Main", "target", "--host", Authority.of(url).host(), "--port", Integer.toString(Authority.of(url).port()),
                "--exit-with", Long.toString(ProcessHandle.current().pid()));
    }
}
