package io.stampede.plan;

import io.stampede.slo.threshold.InvalidThresholdException;
import io.stampede.slo.threshold.MetricKey;
import io.stampede.slo.threshold.ThresholdSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plan's {@code thresholds:} in k6's shape, so k6 users can paste theirs: metric key →
 * list of expressions, or of {@code { threshold, abortOnFail, delayAbortEval }} objects.
 */
final class ThresholdsSection {

    private ThresholdsSection() {
    }

    static List<ThresholdSpec> read(YamlNode node) {
        List<ThresholdSpec> specs = new ArrayList<>();
        for (Map.Entry<String, YamlNode> metric : node.anyObject().entrySet()) {
            YamlNode value = metric.getValue();
            MetricKey key;
            try {
                key = MetricKey.parse(metric.getKey());
            } catch (InvalidThresholdException e) {
                throw value.error(e.getMessage());
            }
            List<YamlNode> items = value.kind() == YamlNode.Kind.ARRAY ? value.array() : List.of(value);
            for (YamlNode item : items) {
                Object raw;
                if (item.kind() == YamlNode.Kind.OBJECT) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    item.anyObject().forEach((k, v) -> fields.put(k, v.kind() == YamlNode.Kind.SCALAR ? scalar(v) : v.text()));
                    raw = fields;
                } else {
                    raw = item.text();
                }
                try {
                    specs.add(ThresholdSpec.parse(key, raw));
                } catch (InvalidThresholdException e) {
                    throw item.error(e.getMessage());
                }
            }
        }
        return specs;
    }

    private static Object scalar(YamlNode node) {
        String text = node.text();
        return text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : text;
    }
}
