package io.stampede.chaos;

import io.stampede.chaos.http.HttpFaultProxy;
import io.stampede.chaos.proxy.FaultProxy;
import java.util.Optional;

/**
 * The fault proxies Stampede put in front of a target, when a planned fault needs one; users then
 * reach the target through them (users -> HTTP proxy -> TCP proxy -> target).
 */
public record Fronts(Optional<HttpFaultProxy> http, Optional<FaultProxy> tcp) {

    /** No proxy in front. */
    public static final Fronts NONE = new Fronts(Optional.empty(), Optional.empty());

    Fronts withHttp(HttpFaultProxy proxy) {
        return new Fronts(Optional.of(proxy), tcp);
    }

    Fronts withTcp(FaultProxy proxy) {
        return new Fronts(http, Optional.of(proxy));
    }
}
