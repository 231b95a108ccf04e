package io.stampede.plan;

import io.stampede.StampedeException;
import io.stampede.chaos.GuardSpec;
import io.stampede.chaos.HaltCondition;
import io.stampede.chaos.HaltGuard;
import io.stampede.input.Addresses;
import io.stampede.input.Durations;
import io.stampede.input.Problems;
import io.stampede.slo.SloSpec;
import io.stampede.slo.threshold.InvalidThresholdException;
import io.stampede.slo.threshold.ThresholdSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the plan's {@code halt:} and {@code steady:}, what guards the chaos schedule:
 *
 * <pre>
 * halt:
 *   when:
 *     - { slo: availability, budgetLeftBelow: 50% }
 *     - { slo: availability, burnRateAbove: 10, window: 30s }
 *     - { metric: http_req_failed, threshold: "rate&lt;0.2", window: 10s }
 *     - { probe: /health, failuresInARow: 3, timeout: 1s }
 *     - { prometheus: 'sum(rate(http_requests_total{code=~"5.."}[10s])) &gt; 1', url: http://127.0.0.1:9090, timeout: 1s }
 *   then: continue            # or stop: the users stop too
 * steady: { hold: 10s, within: 60s }
 * </pre>
 *
 * A condition has one kind key (budgetLeftBelow, burnRateAbove, threshold, probe or prometheus) and that kind's other keys; names of
 * SLOs are checked against the plan's {@code slos:}.
 */
final class HaltSection {

    static final List<String> HALT_KEYS = List.of("when", "then");
    static final List<String> STEADY_KEYS = List.of("hold", "within");
    static final List<String> KINDS = List.of("budgetLeftBelow", "burnRateAbove", "threshold", "probe", "prometheus");
    static final List<String> BUDGET_KEYS = List.of("slo", "budgetLeftBelow");
    static final List<String> BURN_KEYS = List.of("slo", "burnRateAbove", "window");
    static final List<String> THRESHOLD_KEYS = List.of("metric", "threshold", "window");
    static final List<String> PROBE_KEYS = List.of("probe", "failuresInARow", "timeout");
    static final List<String> PROMETHEUS_KEYS = List.of("prometheus", "url", "timeout");
    /** A probe that waits longer than the guard's period would delay the next evaluation. */
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_FAILURES_IN_A_ROW = 3;

    private HaltSection() {
    }

    /** The guard from {@code halt} and {@code steady} (either may be null); each condition's first problem goes to {@code problems}. */
    static GuardSpec read(YamlNode halt, YamlNode steady, List<SloSpec> slos, List<String> problems) {
        List<HaltCondition> conditions = new ArrayList<>();
        boolean[] stop = {false};
        if (halt != null) {
            PlanFile.collect(problems, () -> {
                Map<String, YamlNode> fields = halt.object(HALT_KEYS);
                if (!fields.containsKey("when")) {
                    throw halt.error("'when' is required: a list of conditions, e.g. when: [ { slo: availability, budgetLeftBelow: 50% } ]");
                }
                for (YamlNode item : fields.get("when").array()) {
                    PlanFile.collect(problems, () -> conditions.add(condition(item, slos)));
                }
                if (fields.containsKey("then")) {
                    YamlNode then = fields.get("then");
                    stop[0] = switch (then.text().strip().toLowerCase(Locale.ROOT)) {
                        case "continue" -> false;
                        case "stop" -> true;
                        default -> throw then.error("'then' is continue (the users go on, the default) or stop, got "
                                + Problems.quoted(then.text()));
                    };
                }
            });
        }
        Optional<GuardSpec.Steady> steadyState = Optional.empty();
        if (steady != null) {
            try {
                steadyState = Optional.of(steady(steady, slos));
            } catch (StampedeException.BadInput e) {
                problems.add(e.getMessage());
            }
        }
        return new GuardSpec(conditions, stop[0], steadyState);
    }

    private static HaltCondition condition(YamlNode item, List<SloSpec> slos) {
        List<String> kinds = item.anyObject().keySet().stream().filter(KINDS::contains).toList();
        if (kinds.size() != 1) {
            throw item.error("a halt condition has one of " + String.join(", ", KINDS)
                    + (kinds.isEmpty() ? "" : ", got " + String.join(" and ", kinds)));
        }
        return switch (kinds.get(0)) {
            case "budgetLeftBelow" -> {
                Map<String, YamlNode> f = item.object(BUDGET_KEYS);
                yield new HaltCondition.BudgetLeft(slo(item, f, slos), share(f.get("budgetLeftBelow")), item.where());
            }
            case "burnRateAbove" -> {
                Map<String, YamlNode> f = item.object(BURN_KEYS);
                String slo = slo(item, f, slos);
                YamlNode factorNode = f.get("burnRateAbove");
                double factor = factorNode.doubleValue();
                if (!(factor > 0) || Double.isInfinite(factor)) {
                    throw factorNode.error("a burn rate is a factor above 0 (1 spends the budget exactly), got " + factorNode.text());
                }
                if (!f.containsKey("window")) {
                    throw item.error("'window' is required with burnRateAbove, e.g. window: 30s");
                }
                yield new HaltCondition.BurnRate(slo, factor, window(f.get("window")), item.where());
            }
            case "threshold" -> {
                Map<String, YamlNode> f = item.object(THRESHOLD_KEYS);
                if (!f.containsKey("metric")) {
                    throw item.error("'metric' is required with threshold, e.g. metric: http_req_failed");
                }
                String metric = f.get("metric").text();
                String expression = f.get("threshold").text();
                try {
                    ThresholdSpec.of(metric, expression);
                } catch (InvalidThresholdException e) {
                    throw f.get("threshold").error(e.getMessage());
                }
                Optional<Duration> window = f.containsKey("window") ? Optional.of(window(f.get("window"))) : Optional.empty();
                yield new HaltCondition.ThresholdFails(metric, expression, window, item.where());
            }
            case "prometheus" -> {
                Map<String, YamlNode> f = item.object(PROMETHEUS_KEYS);
                String query = f.get("prometheus").text().strip();
                if (query.isEmpty()) {
                    throw f.get("prometheus").error("a PromQL query that returns a non-empty result when the chaos must halt,"
                            + " e.g. prometheus: 'sum(rate(http_requests_total{code=~\"5..\"}[10s])) > 1'");
                }
                if (!f.containsKey("url")) {
                    throw item.error("'url' is required with prometheus: the server, e.g. url: http://127.0.0.1:9090");
                }
                URI server;
                try {
                    server = Addresses.httpUrl(f.get("url").text().strip());
                } catch (IllegalArgumentException e) {
                    throw f.get("url").error("Prometheus's url is an http:// URL: " + e.getMessage());
                }
                yield new HaltCondition.PrometheusQuery(query, server, timeout(f), item.where());
            }
            default -> {
                Map<String, YamlNode> f = item.object(PROBE_KEYS);
                YamlNode probe = f.get("probe");
                URI url = probeUrl(probe);
                int inARow = DEFAULT_FAILURES_IN_A_ROW;
                if (f.containsKey("failuresInARow")) {
                    inARow = f.get("failuresInARow").intValue();
                    if (inARow < 1) {
                        throw f.get("failuresInARow").error("must be at least 1, got " + inARow);
                    }
                }
                yield new HaltCondition.ProbeFails(url, inARow, timeout(f), item.where());
            }
        };
    }

    /** A probe's or a query's timeout: one that waits longer than the guard's period would delay the next evaluation. */
    private static Duration timeout(Map<String, YamlNode> f) {
        if (!f.containsKey("timeout")) {
            return DEFAULT_PROBE_TIMEOUT;
        }
        Duration timeout = PlanFile.duration(f.get("timeout"));
        if (timeout.isZero() || timeout.compareTo(HaltGuard.EVALUATE_EVERY) > 0) {
            throw f.get("timeout").error("a probe's or query's timeout is above 0 and at most "
                    + Durations.format(HaltGuard.EVALUATE_EVERY)
                    + " (the guard evaluates every " + Durations.format(HaltGuard.EVALUATE_EVERY)
                    + "), got " + f.get("timeout").text());
        }
        return timeout;
    }

    /** A path ({@code /health}: on the host the users reach) or a whole http:// URL. */
    private static URI probeUrl(YamlNode node) {
        String text = node.text().strip();
        if (text.startsWith("/")) {
            try {
                return new URI(text);
            } catch (URISyntaxException e) {
                throw node.error("'" + text + "' is not a path: " + e.getReason());
            }
        }
        try {
            return Addresses.httpUrl(text);
        } catch (IllegalArgumentException e) {
            throw node.error("a probe is a path such as /health or an http:// URL: " + e.getMessage());
        }
    }

    private static String slo(YamlNode item, Map<String, YamlNode> fields, List<SloSpec> slos) {
        if (!fields.containsKey("slo")) {
            throw item.error("'slo' is required: the name of one of the plan's SLOs"
                    + (slos.isEmpty() ? " (the plan has none: declare them under slos:)" : ", " + names(slos)));
        }
        YamlNode node = fields.get("slo");
        String name = node.text();
        if (slos.stream().noneMatch(s -> s.name().equals(name))) {
            throw node.error("no SLO is named " + Problems.quoted(name)
                    + (slos.isEmpty() ? "; the plan has no slos:" : "; the plan's SLOs are " + names(slos)));
        }
        return name;
    }

    private static String names(List<SloSpec> slos) {
        return slos.stream().map(SloSpec::name).toList().toString();
    }

    /** {@code 50%} or {@code 50}: a share of the budget, above 0% and at most 100%. */
    private static double share(YamlNode node) {
        String text = node.text().strip();
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw node.error("a share of the error budget is a percentage such as 50%, got " + Problems.quoted(text));
        }
        if (!(value > 0 && value <= 100)) {
            throw node.error("a share of the error budget is above 0% and at most 100%, got " + text);
        }
        return value;
    }

    /** A window of whole seconds, at least one: the statistics' resolution. */
    private static Duration window(YamlNode node) {
        Duration d = PlanFile.duration(node);
        if (d.toSeconds() < 1 || d.toMillis() % 1000 != 0) {
            throw node.error("a window is a whole number of seconds, at least 1s (the statistics' resolution), got " + node.text());
        }
        return d;
    }

    private static GuardSpec.Steady steady(YamlNode node, List<SloSpec> slos) {
        Map<String, YamlNode> fields = node.object(STEADY_KEYS);
        for (String key : STEADY_KEYS) {
            if (!fields.containsKey(key)) {
                throw node.error("'" + key + "' is required, e.g. steady: { hold: 10s, within: 60s }");
            }
        }
        if (slos.isEmpty()) {
            throw node.error("the steady state is every SLO holding: declare them under slos:");
        }
        YamlNode holdNode = fields.get("hold");
        Duration hold = PlanFile.duration(holdNode);
        if (hold.toSeconds() < 1 || hold.toMillis() % 1000 != 0) {
            throw holdNode.error("'hold' is a whole number of seconds, at least 1s (the SLOs are judged second by second), got "
                    + holdNode.text());
        }
        Duration within = PlanFile.duration(fields.get("within"));
        if (within.compareTo(hold) < 0) {
            throw fields.get("within").error("'within' (" + fields.get("within").text() + ") is shorter than 'hold' ("
                    + fields.get("hold").text() + "): the steady state could never be reached");
        }
        return new GuardSpec.Steady(hold, within, node.where());
    }
}
