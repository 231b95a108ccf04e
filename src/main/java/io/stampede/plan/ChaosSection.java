package io.stampede.plan;

import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.FaultParams;
import io.stampede.chaos.Faults;
import io.stampede.chaos.TargetHandle;
import io.stampede.input.Located;
import io.stampede.target.TargetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the plan's {@code chaos:} list. Schedule keys are common to every fault; the rest belong to
 * the fault kind. Checked here: kind, target reference, timing, and whether the kind fits the target.
 */
final class ChaosSection {

    static final List<String> SCHEDULE_KEYS = List.of("fault", "target", "all", "limit", "at", "every", "startAfter", "duration", "count");

    private ChaosSection() {
    }

    /** The chaos entries; each entry's first problem goes to {@code problems}, and that entry is left out. */
    static List<ChaosSpec> read(YamlNode node, List<TargetSpec> targets, List<String> problems) {
        List<ChaosSpec> entries = new ArrayList<>();
        for (YamlNode item : node.array()) {
            PlanFile.collect(problems, () -> entries.add(entry(item, targets)));
        }
        return entries;
    }

    private static ChaosSpec entry(YamlNode node, List<TargetSpec> targets) {
        Map<String, YamlNode> raw = node.anyObject();
        if (!raw.containsKey("fault")) {
            throw node.error("'fault' is required; one of " + Faults.names());
        }
        YamlNode kindNode = raw.get("fault");
        FaultFactory factory = Faults.get(kindNode.text());
        if (factory == null) {
            throw kindNode.error("unknown fault '" + kindNode.text() + "'; valid: " + Faults.names());
        }
        List<String> valid = new ArrayList<>(SCHEDULE_KEYS);
        valid.addAll(factory.parameters());
        Map<String, YamlNode> fields = node.object(valid);

        if (!fields.containsKey("target")) {
            throw node.error("'target' is required: a target name or re2:REGEX");
        }
        YamlNode targetNode = fields.get("target");
        String selector = targetNode.text();
        List<String> names = targets.stream().map(TargetSpec::name).toList();
        List<String> matched;
        try {
            matched = ChaosEngine.matching(selector, names);
        } catch (PatternSyntaxException e) {
            throw targetNode.error("bad regex: " + e.getDescription());
        }
        if (matched.isEmpty()) {
            throw targetNode.error((selector.startsWith(ChaosEngine.REGEX_PREFIX) ? selector + " matches no target"
                    : "target '" + selector + "' is not declared") + "; declared: "
                    + (names.isEmpty() ? "none (add a targets: section)" : String.join(", ", names)));
        }

        Map<String, Located<String>> params = new LinkedHashMap<>();
        for (String key : factory.parameters()) {
            if (fields.containsKey(key)) {
                YamlNode value = fields.get(key);
                params.put(key, value.kind() == YamlNode.Kind.ARRAY
                        ? new Located<>(String.join(",", value.array().stream().map(YamlNode::text).toList()), value.where())
                        : value.located());
            }
        }
        Fault fault = factory.create(new FaultParams(params, node.where()));
        for (String name : matched) {
            TargetSpec target = targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
            String why = fault.unsupportedOn(kindOf(target));
            if (why == null && fault.front() == io.stampede.chaos.Fault.Front.HTTP && target.url() == null) {
                why = factory.kind() + " acts on HTTP traffic: the target needs a url";
            }
            if (why != null) {
                throw targetNode.error(why + " (target " + name + ")");
            }
        }

        Optional<Duration> at = optionalDuration(fields, "at");
        Optional<Duration> every = optionalDuration(fields, "every");
        if (at.isPresent() == every.isPresent()) {
            throw node.error("give either 'at' (once) or 'every' (repeatedly)");
        }
        if (every.isPresent() && every.get().isZero()) {
            throw fields.get("every").error("must be longer than 0");
        }
        Duration startAfter = optionalDuration(fields, "startAfter").orElse(every.orElse(Duration.ZERO));
        Optional<Duration> duration = optionalDuration(fields, "duration");
        if (factory.lasting() && duration.isEmpty()) {
            throw node.error(factory.kind() + " lasts: give its 'duration', e.g. 10s");
        }
        if (!factory.lasting() && duration.isPresent()) {
            throw fields.get("duration").error(factory.kind() + " is instant: 'duration' does not apply");
        }
        if (duration.isPresent() && every.isPresent() && duration.get().compareTo(every.get()) > 0) {
            throw fields.get("duration").error("duration " + fields.get("duration").text() + " is longer than every "
                    + fields.get("every").text() + ": the fault would overlap itself");
        }
        OptionalInt count = OptionalInt.empty();
        if (fields.containsKey("count")) {
            int n = fields.get("count").intValue();
            if (n < 1) {
                throw fields.get("count").error("must be at least 1, got " + n);
            }
            count = OptionalInt.of(n);
        }
        boolean all = fields.containsKey("all") && fields.get("all").booleanValue();
        OptionalInt limit = OptionalInt.empty();
        if (fields.containsKey("limit")) {
            int n = fields.get("limit").intValue();
            if (n < 1) {
                throw fields.get("limit").error("must be at least 1, got " + n);
            }
            limit = OptionalInt.of(n);
        }
        return new ChaosSpec(factory.kind(), fault, selector, all, limit, at, every, startAfter, duration, count, node.where());
    }

    static TargetHandle.Kind kindOf(TargetSpec target) {
        return switch (target) {
            case TargetSpec.Managed m -> TargetHandle.Kind.MANAGED;
            case TargetSpec.External e -> TargetHandle.Kind.EXTERNAL;
            case TargetSpec.Address a -> TargetHandle.Kind.ADDRESS;
            case TargetSpec.Container c -> TargetHandle.Kind.CONTAINER;
        };
    }

    private static Optional<Duration> optionalDuration(Map<String, YamlNode> fields, String key) {
        return fields.containsKey(key) ? Optional.of(PlanFile.duration(fields.get(key))) : Optional.empty();
    }
}
