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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an OpenSLO v1 {@code SLO} document into a server-side {@link SloSpec}: its name from
 * {@code metadata.name}, its objective from {@code spec.objectives[0]} ({@code target: 0.99} or
 * {@code targetPercent: 99}), its good and total queries from the indicator's {@code ratioMetric} with
 * Prometheus sources. The indicator is inline ({@code spec.indicator}) or an {@code SLI} document named
 * by {@code spec.indicatorRef}; a metric source may name a {@code DataSource} document by
 * {@code metricSourceRef}, whose {@code spec.connectionDetails.url} says where Prometheus is. Referenced
 * documents are in the same file, after {@code ---}. The plan's {@code url} wins over the data source's,
 * as a flag wins over a file. Keys Stampede does not use (service, timeWindow, alertPolicies, ...) and
 * documents of other kinds are left alone, so a file kept for other tools reads as it is.
 *
 * <pre>{@code
 * slos:
 *   - { openslo: server-availability.yaml, prometheus: { url: http://127.0.0.1:9090 } }
 *   - { openslo: with-datasource.yaml }     # url from its DataSource
 * }</pre>
 */
final class OpenSloFile {

    static final String API_VERSION = "openslo/v1";
    private static final long MAX_BYTES = 1 << 20;
    private static final String SLO = "SLO";
    private static final String SLI = "SLI";
    private static final String DATA_SOURCE = "DataSource";

    private OpenSloFile() {
    }

    /** The file's documents of one kind, by {@code metadata.name}. */
    private record Documents(Map<String, Map<String, YamlNode>> byKind) {
        Map<String, YamlNode> of(String kind) {
            return byKind.getOrDefault(kind, Map.of());
        }

        /** The document of {@code kind} that {@code ref} names; else an error at the ref listing what there is. */
        YamlNode named(String kind, YamlNode ref) {
            YamlNode found = of(kind).get(ref.text());
            if (found == null) {
                throw ref.error("no " + kind + " document named '" + ref.text() + "' in this file ("
                        + (of(kind).isEmpty() ? "it has none" : kind + "s here: " + String.join(", ", of(kind).keySet()))
                        + "); put it after '---'");
            }
            return found;
        }
    }

    /** The queries and the server, once references are followed. */
    private record Source(String query, Optional<URI> url) {
    }

    /**
     * The SLO in {@code file}; every problem names the file, line, column and field.
     *
     * @param url  Prometheus's URL from the plan, which wins over a DataSource's
     * @param step how often the queries are read
     */
    static SloSpec read(Path file, Optional<URI> url, Duration step, YamlNode entry) {
        Documents documents = documents(file);
        Map<String, YamlNode> slos = documents.of(SLO);
        if (slos.size() != 1) {
            throw new StampedeException.BadInput(file + ": " + (slos.isEmpty()
                    ? "no OpenSLO 'SLO' document (kind: SLO, apiVersion: " + API_VERSION + ")"
                    : slos.size() + " SLO documents (" + String.join(", ", slos.keySet()) + "); an entry of slos: reads one"));
        }
        YamlNode root = slos.values().iterator().next();
        Map<String, YamlNode> top = root.anyObject();
        String name = required(top.get("metadata"), top.get("metadata").anyObject(), "name").text();
        YamlNode spec = required(root, top, "spec");
        Map<String, YamlNode> specFields = spec.anyObject();
        YamlNode indicator;
        if (specFields.containsKey("indicator") && specFields.containsKey("indicatorRef")) {
            throw specFields.get("indicatorRef").error("give 'indicator' or 'indicatorRef', not both");
        } else if (specFields.containsKey("indicatorRef")) {
            indicator = documents.named(SLI, specFields.get("indicatorRef"));
        } else {
            indicator = required(spec, specFields, "indicator");
        }
        YamlNode sliSpec = required(indicator, indicator.anyObject(), "spec");
        YamlNode ratio = required(sliSpec, sliSpec.anyObject(), "ratioMetric");
        Map<String, YamlNode> ratioFields = ratio.anyObject();
        if (ratioFields.containsKey("counter") && !"true".equals(ratioFields.get("counter").text())) {
            throw ratioFields.get("counter").error("Stampede reads counters (counter: true): it takes their increase each second");
        }
        if (ratioFields.containsKey("bad")) {
            throw ratioFields.get("bad").error("give 'good' and 'total'; 'bad' is not read yet");
        }
        Source good = query(required(ratio, ratioFields, "good"), documents);
        Source total = query(required(ratio, ratioFields, "total"), documents);
        URI server = url.or(good::url).or(total::url).orElseThrow(() -> entry.error("'prometheus: { url: ... }' is required:"
                + " the SLO names no DataSource with spec.connectionDetails.url, and OpenSLO does not say where Prometheus is otherwise"));
        if (url.isEmpty() && good.url().isPresent() && total.url().isPresent() && !good.url().equals(total.url())) {
            throw ratioFields.get("total").error("good and total read two Prometheus servers (" + good.url().get() + ", "
                    + total.url().get() + "); Stampede reads both at one instant from one");
        }
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
                SloSpec.FailedRequests.EXCLUDE, Optional.of(new PrometheusSli(server, good.query(), total.query(), step)));
    }

    /** Every OpenSLO document in the file by kind and name; a document that is not one is named. */
    private static Documents documents(Path file) {
        Map<String, Map<String, YamlNode>> byKind = new LinkedHashMap<>();
        for (YamlNode document : parse(file)) {
            if (document.kind() == YamlNode.Kind.NULL) {
                continue;
            }
            Map<String, YamlNode> top = document.anyObject();
            String apiVersion = required(document, top, "apiVersion").text();
            if (!API_VERSION.equals(apiVersion)) {
                throw top.get("apiVersion").error("Stampede reads OpenSLO '" + API_VERSION + "', got '" + apiVersion + "'");
            }
            String kind = required(document, top, "kind").text();
            YamlNode metadata = required(document, top, "metadata");
            YamlNode name = required(metadata, metadata.anyObject(), "name");
            YamlNode before = byKind.computeIfAbsent(kind, k -> new LinkedHashMap<>()).putIfAbsent(name.text(), document);
            if (before != null) {
                throw name.error("a second " + kind + " named '" + name.text() + "' (the first is at " + before.where() + ")");
            }
        }
        return new Documents(byKind);
    }

    /**
     * {@code metricSource: { type: Prometheus, spec: { query: ... } }}, or with {@code metricSourceRef}
     * naming a DataSource, whose type stands when the source gives none and whose
     * {@code connectionDetails.url} says where Prometheus is.
     */
    private static Source query(YamlNode side, Documents documents) {
        YamlNode source = required(side, side.anyObject(), "metricSource");
        Map<String, YamlNode> fields = source.anyObject();
        Optional<URI> url = Optional.empty();
        YamlNode typeNode = fields.get("type");
        if (fields.containsKey("metricSourceRef")) {
            YamlNode dataSource = documents.named(DATA_SOURCE, fields.get("metricSourceRef"));
            YamlNode dsSpec = required(dataSource, dataSource.anyObject(), "spec");
            Map<String, YamlNode> dsFields = dsSpec.anyObject();
            YamlNode dsType = required(dsSpec, dsFields, "type");
            if (typeNode != null && !typeNode.text().equalsIgnoreCase(dsType.text())) {
                throw typeNode.error("'" + typeNode.text() + "' but its DataSource '" + fields.get("metricSourceRef").text()
                        + "' is of type '" + dsType.text() + "' (" + dsType.where() + ")");
            }
            if (typeNode == null) {
                typeNode = dsType;
            }
            YamlNode details = dsFields.get("connectionDetails");
            if (details != null && details.anyObject().containsKey("url")) {
                url = Optional.of(SlosSection.url(details.anyObject().get("url")));
            }
        }
        if (typeNode == null) {
            throw source.error("'type' is required in an OpenSLO SLO without a metricSourceRef, e.g. type: Prometheus");
        }
        if (!"prometheus".equals(typeNode.text().toLowerCase(Locale.ROOT))) {
            throw typeNode.error("Stampede reads Prometheus sources, got '" + typeNode.text() + "'");
        }
        YamlNode spec = required(source, fields, "spec");
        String query = required(spec, spec.anyObject(), "query").text().strip();
        if (query.isEmpty()) {
            throw spec.error("'query' is empty");
        }
        return new Source(query, url);
    }

    private static YamlNode required(YamlNode parent, Map<String, YamlNode> fields, String key) {
        YamlNode node = fields.get(key);
        if (node == null) {
            throw parent.error("'" + key + "' is required in an OpenSLO SLO");
        }
        return node;
    }

    private static List<YamlNode> parse(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new StampedeException.BadInput(name + ": larger than " + MAX_BYTES + " bytes; not an OpenSLO document");
            }
            try (Reader reader = Files.newBufferedReader(file)) {
                return YamlNode.parseAll(reader, name);
            }
        } catch (NoSuchFileException e) {
            throw new StampedeException.BadInput(name + ": OpenSLO file not found");
        } catch (IOException e) {
            throw new StampedeException.BadInput(name + ": cannot read: " + e.getMessage());
        }
    }
}
