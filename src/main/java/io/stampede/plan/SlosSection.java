package io.stampede.plan;

import io.stampede.slo.SloSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the plan's {@code slos:} list:
 * {@code { name, objective: 99.5%, latencyBelow: 300ms, failures: exclude | bad, filter: { name, method } }}.
 */
final class SlosSection {

    static final List<String> SLO_KEYS = List.of("name", "objective", "latencyBelow", "failures", "filter",
            "period"); // read by PolicySection
    static final List<String> FILTER_KEYS = List.of("name", "method");

    private SlosSection() {
    }

    /** The SLOs; each entry's first problem goes to {@code problems}, and that entry is left out. */
    static List<SloSpec> read(YamlNode node, List<String> problems) {
        List<SloSpec> slos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : node.array()) {
            PlanFile.collect(problems, () -> slos.add(slo(item, names, slos.size())));
        }
        return slos;
    }

    private static SloSpec slo(YamlNode item, Set<String> names, int index) {
        Map<String, YamlNode> fields = item.object(SLO_KEYS);
        if (!fields.containsKey("objective")) {
            throw item.error("'objective' is required, e.g. objective: 99.5%");
        }
        String name = fields.containsKey("name") ? fields.get("name").text() : "slo-" + (index + 1);
        if (!names.add(name)) {
            throw item.error("two SLOs are named '" + name + "'");
        }
        double objective = objective(fields.get("objective"));
        Optional<Duration> latency = Optional.empty();
        if (fields.containsKey("latencyBelow")) {
            Duration bound = PlanFile.duration(fields.get("latencyBelow"));
            if (bound.isZero()) {
                throw fields.get("latencyBelow").error("must be longer than 0");
            }
            latency = Optional.of(bound);
        }
        SloSpec.FailedRequests failures = SloSpec.FailedRequests.EXCLUDE;
        if (fields.containsKey("failures")) {
            YamlNode failuresNode = fields.get("failures");
            if (latency.isEmpty()) {
                throw failuresNode.error("'failures' applies to a latency SLO (with latencyBelow); an availability SLO counts every failure as bad");
            }
            try {
                failures = SloSpec.FailedRequests.parse(failuresNode.text());
            } catch (IllegalArgumentException e) {
                throw failuresNode.error(e.getMessage());
            }
        }
        Optional<String> filterName = Optional.empty();
        Optional<String> filterMethod = Optional.empty();
        if (fields.containsKey("filter")) {
            Map<String, YamlNode> filter = fields.get("filter").object(FILTER_KEYS);
            if (filter.containsKey("name")) filterName = Optional.of(filter.get("name").text());
            if (filter.containsKey("method")) filterMethod = Optional.of(filter.get("method").text().toUpperCase(Locale.ROOT));
        }
        return new SloSpec(name, objective, latency, filterName, filterMethod, item.where(), failures);
    }

    /** The objective with SloSpec's rules; a bad one is named at its node. */
    private static double objective(YamlNode node) {
        try {
            return SloSpec.objective(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }
}
