package io.stampede;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the packages of src/main/java point one way: no package reaches, through
 * others, back to itself. The graph is read from the sources (imports, static imports and fully
 * qualified names in code), so a compile-time constant that bytecode would inline still counts.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "io.stampede.";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A name under io.stampede whose first capitalised part is a type: its package is what precedes. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.stampede\\.((?:[a-z_][a-z0-9_]*\\.)*)(?:[A-Z]|\\*)");

    @Test
    void noPackageCycle() {
        Map<String, SortedMap<String, String>> graph = importGraph();
        assertThat(graph).as("packages read from %s", MAIN).hasSizeGreaterThan(10);
        assertThat(graph.get("cli")).as("cli's dependencies").containsKey("plan");

        List<String> cycles = new ArrayList<>();
        Set<String> inCycles = new TreeSet<>();
        for (List<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                cycles.add(describe(component, graph));
                inCycles.addAll(component);
            }
        }
        assertThat(inCycles).as("packages in a cycle; the cycles:%s", String.join("", cycles)).isEmpty();
    }

    /** package (without io.stampede.) -> package it uses -> first place that uses it. */
    static Map<String, SortedMap<String, String>> importGraph() {
        Map<String, SortedMap<String, String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = blankCommentsAndLiterals(Files.readString(file));
                Matcher pkg = PACKAGE.matcher(code);
                if (!pkg.find() || !(pkg.group(1) + ".").startsWith(ROOT)) continue;
                String from = name(pkg.group(1) + ".");
                SortedMap<String, String> uses = graph.computeIfAbsent(from, k -> new TreeMap<>());
                Matcher ref = REFERENCE.matcher(code);
                while (ref.find()) {
                    String to = name(ROOT + ref.group(1));
                    if (to.equals(from)) continue;
                    int line = (int) code.substring(0, ref.start()).chars().filter(c -> c == '\n').count() + 1;
                    uses.putIfAbsent(to, MAIN.relativize(file) + ":" + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String pkg : List.copyOf(graph.keySet())) {
            for (String to : graph.get(pkg).keySet()) graph.computeIfAbsent(to, k -> new TreeMap<>());
        }
        return graph;
    }

    /** A package without the io.stampede. prefix ("plan", "target.docker"); the root package is "io.stampede". */
    private static String name(String dottedPackage) {
        String rest = dottedPackage.substring(Math.min(dottedPackage.length(), ROOT.length()));
        return rest.isEmpty() ? "io.stampede" : rest.substring(0, rest.length() - 1);
    }

    /** Comments, strings and char literals become spaces (newlines kept), so only code is read. */
    static String blankCommentsAndLiterals(String source) {
        StringBuilder out = new StringBuilder(source);
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') end = source.indexOf("\"\"\"", end + 1);
                end = end < 0 ? n : end + 3;
            } else if (c == '"' || c == '\'') {
                end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (out.charAt(k) != '\n') out.setCharAt(k, ' ');
            }
            i = end;
        }
        return out.toString();
    }

    /** Tarjan's algorithm: the sets of packages that reach each other. */
    static List<List<String>> stronglyConnected(Map<String, SortedMap<String, String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) connect(start, graph, index, low, stack, components);
        }
        return components;
    }

    private static void connect(String v, Map<String, SortedMap<String, String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            components.add(component.stream().sorted().toList());
        }
    }

    private static String describe(List<String> component, Map<String, SortedMap<String, String>> graph) {
        StringBuilder text = new StringBuilder("\n" + component + "\n  cycle: ");
        text.append(String.join(" -> ", shortestCycle(component.getFirst(), component, graph)));
        for (String from : component) {
            for (Map.Entry<String, String> edge : graph.get(from).entrySet()) {
                if (component.contains(edge.getKey())) {
                    text.append("\n  ").append(from).append(" -> ").append(edge.getKey())
                            .append("  (").append(edge.getValue()).append(')');
                }
            }
        }
        return text.toString();
    }

    /** Breadth first from start back to start, inside its component. */
    private static List<String> shortestCycle(String start, List<String> component,
            Map<String, SortedMap<String, String>> graph) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : graph.get(v).keySet()) {
                if (!component.contains(w)) continue;
                if (w.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = v; p != null; p = cameFrom.get(p)) path.addFirst(p);
                    return path;
                }
                if (!cameFrom.containsKey(w)) {
                    cameFrom.put(w, v);
                    queue.add(w);
                }
            }
        }
        return List.of(new TreeSet<>(component).toString());
    }
}
