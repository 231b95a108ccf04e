package io.stampede.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * What changed between two snapshots, the stream's {@code delta} message. A snapshot carries the
 * whole chart (up to {@value SnapshotJson#POINTS} points) and every table: sent each second to
 * every tab, it grew with the run to tens of KB per second. A delta carries only:
 *
 * <pre>
 * { "seq": 42, "base": 41, "run": 1,
 *   "points":   [ the points after the base's last one ],
 *   "requests": [ the rows that changed or are new ], "failures": [ ... ], "exceptions": [ ... ],
 *   ...every other top-level field whose value changed (totals, users, chaos, slo, ...) }
 * </pre>
 *
 * A page applies a delta only on top of snapshot {@code base}; otherwise it reconnects and gets a
 * whole snapshot again. When a row disappears (the totals were reset) there is no delta: the
 * stream sends the whole snapshot instead.
 */
final class SnapshotDelta {

    /** The rows of each table and what names a row. */
    private static final Map<String, Function<JsonNode, String>> KEYED = Map.of(
            "requests", row -> row.path("method").asText() + " " + row.path("name").asText(),
            "failures", row -> row.path("method").asText() + " " + row.path("name").asText() + " " + row.path("error").asText(),
            "exceptions", row -> row.path("task").asText());

    private SnapshotDelta() {
    }

    /** The delta from {@code before} to {@code after}, or null when only a whole snapshot will do. */
    static ObjectNode between(ObjectNode before, ObjectNode after) {
        if (before == null || !before.path("run").equals(after.path("run"))) {
            return null;
        }
        ObjectNode delta = LiveRun.JSON.createObjectNode();
        delta.set("seq", after.get("seq"));
        delta.set("base", before.get("seq"));
        delta.set("run", after.get("run"));
        for (Iterator<Map.Entry<String, JsonNode>> fields = after.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode now = field.getValue();
            JsonNode was = before.get(name);
            if (name.equals("seq") || name.equals("run") || now.equals(was)) {
                continue;
            }
            if (name.equals("points") && was instanceof ArrayNode old && now instanceof ArrayNode points) {
                long last = old.isEmpty() ? Long.MIN_VALUE : old.get(old.size() - 1).path("endEpochMillis").asLong();
                ArrayNode added = delta.putArray("points");
                points.forEach(p -> {
                    if (p.path("endEpochMillis").asLong() > last) {
                        added.add(p);
                    }
                });
            } else if (KEYED.containsKey(name) && was instanceof ArrayNode old && now instanceof ArrayNode rows) {
                ArrayNode changed = changedRows(old, rows, KEYED.get(name));
                if (changed == null) {
                    return null; // a row is gone
                }
                delta.set(name, changed);
            } else {
                delta.set(name, now);
            }
        }
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            if (!after.has(names.next())) {
                return null; // a field is gone (an error cleared, ...): the page starts from a whole one
            }
        }
        return delta;
    }

    private static ArrayNode changedRows(ArrayNode before, ArrayNode after, Function<JsonNode, String> key) {
        Map<String, JsonNode> old = new HashMap<>();
        before.forEach(row -> old.put(key.apply(row), row));
        ArrayNode changed = LiveRun.JSON.createArrayNode();
        int kept = 0;
        for (JsonNode row : after) {
            JsonNode was = old.get(key.apply(row));
            if (was != null) {
                kept++;
            }
            if (!row.equals(was)) {
                changed.add(row);
            }
        }
        return kept == old.size() ? changed : null;
    }
}
