package io.stampede.plan;

import io.stampede.slo.SloSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
            failures = switch (failuresNode.text().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "exclude" -> SloSpec.FailedRequests.EXCLUDE;
                case "bad" -> SloSpec.FailedRequests.BAD;
                default -> throw failuresNode.error("'failures' is 'exclude' (failed requests left out, the default) or 'bad', got '"
                        + failuresNode.text() + "'");
            };
        }
        Optional<String> filterName = Optional.empty();
        Optional<String> filterMethod = Optional.empty();
        if (fields.containsKey("filter")) {
            Map<String, YamlNode> filter = fields.get("filter").object(FILTER_KEYS);
            if (filter.containsKey("name")) filterName = Optional.of(filter.get("name").text());
            if (filter.containsKey("method")) filterMethod = Optional.of(filter.get("method").text().toUpperCase(java.util.Locale.ROOT));
        }
        return new SloSpec(name, objective, latency, filterName, filterMethod, item.where(), failures);
    }

    /** {@code 99.5%}, {@code 99.5} or {@code "99.5 %"}: a percentage strictly between 0 and 100. */
    private static double objective(YamlNode node) {
        String text = node.text().strip();
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw node.error("an objective is a percentage such as 99.5%, got '" + text + "'");
        }
        if (!(value > 0 && value < 100)) {
            throw node.error("an objective is between 0% and 100% (both excluded), got " + text);
        }
        return value;
    }
}
