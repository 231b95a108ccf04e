package io.stampede.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proxies an API server manages, by name: Toxiproxy's ProxyCollection. Failures are {@link
 * ApiError}s with Toxiproxy's statuses; a port that cannot be bound is a 500, as in Toxiproxy.
 */
final class ProxyCollection {

    private final Map<String, FaultProxy> proxies = new TreeMap<>();

    /** One proxy as a create or populate request describes it. */
    record Request(String name, String listen, String upstream, boolean enabled) {

        /** Reads {@code {"name", "listen", "upstream", "enabled"}}; {@code where} qualifies "missing" messages. */
        static Request read(JsonNode json, String where) {
            ApiJson.object(json, "a proxy");
            String name = ApiJson.text(json, "name", "");
            String listen = ApiJson.text(json, "listen", "");
            String upstream = ApiJson.text(json, "upstream", "");
            boolean enabled = ApiJson.bool(json, "enabled", true);
            if (name.isEmpty()) {
                throw ApiError.missingField("name" + where);
            }
            if (upstream.isEmpty()) {
                throw ApiError.missingField("upstream" + where);
            }
            return new Request(name, listen, upstream, enabled);
        }
    }

    synchronized List<FaultProxy> all() {
        return List.copyOf(proxies.values());
    }

    synchronized FaultProxy get(String name) {
        FaultProxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiError.proxyNotFound();
        }
        return proxy;
    }

    synchronized FaultProxy add(Request request) {
        if (proxies.containsKey(request.name())) {
            throw ApiError.proxyExists();
        }
        FaultProxy proxy = create(request);
        proxies.put(request.name(), proxy);
        return proxy;
    }

    synchronized void remove(String name) {
        FaultProxy proxy = proxies.remove(name);
        if (proxy == null) {
            throw ApiError.proxyNotFound();
        }
        proxy.close();
    }

    /**
     * Toxiproxy's populate: every request is checked first, then each proxy is created, kept if one
     * of that name already has the same addresses, or replaced if its addresses differ.
     *
     * @param created receives the proxies in the order of the requests, also when one fails
     */
    synchronized void populate(List<Request> requests, List<FaultProxy> created) {
        for (Request request : requests) {
            FaultProxy existing = proxies.get(request.name());
            if (existing != null && sameAddresses(existing, request)) {
                created.add(existing);
                continue;
            }
            if (existing != null) {
                proxies.remove(request.name());
                existing.close();
            }
            FaultProxy proxy = create(request);
            proxies.put(request.name(), proxy);
            created.add(proxy);
        }
    }

    /** Toxiproxy's reset: every proxy enabled again and without toxics. */
    synchronized void reset() {
        for (FaultProxy proxy : proxies.values()) {
            enable(proxy, true);
            proxy.removeAllToxics();
        }
    }

    /** Closes every proxy and forgets them (the server is stopping). */
    synchronized void closeAll() {
        proxies.values().forEach(FaultProxy::close);
        proxies.clear();
    }

    /** Enables or disables, turning a bind failure into Toxiproxy's 500. */
    static void enable(FaultProxy proxy, boolean on) {
        try {
            proxy.enabled(on);
        } catch (UncheckedIOException cannotListen) {
            throw new ApiError(ApiError.INTERNAL, cannotListen.getMessage());
        }
    }

    private static boolean sameAddresses(FaultProxy proxy, Request request) {
        String listen = request.listen().isEmpty() ? HostPort.LOOPBACK + ":0" : request.listen();
        boolean sameListen = listen.equals(proxy.listen()) || listen.equals(proxy.requestedListen());
        return sameListen && request.upstream().equals(proxy.upstream());
    }

    private static FaultProxy create(Request request) {
        try {
            return FaultProxy.create(request.name(), request.listen(), request.upstream(), request.enabled());
        } catch (IllegalArgumentException badAddress) {
            throw ApiError.badBody(badAddress.getMessage());
        } catch (UncheckedIOException cannotListen) {
            throw new ApiError(ApiError.INTERNAL, cannotListen.getMessage());
        }
    }
}
