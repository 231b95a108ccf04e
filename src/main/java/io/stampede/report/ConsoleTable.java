package io.stampede.report;

import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Locust's end-of-run console tables, as text: the request statistics, the "Response time
 * percentiles (approximated)" table and, when something failed, the "Error report". Same columns,
 * same order, same widths as Locust's {@code print_stats}, {@code print_percentile_stats} and
 * {@code print_error_report}, so a Locust user reads it at a glance.
 *
 * <p>Two differences, both on purpose. The name column is as wide as the longest name (at least
 * {@value #MIN_NAME_WIDTH}) instead of following the terminal, so long names never break the
 * columns; and it is the same width in both tables so they line up. Latencies are whole
 * milliseconds as in Locust, but rounded rather than truncated; the CSV and JSON files keep the
 * exact values. Rates are over the whole run (Locust's {@code current=False} at exit). Lines end
 * with {@code \n} and carry no trailing spaces.
 *
 * <pre>{@code
 * System.out.print(ConsoleTable.render(runStats));
 * }</pre>
 */
public final class ConsoleTable {

    /** Narrowest name column: wide enough for "Aggregated" and typical paths, short of Locust's 80. */
    static final int MIN_NAME_WIDTH = 20;
    private static final int TYPE_WIDTH = 8;
    private static final int OCCURRENCES_WIDTH = 18;

    private ConsoleTable() {
    }

    /** All three tables, separated by blank lines; the error report only when there were failures. */
    public static String render(RunStats stats) {
        StringBuilder text = new StringBuilder(requestStats(stats)).append('\n').append(percentiles(stats));
        if (!stats.failures().isEmpty()) {
            text.append('\n').append(errorReport(stats));
        }
        return text.toString();
    }

    /** Type, Name, # reqs, # fails, Avg, Min, Max, Med, req/s, failures/s; then the Aggregated line. */
    public static String requestStats(RunStats stats) {
        int nameWidth = nameWidth(stats);
        String header = "%-" + TYPE_WIDTH + "s %-" + nameWidth + "s %7s %12s |%7s %7s %7s%7s | %7s %11s";
        String row = "%-" + TYPE_WIDTH + "s %-" + nameWidth + "s %7d %12s |%7d %7d %7d%7d | %7.2f %11.2f";
        String separator = "-".repeat(TYPE_WIDTH) + '|' + "-".repeat(nameWidth) + '|' + "-".repeat(7) + '|'
                + "-".repeat(13) + '|' + "-".repeat(7) + '|' + "-".repeat(7) + '|' + "-".repeat(7) + '|'
                + "-".repeat(7) + '|' + "-".repeat(8) + '|' + "-".repeat(11);
        double seconds = stats.totalsSeconds();
        List<String> lines = new ArrayList<>();
        lines.add(format(header, "Type", "Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s",
                "failures/s"));
        lines.add(separator);
        stats.totals().forEach((key, entry) -> lines.add(statsLine(row, key.method() + " ", key.name(), entry, seconds)));
        lines.add(separator);
        lines.add(statsLine(row, "", LocustCsv.AGGREGATED, stats.total(), seconds));
        return join(lines);
    }

    /** Latency at Locust's 11 percentiles and the request count, per key and aggregated. */
    public static String percentiles(RunStats stats) {
        int nameWidth = nameWidth(stats);
        int columns = LocustPercentiles.VALUES.size();
        // Locust's layout: the first value sits in an 8-wide column, the rest (and # reqs) in 6-wide ones.
        String layout = "%-" + TYPE_WIDTH + "s %-" + nameWidth + "s %8s" + " %6s".repeat(columns);
        StringBuilder separator = new StringBuilder("-".repeat(TYPE_WIDTH)).append('|')
                .append("-".repeat(nameWidth)).append('|').append("-".repeat(8));
        for (int i = 0; i < columns; i++) {
            separator.append('|').append("-".repeat(6));
        }
        List<String> lines = new ArrayList<>();
        lines.add("Response time percentiles (approximated)");
        List<Object> header = new ArrayList<>(List.of("Type", "Name"));
        header.addAll(LocustPercentiles.LABELS);
        header.add("# reqs");
        lines.add(format(layout, header.toArray()));
        lines.add(separator.toString());
        for (Map.Entry<RequestKey, EntryStats> entry : stats.totals().entrySet()) {
            if (entry.getValue().count() > 0) {
                lines.add(percentileLine(layout, entry.getKey().method(), entry.getKey().name(), entry.getValue()));
            }
        }
        lines.add(separator.toString());
        if (stats.total().count() > 0) {
            lines.add(percentileLine(layout, "", LocustCsv.AGGREGATED, stats.total()));
        }
        return join(lines);
    }

    /** "# occurrences" and "Method Name: Error", most frequent first; empty when nothing failed. */
    public static String errorReport(RunStats stats) {
        if (stats.failures().isEmpty()) {
            return "";
        }
        String separator = "-".repeat(OCCURRENCES_WIDTH) + '|'
                + "-".repeat(requestStatsWidth(nameWidth(stats)) - OCCURRENCES_WIDTH - 1);
        String layout = "%-" + OCCURRENCES_WIDTH + "s %s";
        List<String> lines = new ArrayList<>();
        lines.add("Error report");
        lines.add(format(layout, "# occurrences", "Error"));
        lines.add(separator);
        stats.failures().entrySet().stream()
                .sorted(Map.Entry.<FailureKey, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(failure -> {
                    FailureKey key = failure.getKey();
                    lines.add(format(layout, failure.getValue(), key.method() + " " + key.name() + ": " + key.error()));
                });
        lines.add(separator);
        return join(lines);
    }

    private static String statsLine(String layout, String type, String name, EntryStats entry, double seconds) {
        String fails = String.format(Locale.ROOT, "%d(%.2f%%)", entry.failures(), entry.failureRatio() * 100);
        return format(layout, type, name, entry.count(), fails, wholeMillis(entry.averageMillis()),
                wholeMillis(entry.minMillis()), wholeMillis(entry.maxMillis()), wholeMillis(entry.medianMillis()),
                entry.count() / seconds, entry.failures() / seconds);
    }

    private static String percentileLine(String layout, String type, String name, EntryStats entry) {
        List<Object> values = new ArrayList<>(List.of(type, name));
        for (double percentile : LocustPercentiles.VALUES) {
            values.add(Long.toString(wholeMillis(entry.percentileMillis(percentile))));
        }
        values.add(Long.toString(entry.count()));
        return format(layout, values.toArray());
    }

    private static int nameWidth(RunStats stats) {
        int longest = stats.totals().keySet().stream().mapToInt(key -> key.name().length()).max().orElse(0);
        return Math.max(MIN_NAME_WIDTH, longest);
    }

    /** Width of a request statistics line: the error report's separator spans the same. */
    private static int requestStatsWidth(int nameWidth) {
        return TYPE_WIDTH + 1 + nameWidth + 1 + 7 + 1 + 12 + 2 + 7 + 1 + 7 + 1 + 7 + 7 + 3 + 7 + 1 + 11;
    }

    private static long wholeMillis(double millis) {
        return Math.round(millis);
    }

    private static String format(String layout, Object... values) {
        return String.format(Locale.ROOT, layout, values).stripTrailing();
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
