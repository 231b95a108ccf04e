package io.stampede.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.engine.RunEnd;
import io.stampede.events.Event;
import io.stampede.input.Addresses;
import io.stampede.jetty.Routes;
import io.stampede.report.LocustCsv;
import io.stampede.report.SummaryJson;
import io.stampede.report.html.HtmlReport;
import io.stampede.report.html.UPlot;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The UI's routes on a Jetty core handler. Reading is GET (and HEAD); changing the run is POST with
 * a JSON body, and only from the UI's own origin: a request whose {@code Origin} or
 * {@code Sec-Fetch-Site} says another site sent it is refused, and the JSON content type a page
 * elsewhere cannot send without asking first (CORS preflight, never granted here) is required.
 * Without a token the server listens on loopback only, and then also refuses a Host header that
 * is not a loopback name, so a web page cannot reach it through DNS rebinding.
 */
final class WebHandler extends Handler.Abstract {

    private static final String RESOURCES = "/io/stampede/web/";
    /** Scripts and styles come from this server only; no inline script, no outside request. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String JSON = "application/json; charset=utf-8";

    private record Asset(String resource, String contentType) {
    }

    /** An asset's bytes and their validator, read once from the jar. */
    private record Loaded(byte[] body, String etag) {
    }

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset(RESOURCES + "index.html", "text/html; charset=utf-8"),
            "/assets/live.js", new Asset(RESOURCES + "live.js", "text/javascript; charset=utf-8"),
            // the report's fault bands: one drawing for the report and the live page
            "/assets/fault-bands.js", new Asset("/io/stampede/report/html/fault-bands.js", "text/javascript; charset=utf-8"),
            "/assets/live.css", new Asset(RESOURCES + "live.css", "text/css; charset=utf-8"),
            "/assets/uPlot.iife.min.js", new Asset(UPlot.DIST + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/assets/uPlot.min.css", new Asset(UPlot.DIST + "uPlot.min.css", "text/css; charset=utf-8"));

    /** A control call's body is a handful of fields. */
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final LiveRun live;
    private final byte[] token;
    private volatile RunControl control;
    private final Routes<Routes.Handler> routes;

    /** @param token the required bearer token or basic-auth password, or null for none (loopback only) */
    WebHandler(LiveRun live, String token) {
        this.live = live;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        Routes.Builder<Routes.Handler> table = Routes.<Routes.Handler>builder().headAsGet()
                .get("/api/stats", (request, response, callback, params) -> send(request, response, callback, 200, JSON, live.state().json()))
                .get("/api/events", (request, response, callback, params) -> send(request, response, callback, 200, JSON, eventsJson()))
                .get("/api/stream", (request, response, callback, params) -> stream(request, response, callback))
                .get("/metrics", (request, response, callback, params) -> send(request, response, callback, 200, PrometheusMetrics.CONTENT_TYPE,
                        render(live.state(), s -> PrometheusMetrics.render(s, live.faultsInEffect(), live.targetStates(),
                                live.verdict(), live.chaosHalted()))))
                .get("/download/summary.json", download("summary.json", JSON))
                .get("/download/stats.csv", download("stats.csv", "text/csv; charset=utf-8"))
                .get("/download/stats_history.csv", download("stats_history.csv", "text/csv; charset=utf-8"))
                .get("/download/failures.csv", download("failures.csv", "text/csv; charset=utf-8"))
                .get("/download/exceptions.csv", (request, response, callback, params) -> exceptionsCsv(request, response, callback, live.state()))
                .get("/download/report.html", download("report.html", "text/html; charset=utf-8"));
        ASSETS.forEach((path, asset) -> table.get(path, (request, response, callback, params) -> {
            if (path.equals("/")) {
                response.getHeaders().put("Content-Security-Policy", CSP);
            }
            asset(request, response, callback, asset);
        }));
        ControlRoutes.COMMANDS.forEach((path, command) -> table.post(path,
                (request, response, callback, params) -> post(command, params, request, response, callback)));
        this.routes = table.build();
    }

    void control(RunControl control) {
        this.control = control;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        boolean mayHaveBody = !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD");
        if (mayHaveBody) {
            // until post() has read the body, a refusal ends the connection: an unread body would
            // be taken for the next request on a kept-alive one
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (token == null && !loopbackHost(request)) {
            error(request, response, callback, 403, "Host not allowed: use a loopback address (127.0.0.1, localhost or [::1])");
            return true;
        }
        if (token != null && !authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Stampede\", charset=\"UTF-8\"");
            error(request, response, callback, 401, "Authorization required: Bearer token or basic auth password");
            return true;
        }
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        try {
            switch (routes.match(method, path)) {
                case Routes.Match.Found<Routes.Handler> found -> found.handler().handle(request, response, callback, found.params());
                case Routes.Match.NotAllowed<Routes.Handler> notAllowed -> {
                    response.getHeaders().put(HttpHeader.ALLOW, notAllowed.allowHeader());
                    error(request, response, callback, 405, notAllowed.allow().contains("POST")
                            ? method + " not allowed: " + path + " changes the run, use POST"
                            : method + " not allowed on " + path);
                }
                case Routes.Match.NotFound<Routes.Handler> notFound -> error(request, response, callback, 404, "no such path: " + path);
            }
        } catch (Exception bug) {
            error(request, response, callback, 500, String.valueOf(bug.getMessage()));
        }
        return true;
    }

    private Routes.Handler download(String file, String contentType) {
        return (request, response, callback, params) -> download(request, response, callback, live.state(), file, contentType);
    }

    private void post(ControlRoutes.Command command, Routes.Params params, Request request, Response response, Callback callback) {
        byte[] body;
        try {
            // read first, refusals included, so the connection can be kept alive after any answer
            body = readBody(request);
        } catch (RunControl.ControlException e) {
            error(request, response, callback, e.status(), e.getMessage()); // too large: the connection closes
            return;
        }
        response.getHeaders().remove(HttpHeader.CONNECTION);
        String refusal = crossOrigin(request);
        if (refusal != null) {
            error(request, response, callback, 403, refusal);
            return;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(request, response, callback, 415, "send a JSON body with Content-Type: application/json ({} when there is nothing to say)");
            return;
        }
        RunControl target = control;
        if (target == null) {
            error(request, response, callback, 503, "this process takes no commands");
            return;
        }
        try {
            var result = ControlRoutes.call(command, body, params, target);
            send(request, response, callback, result.status(), JSON, LiveRun.toBytes(result.body()));
        } catch (RunControl.ControlException e) {
            error(request, response, callback, e.status(), e.getMessage());
        }
    }

    private static byte[] readBody(Request request) {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            throw new RunControl.ControlException(413, "the body is " + declared + " bytes; at most " + MAX_BODY_BYTES);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new RunControl.ControlException(413, "the body is over " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw RunControl.ControlException.badInput("the body could not be read: " + e.getMessage());
        }
    }

    /**
     * Null when the request comes from the UI's own page or from no page at all (curl, a script);
     * else why it is refused. Browsers send {@code Origin} with every POST and
     * {@code Sec-Fetch-Site} with every request.
     */
    static String crossOrigin(Request request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "cross-origin request refused (Sec-Fetch-Site: " + site + "): commands come from this UI's own page";
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return null;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        String own = request.getHttpURI().getScheme() + "://" + host;
        if (host == null || !origin.equalsIgnoreCase(own)) {
            return "cross-origin request refused (Origin: " + origin + "): commands come from this UI's own page";
        }
        return null;
    }

    private void stream(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (request.getMethod().equals("HEAD")) {
            response.write(true, null, callback);
            return;
        }
        SseClient client = new SseClient(response, callback);
        live.attach(client);
        Thread.ofVirtual().name("stampede-web-stream").start(() -> client.pump(() -> live.detach(client)));
    }

    private void download(Request request, Response response, Callback callback, LiveRun.State state,
                          String file, String contentType) {
        if (state.info() == null) {
            error(request, response, callback, 404, "the run has not started yet");
            return;
        }
        boolean finished = state.status() == LiveJson.RunState.FINISHED;
        RunEnd end = finished ? live.end() : null;
        SummaryJson.Status status = !finished ? SummaryJson.Status.RUNNING
                : end == null ? SummaryJson.Status.FINISHED : SummaryJson.Status.of(end);
        byte[] body = switch (file) {
            case "stats.csv" -> bytes(render(state, LocustCsv::stats));
            case "stats_history.csv" -> bytes(live.historyCsv());
            case "failures.csv" -> bytes(render(state, LocustCsv::failures));
            case "report.html" -> bytes(HtmlReport.render(readTree(
                    render(state, s -> SummaryJson.toBytes(state.info(), s, status, live.events(), live.verdict(), end)))));
            default -> render(state, s -> SummaryJson.toBytes(state.info(), s, status, live.events(), live.verdict(), end));
        };
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
        send(request, response, callback, 200, contentType, body);
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return LiveRun.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // our own summary always parses
        }
    }

    /** The published RunStats copy is shared by all readers: one rendering at a time. */
    private static <T> T render(LiveRun.State state, Function<RunStats, T> renderer) {
        if (state.stats() == null) {
            return renderer.apply(null == state.info() ? null : new RunStats(state.info().startEpochMillis()));
        }
        synchronized (state.stats()) {
            return renderer.apply(state.stats());
        }
    }

    private byte[] eventsJson() {
        List<Event> events = live.events();
        List<LiveJson.EventRow> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rows.add(new LiveJson.EventRow(events.get(i), i, null));
        }
        return LiveRun.toBytes(rows);
    }

    /**
     * A page asset with an ETag (its content hash): the browser asks again each time (no-cache) and
     * gets a 304 without a body while the jar is the same. No max-age: the names carry no version,
     * and an upgraded Stampede must not be served last version's script.
     */
    private static void asset(Request request, Response response, Callback callback, Asset asset) {
        Loaded loaded = LOADED.computeIfAbsent(asset.resource(), name -> {
            byte[] body = resource(name);
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
                return new Loaded(body, "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e); // every JDK has SHA-256
            }
        });
        response.getHeaders().put(HttpHeader.ETAG, loaded.etag());
        String asked = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (asked != null && Arrays.stream(asked.split(",")).map(String::strip)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals(loaded.etag()) || tag.equals("*"))) {
            response.setStatus(304);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, null, callback);
            return;
        }
        send(request, response, callback, 200, asset.contentType(), loaded.body(), "no-cache");
    }

    private static String csv(String field) {
        return field.matches("[^\",\r\n]*") ? field : "\"" + field.replace("\"", "\"\"") + "\"";
    }

    /** Locust's exceptions.csv: one row per task and exception, with its count, the most frequent first. */
    private static void exceptionsCsv(Request request, Response response, Callback callback, LiveRun.State state) {
        if (state.info() == null) {
            error(request, response, callback, 404, "the run has not started yet");
            return;
        }
        StringBuilder csv = new StringBuilder("Task,Exception,Count\n");
        LiveJson.Panels panels = state.snapshot().panels();
        List<LiveJson.ExceptionRow> rows = new ArrayList<>(
                panels == null || panels.exceptions() == null ? List.of() : panels.exceptions());
        rows.sort(Comparator.comparingLong(LiveJson.ExceptionRow::occurrences).reversed());
        for (LiveJson.ExceptionRow row : rows) {
            String key = row.task(); // "UserType.task: exception class: message"
            int colon = key.indexOf(": ");
            csv.append(csv(colon < 0 ? key : key.substring(0, colon))).append(',')
                    .append(csv(colon < 0 ? "" : key.substring(colon + 2))).append(',')
                    .append(row.occurrences()).append('\n');
        }
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"exceptions.csv\"");
        send(request, response, callback, 200, "text/csv; charset=utf-8", bytes(csv.toString()));
    }

    private static void error(Request request, Response response, Callback callback, int status, String message) {
        send(request, response, callback, status, JSON, LiveRun.toBytes(new LiveJson.Refusal(status, message)));
    }

    private static void send(Request request, Response response, Callback callback, int status, String contentType, byte[] body) {
        send(request, response, callback, status, contentType, body, "no-store");
    }

    private static void send(Request request, Response response, Callback callback, int status, String contentType,
                             byte[] body, String cacheControl) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    private boolean authorized(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null) {
            return false;
        }
        String given = null;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).strip();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                given = colon < 0 ? null : decoded.substring(colon + 1);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean loopbackHost(Request request) {
        String host = Request.getServerName(request);
        if (host == null || host.isEmpty()) {
            return true; // HTTP/1.0 without Host: not a browser on a rebound name
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = Addresses.bareHost(host);
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
