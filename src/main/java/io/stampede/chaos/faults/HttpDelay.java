package io.stampede.chaos.faults;

import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Injection;
import io.stampede.chaos.TargetHandle;
import io.stampede.chaos.http.HttpFault;
import io.stampede.chaos.http.HttpFaultSpec;
import java.util.List;

/** Delays a share of the target's HTTP requests before they are forwarded; through the HTTP fault proxy. */
public record HttpDelay(HttpFaultSpec spec) implements Fault {

    @Override
    public Injection inject(TargetHandle target) {
        HttpFault fault = target.httpProxy().add(spec);
        return new Injection() {
            @Override
            public String detail() {
                return "+" + spec.delay().toMillis() + " ms for " + Math.round(spec.rate() * 100) + "% of requests";
            }

            @Override
            public void rollback() {
                fault.remove();
            }
        };
    }

    @Override
    public String unsupportedOn(TargetHandle.Kind kind) {
        return null;
    }

    @Override
    public Front front() {
        return Front.HTTP;
    }

    @Override
    public String describe() {
        return "http-delay " + spec.delay().toMillis() + "ms";
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends FaultFactory.Simple {
        public Factory() {
            super("http-delay", List.of("delay", "rate", "paths", "excludedPaths", "firstN"), true,
                    p -> new HttpDelay(HttpError.spec(p, HttpFaultSpec.NO_ERROR)));
        }
    }
}
