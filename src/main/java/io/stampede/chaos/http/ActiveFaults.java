package io.stampede.chaos.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults of one proxy, in the order they were added, and the one rule that combines them.
 * Copy-on-write: faults change a few times a run, requests read them thousands of times a second.
 */
final class ActiveFaults {

    private final List<HttpFault> faults = new CopyOnWriteArrayList<>();

    HttpFault add(HttpFaultSpec spec) {
        HttpFault fault = new HttpFault(spec, faults::remove);
        faults.add(fault);
        return fault;
    }

    boolean isEmpty() {
        return faults.isEmpty();
    }

    List<HttpFaultSpec> specs() {
        return faults.stream().map(HttpFault::spec).toList();
    }

    void removeAll() {
        faults.forEach(HttpFault::remove);
    }

    /**
     * What happens to one request. Faults are asked in the order they were added: every one that
     * covers the path and is drawn adds its delay; the first drawn fault with an error decides the
     * answer, and later error faults are not asked at all (so they neither count the request nor
     * spend their firstN budget on it).
     */
    Decision decide(String path) {
        long delayNanos = 0;
        HttpFault error = null;
        for (HttpFault fault : faults) {
            if (error != null && fault.spec().injectsError()) {
                continue;
            }
            if (!fault.spec().covers(path) || !fault.tryAffect()) {
                continue;
            }
            delayNanos += fault.delayNanos();
            if (fault.spec().injectsError()) {
                error = fault;
            }
        }
        return delayNanos == 0 && error == null ? Decision.PASS : new Decision(delayNanos, error);
    }

    /**
     * @param delayNanos added before answering or forwarding
     * @param error      the fault whose error answers the request, or null to forward it
     */
    record Decision(long delayNanos, HttpFault error) {
        static final Decision PASS = new Decision(0, null);
    }
}
