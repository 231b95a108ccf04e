package io.stampede.chaos.faults;

import io.stampede.StampedeException;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.FaultParams;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.chaos.http.HttpFault;
import io.stampede.chaos.http.HttpFaultSpec;
import java.time.Duration;
import java.util.List;

/**
 * Answers a share of the target's HTTP requests with an error status (503 by default), optionally
 * after a delay, only on some paths, or only for the first N requests; through the HTTP fault proxy.
 */
public record HttpError(HttpFaultSpec spec) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        HttpFault fault = target.httpProxy().add(spec);
        return new Injection() {
            @Override
            public String detail() {
                return "HTTP " + spec.status() + " for " + Math.round(spec.rate() * 100) + "% of requests"
                        + (spec.firstN() > 0 ? ", first " + spec.firstN() : "");
            }

            @Override
            public void rollback() {
                fault.remove();
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return null; // any target with a url; RunTargets puts the HTTP fault proxy in front
    }

    @Override
    public Front front() {
        return Front.HTTP;
    }

    @Override
    public String describe() {
        return "http-error " + spec.status() + (spec.rate() < 1 ? " at " + spec.rate() : "");
    }

    /** Reads {@code status, body, rate, paths, excludedPaths, delay, firstN}. */
    static HttpFaultSpec spec(FaultParams p, int defaultStatus) {
        try {
            return new HttpFaultSpec((int) p.whole("status", defaultStatus, 0, 599), p.text("body", null),
                    p.number("rate", 1, 0, 1), p.list("paths"), p.list("excludedPaths"),
                    p.duration("delay", Duration.ZERO), p.whole("firstN", 0, 0, Long.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(" ")[0];
            throw new StampedeException.BadInput(p.where(field) + ": " + e.getMessage());
        }
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("http-error", List.of("status", "body", "rate", "paths", "excludedPaths", "delay", "firstN"), true,
                    p -> new HttpError(spec(p, 503)));
        }
    }
}
