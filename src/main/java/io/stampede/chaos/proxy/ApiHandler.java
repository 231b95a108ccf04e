package io.stampede.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.chaos.proxy.toxics.Toxics;
import io.stampede.jetty.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Toxiproxy's HTTP API routes (its {@code api.go}) on a Jetty core handler: same paths, JSON, status
 * codes and error bodies; a method a path does not take is a 405 with {@code Allow}, checked before
 * the proxy is looked up, as Toxiproxy's router does. Blocking on purpose: removing a toxic waits for
 * it to hand back its data.
 */
final class ApiHandler extends Handler.Abstract {

    /** Toxiproxy bodies are a few hundred bytes; anything this large is a mistake or an attack. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String JSON = "application/json";
    private static final String BROWSER_PREFIX = "Mozilla/";

    private final ProxyCollection proxies;
    private final String version;

    ApiHandler(ProxyCollection proxies, String version) {
        this.proxies = proxies;
        this.version = version;
    }

    /** Toxiproxy's {@code api.go}, line for line. */
    private final Routes<Routes.Handler> routes = Routes.<Routes.Handler>builder()
            .get("/proxies", this::listProxies)
            .post("/proxies", this::createProxy)
            .post("/populate", this::populate)
            .post("/reset", this::reset)
            .get("/version", this::version)
            .get("/proxies/{proxy}", this::showProxy)
            .post("/proxies/{proxy}", this::updateProxy)
            .patch("/proxies/{proxy}", this::updateProxy)
            .delete("/proxies/{proxy}", this::deleteProxy)
            .get("/proxies/{proxy}/toxics", this::listToxics)
            .post("/proxies/{proxy}/toxics", this::createToxic)
            .get("/proxies/{proxy}/toxics/{toxic}", this::showToxic)
            .post("/proxies/{proxy}/toxics/{toxic}", this::updateToxic)
            .patch("/proxies/{proxy}/toxics/{toxic}", this::updateToxic)
            .delete("/proxies/{proxy}/toxics/{toxic}", this::deleteToxic)
            .build();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
        if (userAgent != null && userAgent.startsWith(BROWSER_PREFIX)) {
            // As Toxiproxy: a web page must not be able to drive the API from a user's browser.
            reply(response, callback, ApiError.FORBIDDEN, "text/plain; charset=utf-8", "User agent not allowed\n");
            return true;
        }
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        try {
            switch (routes.match(method, path)) {
                case Routes.Match.Found<Routes.Handler> found -> found.handler().handle(request, response, callback, found.params());
                case Routes.Match.NotAllowed<Routes.Handler> notAllowed -> {
                    response.getHeaders().put(HttpHeader.ALLOW, notAllowed.allowHeader());
                    throw new ApiError(ApiError.METHOD_NOT_ALLOWED, "method not allowed: " + method);
                }
                case Routes.Match.NotFound<Routes.Handler> notFound ->
                        throw new ApiError(ApiError.NOT_FOUND, "no such route: " + method + " " + path);
            }
        } catch (ApiError error) {
            replyError(response, callback, error);
        } catch (Exception bug) {
            replyError(response, callback, new ApiError(ApiError.INTERNAL, String.valueOf(bug.getMessage())));
        }
        return true;
    }

    private void listProxies(Request request, Response response, Callback callback, Routes.Params params) {
        Map<String, ObjectNode> index = new LinkedHashMap<>();
        proxies.all().forEach(proxy -> index.put(proxy.name(), ApiJson.proxy(proxy)));
        replyJson(response, callback, 200, ApiJson.MAPPER.valueToTree(index));
    }

    private void createProxy(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy created = proxies.add(ProxyCollection.Request.read(ApiJson.parse(body(request)), ""));
        replyJson(response, callback, 201, ApiJson.proxy(created));
    }

    private void reset(Request request, Response response, Callback callback, Routes.Params params) {
        proxies.reset();
        reply(response, callback, 204, null, null);
    }

    private void version(Request request, Response response, Callback callback, Routes.Params params) {
        reply(response, callback, 200, JSON + ";charset=utf-8", "{\"version\": \"" + version + "\"}\n");
    }

    private void showProxy(Request request, Response response, Callback callback, Routes.Params params) {
        replyJson(response, callback, 200, ApiJson.proxy(proxies.get(params.get("proxy"))));
    }

    private void updateProxy(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy proxy = proxies.get(params.get("proxy"));
        updateProxy(proxy, ApiJson.object(ApiJson.parse(body(request)), "a proxy"));
        replyJson(response, callback, 200, ApiJson.proxy(proxy));
    }

    private void deleteProxy(Request request, Response response, Callback callback, Routes.Params params) {
        proxies.remove(params.get("proxy"));
        reply(response, callback, 204, null, null);
    }

    private void listToxics(Request request, Response response, Callback callback, Routes.Params params) {
        replyJson(response, callback, 200, ApiJson.toxics(proxies.get(params.get("proxy")).toxics()));
    }

    private void createToxic(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy proxy = proxies.get(params.get("proxy"));
        replyJson(response, callback, 200, ApiJson.toxic(addToxic(proxy, body(request))));
    }

    private void showToxic(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy proxy = proxies.get(params.get("proxy"));
        replyJson(response, callback, 200, ApiJson.toxic(toxic(proxy, params.get("toxic"))));
    }

    private void updateToxic(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy proxy = proxies.get(params.get("proxy"));
        ToxicSpec current = toxic(proxy, params.get("toxic"));
        JsonNode json = ApiJson.object(ApiJson.parse(body(request)), "a toxic");
        double toxicity = ApiJson.number(json, "toxicity", current.toxicity());
        Map<String, Long> attributes = new LinkedHashMap<>(current.attributes());
        attributes.putAll(ApiJson.attributes(json));
        ToxicSpec updated;
        try {
            updated = proxy.updateToxic(current.withToxicity(toxicity).withAttributes(attributes));
        } catch (IllegalArgumentException bad) {
            throw ApiError.badBody(bad.getMessage());
        } catch (NoSuchElementException gone) {
            throw ApiError.toxicNotFound();
        }
        replyJson(response, callback, 200, ApiJson.toxic(updated));
    }

    private void deleteToxic(Request request, Response response, Callback callback, Routes.Params params) {
        FaultProxy proxy = proxies.get(params.get("proxy"));
        try {
            proxy.removeToxic(params.get("toxic"));
        } catch (NoSuchElementException gone) {
            throw ApiError.toxicNotFound();
        }
        reply(response, callback, 204, null, null);
    }

    /** Toxiproxy's checks, in its order: body, stream, type, name taken, then attributes. */
    private static ToxicSpec addToxic(FaultProxy proxy, byte[] body) {
        JsonNode json = ApiJson.object(ApiJson.parse(body), "a toxic");
        String name = ApiJson.text(json, "name", "");
        String type = ApiJson.text(json, "type", "");
        String streamName = ApiJson.text(json, "stream", ToxicSpec.Stream.DOWNSTREAM.wireName());
        double toxicity = ApiJson.number(json, "toxicity", 1.0);
        ToxicSpec.Stream stream;
        try {
            stream = ToxicSpec.Stream.parse(streamName);
        } catch (IllegalArgumentException invalid) {
            throw ApiError.invalidStream();
        }
        try {
            Toxics.type(type);
        } catch (IllegalArgumentException unknown) {
            throw ApiError.invalidToxicType(unknown.getMessage());
        }
        String effectiveName = name.isBlank() ? type + "_" + stream.wireName() : name;
        if (proxy.toxics().stream().anyMatch(toxic -> toxic.name().equals(effectiveName))) {
            throw ApiError.toxicExists();
        }
        Map<String, Long> attributes = ApiJson.attributes(json);
        try {
            return proxy.addToxic(new ToxicSpec(name, type, stream, toxicity, attributes));
        } catch (IllegalArgumentException bad) {
            throw ApiError.badBody(bad.getMessage());
        } catch (IllegalStateException takenOrClosed) {
            // Taken by a concurrent request, or the proxy was deleted meanwhile.
            throw proxy.toxics().stream().anyMatch(toxic -> toxic.name().equals(effectiveName))
                    ? ApiError.toxicExists() : ApiError.proxyNotFound();
        }
    }

    private static void updateProxy(FaultProxy proxy, JsonNode json) {
        String listen = ApiJson.text(json, "listen", proxy.listen());
        String upstream = ApiJson.text(json, "upstream", proxy.upstream());
        boolean enabled = ApiJson.bool(json, "enabled", proxy.enabled());
        if (!listen.equals(proxy.listen()) || !upstream.equals(proxy.upstream())) {
            try {
                proxy.retarget(listen, upstream);
            } catch (IllegalArgumentException badAddress) {
                throw ApiError.badBody(badAddress.getMessage());
            } catch (UncheckedIOException cannotListen) {
                throw new ApiError(ApiError.INTERNAL, cannotListen.getMessage());
            }
        }
        ProxyCollection.enable(proxy, enabled);
    }

    private void populate(Request request, Response response, Callback callback, Routes.Params params) {
        byte[] body = body(request);
        List<FaultProxy> created = new ArrayList<>();
        ObjectNode json = ApiJson.MAPPER.createObjectNode();
        int status = 201;
        try {
            JsonNode array = ApiJson.parse(body);
            if (!array.isArray()) {
                throw ApiError.badBody("populate takes a JSON array of proxies");
            }
            List<ProxyCollection.Request> requests = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                requests.add(ProxyCollection.Request.read(array.get(i), " at proxy " + (i + 1)));
            }
            proxies.populate(requests, created);
        } catch (ApiError error) {
            // Toxiproxy answers a failed populate with the error and the proxies made before it.
            json.setAll(ApiJson.error(error));
            status = error.status();
        }
        json.set("proxies", ApiJson.proxies(created));
        replyJson(response, callback, status, json);
    }

    private static ToxicSpec toxic(FaultProxy proxy, String name) {
        return proxy.toxics().stream()
                .filter(toxic -> toxic.name().equals(name))
                .findFirst()
                .orElseThrow(ApiError::toxicNotFound);
    }

    private static byte[] body(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw ApiError.badBody("larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException unreadable) {
            throw ApiError.badBody(String.valueOf(unreadable.getMessage()));
        }
    }

    private static void replyJson(Response response, Callback callback, int status, JsonNode json) {
        reply(response, callback, status, JSON, json.toString());
    }

    private static void replyError(Response response, Callback callback, ApiError error) {
        // Toxiproxy writes its errors with Go's http.Error, which ends them with a newline.
        reply(response, callback, error.status(), JSON, ApiJson.error(error) + "\n");
    }

    private static void reply(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        if (body == null) {
            callback.succeeded();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
