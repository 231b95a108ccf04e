package io.stampede.api;

import java.util.List;

/**
 * One user's HTTP client, like a browser: its own keep-alive connection, its own cookies, its own
 * default headers. Paths are relative to the run's host; a full URL ({@code get("https://auth:9443/token")})
 * goes to its own host, on a connection this user keeps alive beside the others, and is named in the
 * statistics by the URL as written. Every request is
 * recorded in the statistics under its name, and never throws for a network error: the failure is
 * recorded and the returned {@link Response} says what happened.
 */
public interface HttpSession {

    /** Starts building a request with any method. */
    Request request(String method, String path);

    default Response get(String path, Check... checks) {
        return request("GET", path).check(checks).send();
    }

    default Response post(String path, String body, Check... checks) {
        return request("POST", path).body(body, "text/plain; charset=utf-8").check(checks).send();
    }

    default Response put(String path, String body, Check... checks) {
        return request("PUT", path).body(body, "text/plain; charset=utf-8").check(checks).send();
    }

    default Response delete(String path, Check... checks) {
        return request("DELETE", path).check(checks).send();
    }

    default Response head(String path, Check... checks) {
        return request("HEAD", path).check(checks).send();
    }

    /**
     * Sends several requests at once, as k6's {@code http.batch} and a browser's parallel fetches do,
     * and returns their responses in the same order. On an HTTP/2 connection ({@link #version}) they
     * go as concurrent streams on the user's one connection to each origin (up to the service's
     * stream limit; the rest follow as streams end); on HTTP/1.1 one after another on the user's
     * connection. Each is recorded as its own request, its latency from the batch's start to its
     * own last byte.
     *
     * <pre>{@code
     * http().batch(http().request("GET", "/css/site.css"), http().request("GET", "/js/app.js"));
     * }</pre>
     *
     * @param requests made by this session's {@link #request}, not sent
     */
    List<Response> batch(Request... requests);

    /**
     * Opens a WebSocket to {@code path} on the run's host ({@code ws://}, or {@code wss://} when the
     * host is {@code https://}), with this session's default headers; see {@link WebSocket} for what
     * is recorded. Never throws for a network problem: a failed handshake is recorded and the
     * returned socket says why.
     */
    default WebSocket websocket(String path) {
        return websocket(path, path);
    }

    /** The same, recorded under {@code name} instead of the path (e.g. {@code /room/{id}}). */
    WebSocket websocket(String path, String name);

    /**
     * Subscribes to the server-sent event stream at {@code path}; see {@link EventStream} for what is
     * recorded. Never throws for a network problem.
     */
    default EventStream events(String path) {
        return events(path, path);
    }

    /** The same, recorded under {@code name} instead of the path. */
    EventStream events(String path, String name);

    /**
     * The HTTP this user speaks from its next connection on, over the plan's {@code http.version}:
     * {@code "1.1"}, {@code "2"} (HTTP/2: ALPN "h2" on {@code https://}, prior knowledge, h2c, on
     * {@code http://}) or {@code "auto"} (what the TLS handshake picks, as browsers and k6 do). Its
     * open connections close, so the next request connects anew. With HTTP/2 a user's requests to
     * one origin share one connection, each on a stream of its own.
     *
     * <pre>{@code
     * public void onStart() {
     *     http().version("2");
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException for another value
     */
    HttpSession version(String version);

    /** Adds a header to every later request of this user. */
    HttpSession defaultHeader(String name, String value);

    /** The value of a cookie this user holds for the host, or {@code null}. */
    String cookie(String name);

    /** Forgets all cookies (e.g. to log out). */
    void clearCookies();
}
