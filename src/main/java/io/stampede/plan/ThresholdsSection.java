package io.stampede.plan;

import io.stampede.input.Durations;
import io.stampede.slo.PlanThreshold;
import io.stampede.slo.threshold.InvalidThresholdException;
import io.stampede.slo.threshold.MetricKey;
import io.stampede.slo.threshold.ThresholdSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plan's {@code thresholds:} in k6's shape, so k6 users can paste theirs: metric key →
 * list of expressions, or of {@code { threshold, abortOnFail, delayAbortEval }} objects. Stampede adds
 * one tag, {@code window:10s}: the threshold must then hold in every 10-second window of the run.
 */
final class ThresholdsSection {

    private ThresholdsSection() {
    }

    private static final Pattern WINDOW_TAG = Pattern.compile("\\s*window\\s*:\\s*([^,}]*)\\s*,?");

    static List<PlanThreshold> read(YamlNode node) {
        List<PlanThreshold> specs = new ArrayList<>();
        for (Map.Entry<String, YamlNode> metric : node.anyObject().entrySet()) {
            YamlNode value = metric.getValue();
            String keyText = metric.getKey();
            Optional<Duration> window = Optional.empty();
            Matcher tag = WINDOW_TAG.matcher(keyText);
            if (keyText.contains("{") && tag.find()) {
                try {
                    window = Optional.of(Durations.parse(tag.group(1).strip().replaceAll("^\"|\"$", "")));
                } catch (IllegalArgumentException e) {
                    throw value.error("window: " + e.getMessage());
                }
                if (window.get().toSeconds() < 1) {
                    throw value.error("window: at least 1s, the statistics' resolution");
                }
                keyText = (keyText.substring(0, tag.start()) + keyText.substring(tag.end())).replaceAll(",\\s*}", "}").replace("{}", "");
            }
            MetricKey key;
            try {
                key = MetricKey.parse(keyText);
            } catch (InvalidThresholdException e) {
                throw value.error(e.getMessage());
            }
            List<YamlNode> items = value.kind() == YamlNode.Kind.ARRAY ? value.array() : List.of(value);
            for (YamlNode item : items) {
                Object raw;
                if (item.kind() == YamlNode.Kind.OBJECT) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    item.object(ThresholdSpec.KEYS).forEach((k, v) -> fields.put(k, v.kind() == YamlNode.Kind.SCALAR ? scalar(v) : v.text()));
                    raw = fields;
                } else {
                    raw = item.text();
                }
                try {
                    specs.add(new PlanThreshold(metric.getKey(), ThresholdSpec.parse(key, raw), window));
                } catch (InvalidThresholdException e) {
                    // An object's bad key is reported at that key's value, the line a user must change.
                    YamlNode at = e.field().filter(f -> item.kind() == YamlNode.Kind.OBJECT)
                            .map(f -> item.object(ThresholdSpec.KEYS).get(f)).orElse(item);
                    throw at.error(e.getMessage());
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
