package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.slo.threshold.Status;
import io.stampede.testing.JsonNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * live.js against {@link LiveJson}: every field name the page reads is a field Jackson writes, and
 * every word it compares a state with is one of that state's enum words. Renaming a record component
 * (or an enum word) that the page reads fails here, not in a browser.
 */
class LiveJsContractTest {

    /**
     * Names after a dot in live.js that are not the server's: the browser's (DOM, EventSource, fetch,
     * uPlot) and the page's own objects (the timeline's windows and markers, the chart columns, the
     * sort state). A new one goes here only when it is not a field of the JSON.
     */
    private static final Set<String> NOT_JSON = Set.of(
            // the browser and uPlot
            "activeElement", "body", "classList", "className", "clientWidth", "data", "dataset", "disabled",
            "documentElement", "hidden", "length", "matches", "onerror", "onopen", "parentNode", "pxRatio",
            "replaceChildren", "root", "stampedeLive", "stream", "style", "textContent", "title", "type", "value",
            "values", "width",
            // the page's own objects
            "at", "chart", "cols", "dir", "dirty", "event", "fps", "from", "key", "keys", "label", "manual", "p50",
            "p95", "p99", "rps", "sortable", "to", "windows", "x");

    private static final Pattern DOTTED = Pattern.compile("\\.([a-z][A-Za-z0-9_]*)\\b(?!\\s*\\()");
    private static final Pattern COLUMNS = Pattern.compile("var COLUMNS = \\[(.*?)\\];", Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("\\['([A-Za-z0-9]+)'");
    private static final Pattern DATA_KEY = Pattern.compile("data-key=\"([^\"]+)\"");

    @Test
    void everyFieldLiveJsReadsIsOneTheServerWrites() {
        Set<String> written = written();
        Set<String> read = new TreeSet<>();
        String js = resource("live.js");
        Matcher dotted = DOTTED.matcher(withoutComments(js));
        while (dotted.find()) {
            read.add(dotted.group(1));
        }
        read.removeAll(NOT_JSON);
        Matcher columns = COLUMNS.matcher(js);
        assertThat(columns.find()).as("live.js declares its request table's COLUMNS").isTrue();
        Matcher column = COLUMN.matcher(columns.group(1));
        while (column.find()) {
            read.add(column.group(1)); // read as r[c[0]]
        }
        Matcher sortKeys = DATA_KEY.matcher(resource("index.html"));
        while (sortKeys.find()) {
            read.add(sortKeys.group(1)); // a sortable column's data-key, read as row[sort.key]
        }
        assertThat(read).as("names live.js reads").contains("budgetLeftPercent", "medianMillis", "nextSeconds");
        assertThat(written).as("what the server writes (LiveJson)").containsAll(read);
    }

    @Test
    void everyStateLiveJsComparesIsOneTheServerWrites() {
        String js = withoutComments(resource("live.js"));
        assertThat(compared(js, "status")).isNotEmpty().isSubsetOf(words(LiveJson.RunState.values()));
        assertThat(compared(js, "mode")).isNotEmpty().isSubsetOf(words(LiveJson.Control.Mode.values()));
        assertThat(compared(js, "model")).isNotEmpty().isSubsetOf(words(LiveJson.Control.Model.values()));
        assertThat(compared(js, "verdict")).isNotEmpty().isSubsetOf(words(Status.values()));
        // two records have a state: the worker's row (w) and the steady-state wait (steady)
        assertThat(compared(js, "w", "state")).isNotEmpty().isSubsetOf(words(WorkerStatus.State.values()));
        assertThat(compared(js, "steady", "state")).isNotEmpty().isSubsetOf(words(LiveJson.SteadyState.values()));
        assertThat(compared(js, "kind")).isNotEmpty().isSubsetOf(
                Arrays.stream(Event.Kind.values()).map(Enum::name).collect(Collectors.toSet()));
    }

    /** The introspection sees through unwrapped parts and into rows: a check on the check. */
    @Test
    void writtenNamesAreTheJsonsNotTheJavaParts() {
        assertThat(written()).contains("startEpochMillis", "currentRps", "budgetLeftPercent", "atSeconds", "lastsMillis",
                "seq", "base", "spawnRate", "occurrences", "ok", "cpuHigh", "heartbeatAgeSeconds")
                .doesNotContain("progress", "panels", "figures", "event");
    }

    /** Every field name of every JSON the page receives: the records' (as Jackson writes them) and the delta's. */
    private static Set<String> written() {
        Set<String> names = JsonNames.written(LiveRun.JSON, LiveJson.Snapshot.class, LiveJson.EventRow.class,
                LiveJson.Reset.class, LiveJson.Accepted.class, LiveJson.Refusal.class);
        ObjectNode before = LiveRun.JSON.createObjectNode().put("run", 1).put("seq", 1).put("users", 1);
        ObjectNode after = LiveRun.JSON.createObjectNode().put("run", 1).put("seq", 2).put("users", 2);
        SnapshotDelta.between(before, after).fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The words live.js compares {@code x.field} with, as in {@code snap.status === 'finished'}. */
    private static Set<String> compared(String js, String field) {
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("\\." + field + " [!=]== '([^']*)'").matcher(js);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    /** The words live.js compares {@code variable.field} with, as in {@code w.state !== 'lost'}. */
    private static Set<String> compared(String js, String variable, String field) {
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("\\b" + variable + "\\." + field + " [!=]== '([^']*)'").matcher(js);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    private static Set<String> words(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> LiveRun.JSON.convertValue(v, String.class)).collect(Collectors.toSet());
    }

    private static String withoutComments(String js) {
        return js.replaceAll("(?m)//.*$", "");
    }

    private static String resource(String name) {
        try (InputStream in = WebUi.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
