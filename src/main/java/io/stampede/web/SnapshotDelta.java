package io.stampede.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.web.LiveJson.Snapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
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

    private static final String SEQ = LiveJson.field(Snapshot.class, "seq");
    private static final String RUN = LiveJson.field(Snapshot.class, "run");
    private static final String POINTS = LiveJson.field(Snapshot.class, "points");
    private static final String POINT_END = LiveJson.field(LiveJson.Point.class, "endEpochMillis");
    /** The delta's own field: the snapshot it applies on top of. */
    private static final String BASE = "base";

    /** The rows of each table and what names a row. */
    private static final Map<String, Function<JsonNode, String>> KEYED = Map.of(
            LiveJson.field(Snapshot.class, "requests"), key(LiveJson.RequestRow.class, "method", "name"),
            LiveJson.field(Snapshot.class, "failures"), key(LiveJson.FailureRow.class, "method", "name", "error"),
            LiveJson.field(LiveJson.Panels.class, "exceptions"), key(LiveJson.ExceptionRow.class, "task"));

    private SnapshotDelta() {
    }

    /** The delta from {@code before} to {@code after}, or null when only a whole snapshot will do. */
    static ObjectNode between(ObjectNode before, ObjectNode after) {
        if (before == null || !before.path(RUN).equals(after.path(RUN))) {
            return null;
        }
        ObjectNode delta = LiveRun.JSON.createObjectNode();
        delta.set(SEQ, after.get(SEQ));
        delta.set(BASE, before.get(SEQ));
        delta.set(RUN, after.get(RUN));
        for (Iterator<Map.Entry<String, JsonNode>> fields = after.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode now = field.getValue();
            JsonNode was = before.get(name);
            if (name.equals(SEQ) || name.equals(RUN) || now.equals(was)) {
                continue;
            }
            if (name.equals(POINTS) && was instanceof ArrayNode old && now instanceof ArrayNode points) {
                long last = old.isEmpty() ? Long.MIN_VALUE : old.get(old.size() - 1).path(POINT_END).asLong();
                ArrayNode added = delta.putArray(POINTS);
                points.forEach(p -> {
                    if (p.path(POINT_END).asLong() > last) {
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

    /** A row's identity: the values of {@code components} of its record, checked to exist once. */
    private static Function<JsonNode, String> key(Class<? extends Record> type, String... components) {
        List<String> names = Arrays.stream(components).map(c -> LiveJson.field(type, c)).toList();
        return row -> String.join(" ", names.stream().map(n -> row.path(n).asText()).toList());
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
