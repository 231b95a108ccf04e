package io.stampede.plan;

import io.stampede.StampedeException;
import io.stampede.slo.PrometheusSli;
import io.stampede.slo.SloSpec;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an OpenSLO v1 {@code SLO} document into a server-side {@link SloSpec}: its name from
 * {@code metadata.name}, its objective from {@code spec.objectives[0]} ({@code target: 0.99} or
 * {@code targetPercent: 99}), its good and total queries from an inline indicator's
 * {@code ratioMetric} with Prometheus sources. OpenSLO does not say where Prometheus is (a
 * {@code DataSource} document would): the plan's entry does. Keys Stampede does not use (service,
 * timeWindow, alertPolicies, ...) are left alone, so a file kept for other tools reads as it is.
 *
 * <pre>{@code
 * slos:
 *   - { openslo: server-availability.yaml, prometheus: { url: http://127.0.0.1:9090 } }
 * }</pre>
 */
final class OpenSloFile {

    static final String API_VERSION = "openslo/v1";
    private static final long MAX_BYTES = 1 << 20;

    private OpenSloFile() {
    }

    /** The SLO in {@code file}; every problem names the file, line, column and field. */
    static SloSpec read(Path file, URI url, Duration step) {
        YamlNode root = parse(file);
        Map<String, YamlNode> top = root.anyObject();
        String apiVersion = required(root, top, "apiVersion").text();
        if (!API_VERSION.equals(apiVersion)) {
            throw top.get("apiVersion").error("Stampede reads OpenSLO '" + API_VERSION + "', got '" + apiVersion + "'");
        }
        String kind = required(root, top, "kind").text();
        if (!"SLO".equals(kind)) {
            throw top.get("kind").error("expected an OpenSLO 'SLO' document (with its indicator inline), got '" + kind + "'");
        }
        YamlNode metadata = required(root, top, "metadata");
        String name = required(metadata, metadata.anyObject(), "name").text();
        YamlNode spec = required(root, top, "spec");
        Map<String, YamlNode> specFields = spec.anyObject();
        if (!specFields.containsKey("indicator") && specFields.containsKey("indicatorRef")) {
            throw specFields.get("indicatorRef").error("an indicator in another document is not read yet; put the SLI inline under 'indicator'");
        }
        YamlNode indicator = required(spec, specFields, "indicator");
        YamlNode sliSpec = required(indicator, indicator.anyObject(), "spec");
        YamlNode ratio = required(sliSpec, sliSpec.anyObject(), "ratioMetric");
        Map<String, YamlNode> ratioFields = ratio.anyObject();
        if (ratioFields.containsKey("counter") && !"true".equals(ratioFields.get("counter").text())) {
            throw ratioFields.get("counter").error("Stampede reads counters (counter: true): it takes their increase each second");
        }
        if (ratioFields.containsKey("bad")) {
            throw ratioFields.get("bad").error("give 'good' and 'total'; 'bad' is not read yet");
        }
        String good = query(required(ratio, ratioFields, "good"));
        String total = query(required(ratio, ratioFields, "total"));
        YamlNode objectives = required(spec, specFields, "objectives");
        if (objectives.array().isEmpty()) {
            throw objectives.error("at least one objective is needed");
        }
        YamlNode first = objectives.array().get(0);
        Map<String, YamlNode> objective = first.anyObject();
        double percent;
        try {
            if (objective.containsKey("targetPercent")) {
                percent = SloSpec.objective(objective.get("targetPercent").text());
            } else {
                YamlNode target = required(first, objective, "target");
                percent = SloSpec.objective(Double.toString(Double.parseDouble(target.text()) * 100));
            }
        } catch (NumberFormatException e) {
            throw first.error("'target' is a ratio such as 0.99");
        } catch (IllegalArgumentException e) {
            throw first.error(e.getMessage());
        }
        return new SloSpec(name, percent, Optional.empty(), Optional.empty(), Optional.empty(), root.where(),
                SloSpec.FailedRequests.EXCLUDE, Optional.of(new PrometheusSli(url, good, total, step)));
    }

    /** {@code metricSource: { type: Prometheus, spec: { query: ... } }}. */
    private static String query(YamlNode side) {
        YamlNode source = required(side, side.anyObject(), "metricSource");
        Map<String, YamlNode> fields = source.anyObject();
        String type = required(source, fields, "type").text();
        if (!"prometheus".equals(type.toLowerCase(Locale.ROOT))) {
            throw fields.get("type").error("Stampede reads Prometheus sources, got '" + type + "'");
        }
        YamlNode spec = required(source, fields, "spec");
        String query = required(spec, spec.anyObject(), "query").text().strip();
        if (query.isEmpty()) {
            throw spec.error("'query' is empty");
        }
        return query;
    }

    private static YamlNode required(YamlNode parent, Map<String, YamlNode> fields, String key) {
        YamlNode node = fields.get(key);
        if (node == null) {
            throw parent.error("'" + key + "' is required in an OpenSLO SLO");
        }
        return node;
    }

    private static YamlNode parse(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new StampedeException.BadInput(name + ": larger than " + MAX_BYTES + " bytes; not an OpenSLO document");
            }
            try (Reader reader = Files.newBufferedReader(file)) {
                return YamlNode.parse(reader, name);
            }
        } catch (NoSuchFileException e) {
            throw new StampedeException.BadInput(name + ": OpenSLO file not found");
        } catch (IOException e) {
            throw new StampedeException.BadInput(name + ": cannot read: " + e.getMessage());
        }
    }
}
