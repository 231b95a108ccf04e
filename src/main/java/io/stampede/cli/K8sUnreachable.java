package io.stampede.cli;

import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.Fault;
import io.stampede.plan.PlanDraft;
import io.stampede.target.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code https://} targets a plan puts a fault proxy in front of. Workers are sent such a target's URL
 * with its own name and the proxy's port (the name is what they send as SNI and check the certificate
 * against), and resolve the name themselves: in a worker pod it names the coordinator's pod only where the
 * user has arranged it, which no rendered object does. The render says so, one line per target.
 */
final class K8sUnreachable {

    private K8sUnreachable() {
    }

    static List<String> warnings(PlanDraft draft) {
        List<String> names = draft.targets().stream().map(TargetSpec::name).toList();
        Map<String, String> faultsByTarget = new LinkedHashMap<>();
        for (ChaosSpec entry : draft.chaos()) {
            if (entry.fault().front() != Fault.Front.NONE) {
                for (String name : ChaosEngine.matching(entry.target(), names)) {
                    faultsByTarget.merge(name, entry.kind(), (a, b) -> a.contains(b) ? a : a + ", " + b);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        for (TargetSpec target : draft.targets()) {
            String faults = faultsByTarget.get(target.name());
            if (faults != null && target.url() != null && "https".equalsIgnoreCase(target.url().getScheme())) {
                warnings.add("warning: target " + target.name() + " (" + target.url() + ") is behind the coordinator's fault proxy ("
                        + faults + "): workers are sent its name, " + target.url().getHost() + ", with the proxy's port, and"
                        + " reach the proxy only where that name resolves to the coordinator's pod, which these manifests do"
                        + " not arrange (README: A distributed run on Kubernetes or Compose)");
            }
        }
        return warnings;
    }
}
