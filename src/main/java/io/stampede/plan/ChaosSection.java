package io.stampede.plan;

import io.stampede.chaos.ChaosEntry;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.Faults;
import io.stampede.input.Located;
import io.stampede.target.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plan's {@code chaos:} list. Schedule keys are common to every fault; the rest belong to
 * the fault kind. Their rules live in {@link ChaosEntry}, which {@code stampede chaos}'s flags go through too.
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
        FaultFactory factory = ChaosEntry.factory(raw.get("fault").located());
        List<String> valid = new ArrayList<>(SCHEDULE_KEYS);
        valid.addAll(factory.parameters());
        Map<String, YamlNode> fields = node.object(valid);
        if (!fields.containsKey("target")) {
            throw node.error("'target' is required: a target name or re2:REGEX");
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
        boolean all = fields.containsKey("all") && fields.get("all").booleanValue();
        return new ChaosEntry(node.where(), key -> "'" + key + "'", factory, params, fields.get("target").located(), all,
                whole(fields, "limit"), text(fields, "at"), text(fields, "every"), text(fields, "startAfter"),
                text(fields, "duration"), whole(fields, "count")).toSpec(targets);
    }

    private static Located<String> text(Map<String, YamlNode> fields, String key) {
        return fields.containsKey(key) ? fields.get(key).located() : null;
    }

    private static Located<Integer> whole(Map<String, YamlNode> fields, String key) {
        return fields.containsKey(key) ? new Located<>(fields.get(key).intValue(), fields.get(key).where()) : null;
    }
}
