package io.stampede.plan;

import io.stampede.ledger.Periods;
import io.stampede.slo.PrometheusSli;
import io.stampede.slo.SloSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
 * {@code { name, objective: 99.5%, latencyBelow: 300ms, failures: exclude | bad, filter: { name, method } }},
 * or a server-side SLO: {@code { name, objective: 99%, prometheus: { url, good: PromQL, total: PromQL, step: 1s } }}.
 */
final class SlosSection {

    static final List<String> SLO_KEYS = List.of("name", "objective", "latencyBelow", "failures", "filter",
            "period", // the ledger's: LedgerSpec
            "prometheus",
            "openslo"); // an OpenSLO v1 SLO document, with prometheus: { url, step }
    static final List<String> PROMETHEUS_KEYS = List.of("url", "good", "total", "step");
    static final List<String> OPENSLO_KEYS = List.of("openslo", "prometheus", "period");
    static final List<String> FILTER_KEYS = List.of("name", "method");

    private SlosSection() {
    }

    /**
     * The SLOs; each entry's first problem goes to {@code problems}, and that entry is left out. Each
     * SLO's {@code period} goes to {@code periods} under the SLO's name (an OpenSLO entry's is its file's
     * {@code metadata.name}, known only once the file is read).
     */
    static List<SloSpec> read(YamlNode node, Path planFile, List<String> problems, Map<String, Duration> periods) {
        List<SloSpec> slos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : node.array()) {
            PlanFile.collect(problems, () -> {
                SloSpec slo = item.kind() == YamlNode.Kind.OBJECT && item.anyObject().containsKey("openslo")
                        ? openSlo(item, planFile, names) : slo(item, names, slos.size());
                YamlNode period = item.anyObject().get("period");
                if (period != null) {
                    periods.put(slo.name(), period(period));
                }
                slos.add(slo);
            });
        }
        return slos;
    }

    /** The period of the SLO's budget in the ledger, with the ledger's rules. */
    private static Duration period(YamlNode node) {
        try {
            return Periods.parse(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** {@code { openslo: file.yaml, prometheus: { url, step } }}: the file says the rest. */
    private static SloSpec openSlo(YamlNode item, Path planFile, Set<String> names) {
        Map<String, YamlNode> fields = item.object(OPENSLO_KEYS);
        Map<String, YamlNode> source = fields.containsKey("prometheus")
                ? fields.get("prometheus").object(List.of("url", "step")) : Map.of();
        Optional<URI> url = source.containsKey("url") ? Optional.of(url(source.get("url"))) : Optional.empty();
        SloSpec slo = OpenSloFile.read(PlanFile.resolve(planFile, fields.get("openslo").text()), url, step(source.get("step")),
                item);
        if (!names.add(slo.name())) {
            throw item.error("two SLOs are named '" + slo.name() + "'");
        }
        return slo;
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
        Optional<PrometheusSli> prometheus = Optional.empty();
        if (fields.containsKey("prometheus")) {
            for (String usersOnly : List.of("latencyBelow", "failures", "filter")) {
                if (fields.containsKey(usersOnly)) {
                    throw fields.get(usersOnly).error("'" + usersOnly + "' is for an SLO over the users' requests; a 'prometheus'"
                            + " SLO says what is good in its 'good' query");
                }
            }
            prometheus = Optional.of(prometheus(fields.get("prometheus")));
        }
        return new SloSpec(name, objective, latency, filterName, filterMethod, item.where(), failures, prometheus);
    }

    private static PrometheusSli prometheus(YamlNode node) {
        Map<String, YamlNode> fields = node.object(PROMETHEUS_KEYS);
        for (String key : List.of("url", "good", "total")) {
            if (!fields.containsKey(key) || fields.get(key).text().isBlank()) {
                throw node.error("'" + key + "' is required, e.g. prometheus: { url: http://127.0.0.1:9090,"
                        + " good: 'sum(http_requests_total{code!~\"5..\"})', total: 'sum(http_requests_total)' }");
            }
        }
        return new PrometheusSli(url(fields.get("url")), fields.get("good").text().strip(), fields.get("total").text().strip(),
                step(fields.get("step")));
    }

    static URI url(YamlNode urlNode) {
        URI url;
        try {
            url = new URI(urlNode.text().strip());
        } catch (URISyntaxException e) {
            throw urlNode.error("not a URL: " + e.getMessage());
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw urlNode.error("Prometheus's URL is http://host:port, got '" + urlNode.text() + "'");
        }
        return url;
    }

    /** The poll's step; the default when the key is absent (null). */
    private static Duration step(YamlNode node) {
        if (node == null) {
            return PrometheusSli.DEFAULT_STEP;
        }
        Duration step = PlanFile.duration(node);
        if (step.toMillis() < 1) {
            throw node.error("must be at least 1ms");
        }
        return step;
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
