package io.stampede.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/grafana/stampede-run.json read strictly (no duplicate key, nothing after the object), and its PromQL. */
public final class GrafanaDashboard {

    public static final Path FILE = Path.of("deploy/grafana/stampede-run.json");
    /** A metric selector: a name followed by its labels or its range. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");

    private GrafanaDashboard() {
    }

    public static JsonNode read() throws IOException {
        ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return strict.readTree(FILE.toFile());
    }

    /** One query: where it is ("panel 'Error ratio' A", "annotation 'Faults'") and its PromQL as written. */
    public record Query(String where, String expr) {

        /** As Grafana sends it with every job selected and the given rate window. */
        public String expanded(String rateWindow) {
            return expr.replace("$__rate_interval", rateWindow).replace("$job", ".*");
        }

        public Set<String> metrics() {
            Set<String> names = new TreeSet<>();
            Matcher m = SELECTOR.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    public static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        for (JsonNode annotation : dashboard.at("/annotations/list")) {
            queries.add(new Query("annotation '" + annotation.path("name").asText() + "'", annotation.at("/target/expr").asText()));
        }
        return queries;
    }
}
