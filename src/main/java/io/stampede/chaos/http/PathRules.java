package io.stampede.chaos.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The path syntax of {@link HttpFaultSpec}: {@code /a} covers {@code /a} and {@code /a/...} (whole
 * segments, so {@code /health} never catches {@code /healthz}); {@code /a*} is a plain prefix.
 */
final class PathRules {

    private static final String ANY_SUFFIX = "*";

    private PathRules() {
    }

    /** An immutable copy of {@code rules}, each checked; {@code field} names the list in messages. */
    static List<String> checked(String field, List<String> rules) {
        if (rules == null) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            String rule = rules.get(i);
            if (rule == null || !rule.startsWith("/")) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a path starting with '/', got "
                        + (rule == null ? "null" : "'" + rule + "'"));
            }
            if (rule.indexOf('?') >= 0) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a path without a query, got '" + rule + "'");
            }
            copy.add(rule);
        }
        return List.copyOf(copy);
    }

    static boolean anyMatches(List<String> rules, String path) {
        for (String rule : rules) {
            if (matches(rule, path)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String rule, String path) {
        if (rule.endsWith(ANY_SUFFIX)) {
            return path.startsWith(rule.substring(0, rule.length() - ANY_SUFFIX.length()));
        }
        if (rule.endsWith("/")) {
            // "/" and "/api/" already end on a segment boundary.
            return path.startsWith(rule) || path.equals(rule.substring(0, rule.length() - 1));
        }
        return path.equals(rule) || (path.startsWith(rule) && path.charAt(rule.length()) == '/');
    }
}
