package io.stampede.jetty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * A server's route table: method, path pattern, handler, one line each, in the order they are
 * tried. A pattern is a path whose segments are literal or named, {@code /proxies/{proxy}/toxics};
 * a named segment matches one non-empty segment, percent-decoded, and the handler reads it with
 * {@link Params#get}. A path that no pattern matches is {@link Match.NotFound}; a path some pattern
 * matches with another method is {@link Match.NotAllowed}, with the methods that would do for the
 * {@code Allow} header. What a 404 or 405 says is the server's own.
 *
 * <pre>{@code
 * Routes<Handler> routes = Routes.<Handler>builder()
 *         .get("/proxies", this::list)
 *         .post("/proxies", this::create)
 *         .get("/proxies/{proxy}", this::show)
 *         .build();
 * switch (routes.match(request.getMethod(), Request.getPathInContext(request))) { ... }
 * }</pre>
 *
 * @param <H> the handler type: each server calls its handlers with what they need
 */
public final class Routes<H> {

    /** The usual handler: Jetty's request, response and callback, and the path's named segments. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Response response, Callback callback, Params params) throws Exception;
    }

    /** The named segments of a matched path. */
    public record Params(Map<String, String> values) {

        static final Params NONE = new Params(Map.of());

        /** The decoded segment named {@code name} in the pattern. */
        public String get(String name) {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("the route has no segment {" + name + "}");
            }
            return value;
        }
    }

    /** One line of the table. */
    public record Route<H>(String method, String pattern, H handler) {
    }

    /** What the table says about a request. */
    public sealed interface Match<H> {
        record Found<H>(H handler, Params params) implements Match<H> {
        }

        record NotFound<H>() implements Match<H> {
        }

        /** @param allow the methods the path takes, in the table's order, for the {@code Allow} header */
        record NotAllowed<H>(Set<String> allow) implements Match<H> {

            public String allowHeader() {
                return String.join(", ", allow);
            }
        }
    }

    private final List<Route<H>> routes;
    private final List<String[]> segments = new ArrayList<>();
    /** Routes without named segments, by path: the common case costs one lookup. */
    private final Map<String, List<Route<H>>> literal = new HashMap<>();
    private final Map<Route<H>, Match.Found<H>> found = new IdentityHashMap<>();
    private final boolean headAsGet;

    private Routes(List<Route<H>> routes, boolean headAsGet) {
        this.routes = List.copyOf(routes);
        this.headAsGet = headAsGet;
        for (Route<H> route : this.routes) {
            String[] parts = split(route.pattern());
            segments.add(parts);
            if (route.pattern().indexOf('{') < 0) {
                literal.computeIfAbsent(route.pattern(), p -> new ArrayList<>()).add(route);
                found.put(route, new Match.Found<>(route.handler(), Params.NONE));
            }
        }
    }

    public static <H> Builder<H> builder() {
        return new Builder<>();
    }

    /** The table, in its order. */
    public List<Route<H>> routes() {
        return routes;
    }

    /** The route for {@code method} and {@code path} (as Jetty gives it, still percent-encoded per segment). */
    public Match<H> match(String method, String path) {
        String asked = headAsGet && method.equals("HEAD") ? "GET" : method;
        Set<String> allow = null; // made only for a 405: a hit allocates nothing but its params
        List<Route<H>> exact = literal.get(path);
        if (exact != null) {
            for (int i = 0; i < exact.size(); i++) {
                Route<H> route = exact.get(i);
                if (route.method().equals(asked)) {
                    return found.get(route);
                }
                allow = allowed(allow, route.method());
            }
        }
        String[] parts = null;
        for (int i = 0; i < routes.size(); i++) {
            Route<H> route = routes.get(i);
            if (route.pattern().indexOf('{') < 0) {
                continue;
            }
            if (parts == null) {
                parts = split(path);
            }
            Params params = params(segments.get(i), parts);
            if (params == null) {
                continue;
            }
            if (route.method().equals(asked)) {
                return new Match.Found<>(route.handler(), params);
            }
            allow = allowed(allow, route.method());
        }
        return allow == null ? new Match.NotFound<>() : new Match.NotAllowed<>(Collections.unmodifiableSet(allow));
    }

    private Set<String> allowed(Set<String> allow, String method) {
        Set<String> methods = allow == null ? new LinkedHashSet<>() : allow;
        methods.add(method);
        if (headAsGet && method.equals("GET")) {
            methods.add("HEAD");
        }
        return methods;
    }

    private static Params params(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> values = null;
        for (int i = 0; i < pattern.length; i++) {
            String want = pattern[i];
            if (want.startsWith("{") && want.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                if (values == null) {
                    values = new HashMap<>();
                }
                values.put(want.substring(1, want.length() - 1), URIUtil.decodePath(path[i]));
            } else if (!want.equals(path[i])) {
                return null;
            }
        }
        return values == null ? Params.NONE : new Params(Map.copyOf(values));
    }

    /** "/a/b/" is "a", "b", "": a trailing slash is a segment of its own, as in Toxiproxy's router. */
    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Lines in the order they are tried. */
    public static final class Builder<H> {

        private final List<Route<H>> routes = new ArrayList<>();
        private boolean headAsGet;

        private Builder() {
        }

        /** HEAD is answered by the GET routes (without the body), and {@code Allow} says so. */
        public Builder<H> headAsGet() {
            this.headAsGet = true;
            return this;
        }

        public Builder<H> get(String pattern, H handler) {
            return route("GET", pattern, handler);
        }

        public Builder<H> post(String pattern, H handler) {
            return route("POST", pattern, handler);
        }

        public Builder<H> patch(String pattern, H handler) {
            return route("PATCH", pattern, handler);
        }

        public Builder<H> delete(String pattern, H handler) {
            return route("DELETE", pattern, handler);
        }

        public Builder<H> route(String method, String pattern, H handler) {
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route's pattern starts with '/': " + pattern);
            }
            routes.add(new Route<>(method, pattern, handler));
            return this;
        }

        public Routes<H> build() {
            return new Routes<>(routes, headAsGet);
        }
    }
}
