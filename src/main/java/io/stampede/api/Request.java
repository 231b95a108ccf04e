package io.stampede.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request being built; {@link #send()} sends it and records the outcome.
 *
 * <pre>{@code
 * http().request("GET", "/item/" + id)
 *       .name("/item/{id}")                 // group all items in one statistics row
 *       .header("Accept", "application/json")
 *       .check(Check.jsonField("/id", String.valueOf(id)))
 *       .send();
 * }</pre>
 */
public abstract class Request {

    protected final String method;
    protected final String path;
    protected String name;
    protected final Map<String, String> headers = new LinkedHashMap<>();
    protected byte[] body;
    protected final List<Check> checks = new ArrayList<>();

    protected Request(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** The name statistics group this request under (default: the path as given, query included, as in Locust). */
    public Request name(String name) {
        this.name = name;
        return this;
    }

    public Request header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Request body(String text, String contentType) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return header("Content-Type", contentType);
    }

    /** A JSON body, already serialized. */
    public Request json(String json) {
        return body(json, "application/json");
    }

    public Request check(Check... more) {
        checks.addAll(List.of(more));
        return this;
    }

    /**
     * The HTTP this request goes over, instead of the session's ({@link HttpSession#version}):
     * {@code "1.1"}, {@code "2"} or {@code "auto"}. It goes on this user's connection of that version
     * to its origin, so a user may keep an HTTP/1.1 and an HTTP/2 connection to one service side by
     * side and alternate between them, as k6's and Gatling's per-request versions do.
     *
     * <pre>{@code
     * http().request("GET", "/api/cart").version("2").send();
     * }</pre>
     *
     * @throws IllegalArgumentException for another value
     */
    public abstract Request version(String version);

    /** Sends the request, records it in the statistics, and returns the response. */
    public abstract Response send();
}
