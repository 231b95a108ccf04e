package io.stampede.report;

import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Locust 2.12's three CSV formats, column for column, so that whatever reads Locust's
 * {@code --csv} output reads ours: {@code *_stats.csv}, {@code *_stats_history.csv} and
 * {@code *_failures.csv}. Units are Locust's: milliseconds, bytes, per second. Rows end with CRLF
 * and fields are quoted as Python's {@code csv} module quotes them.
 *
 * <p>Numbers. Locust writes its percentile columns as whole milliseconds (rounded to about two
 * significant digits); we write the histogram's value in milliseconds with up to 3 decimals and no
 * trailing zeros ({@code 7}, {@code 1.694}), because a service on the loopback answers in a
 * millisecond or two and whole numbers would hide everything. Any reader of Locust's files already
 * copes, since Locust's own median column mixes integers and decimals. Averages, minimum, maximum,
 * content size and rates are decimals ({@code 29.0}, {@code 10.053134}), at most 6 places. Empty
 * entries are written exactly as Locust writes them ({@code 0}, {@code 0.0}, {@code N/A}).
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("lab_stats.csv"), LocustCsv.stats(runStats));
 * }</pre>
 */
public final class LocustCsv {

    /** Locust's {@code Type} column of the aggregate row is empty and its name is this. */
    public static final String AGGREGATED = "Aggregated";

    /** Locust writes this instead of percentiles when an entry has no requests. */
    public static final String NOT_AVAILABLE = "N/A";

    private static final List<String> STATS_COLUMNS = Stream.concat(Stream.of(
                    "Type", "Name", "Request Count", "Failure Count", "Median Response Time",
                    "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size",
                    "Requests/s", "Failures/s"),
            LocustPercentiles.LABELS.stream()).toList();

    /**
     * Ours, after Locust's so that a reader of Locust's columns by position or by name reads them as
     * they are: each phase's mean and 95th percentile in milliseconds (k6's http_req_connecting ...
     * http_req_receiving), {@code N/A} for a row without phase times.
     */
    private static final List<Phase> CSV_PHASES = List.of(Phase.values());
    private static final List<String> PHASE_COLUMNS = CSV_PHASES.stream()
            .flatMap(p -> Stream.of(phaseLabel(p) + " Average (ms)", phaseLabel(p) + " 95% (ms)")).toList();

    private static final List<String> HISTORY_COLUMNS = Stream.of(
                    Stream.of("Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"),
                    LocustPercentiles.LABELS.stream(),
                    Stream.of("Total Request Count", "Total Failure Count", "Total Median Response Time",
                            "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
                            "Total Average Content Size"))
            .flatMap(s -> s).toList();

    private static final List<String> FAILURES_COLUMNS = List.of("Method", "Name", "Error", "Occurrences");

    /** Decimal places of the float columns: sub-microsecond digits of an average are noise. */
    private static final int FLOAT_DECIMALS = 6;
    /** Latencies are recorded in microseconds: 3 decimals of a millisecond are exact. */
    private static final int MILLIS_DECIMALS = 3;

    private LocustCsv() {
    }

    /** The header line of {@code *_stats.csv}, CRLF included: Locust's columns, then the phases'. */
    public static String statsHeader() {
        return Csv.row(Stream.concat(STATS_COLUMNS.stream(), PHASE_COLUMNS.stream()).toList());
    }

    private static String phaseLabel(Phase phase) {
        return switch (phase) {
            case CONNECTING -> "Connecting";
            case TLS_HANDSHAKING -> "TLS Handshaking";
            case SENDING -> "Sending";
            case WAITING -> "Waiting";
            case RECEIVING -> "Receiving";
        };
    }

    /** The header line of {@code *_stats_history.csv}, CRLF included. */
    public static String historyHeader() {
        return Csv.row(HISTORY_COLUMNS);
    }

    /** The header line of {@code *_failures.csv}, CRLF included. */
    public static String failuresHeader() {
        return Csv.row(FAILURES_COLUMNS);
    }

    /**
     * The whole {@code *_stats.csv}: header, one row per request key sorted by name then method, then
     * the {@code Aggregated} row. Rates are over the run so far (Locust's {@code total_rps}).
     */
    public static String stats(RunStats stats) {
        StringBuilder csv = new StringBuilder(statsHeader());
        double seconds = stats.totalsSeconds();
        stats.totals().forEach((key, entry) -> csv.append(statsRow(key.method(), key.name(), entry, seconds)));
        csv.append(statsRow("", AGGREGATED, stats.total(), seconds));
        return csv.toString();
    }

    /**
     * The rows {@code *_stats_history.csv} gets for the second that just ended (no header): one per
     * request key with requests in the current window, then {@code Aggregated}. Rates and
     * percentiles are over the current window ({@link RunStats#current}); percentiles are
     * {@code N/A} when the window holds no request. The {@code Total} columns are cumulative.
     */
    public static String historyRows(RunStats stats) {
        String timestamp = Long.toString(Math.floorDiv(stats.endEpochMillis(), 1000));
        String users = Integer.toString(stats.users());
        double windowSeconds = stats.currentWindowSeconds();
        StringBuilder csv = new StringBuilder();
        for (Map.Entry<RequestKey, EntryStats> total : stats.totals().entrySet()) {
            EntryStats current = stats.current(total.getKey());
            if (current.count() > 0) {
                csv.append(historyRow(timestamp, users, total.getKey().method(), total.getKey().name(),
                        current, windowSeconds, total.getValue()));
            }
        }
        csv.append(historyRow(timestamp, users, "", AGGREGATED, stats.current(null), windowSeconds, stats.total()));
        return csv.toString();
    }

    /** The whole {@code *_failures.csv}: occurrences per (method, name, error), sorted by request then error. */
    public static String failures(RunStats stats) {
        StringBuilder csv = new StringBuilder(failuresHeader());
        for (Map.Entry<FailureKey, Long> failure : stats.failures().entrySet()) {
            FailureKey key = failure.getKey();
            csv.append(Csv.row(List.of(key.method(), key.name(), key.error(), failure.getValue().toString())));
        }
        return csv.toString();
    }

    private static String statsRow(String type, String name, EntryStats entry, double seconds) {
        List<String> row = new ArrayList<>(STATS_COLUMNS.size() + PHASE_COLUMNS.size());
        row.add(type);
        row.add(name);
        row.add(Long.toString(entry.count()));
        row.add(Long.toString(entry.failures()));
        addCumulative(row, entry);
        row.add(decimal(entry.count() / seconds));
        row.add(decimal(entry.failures() / seconds));
        addPercentiles(row, entry);
        addPhases(row, entry.phases());
        return Csv.row(row);
    }

    private static void addPhases(List<String> row, PhaseStats phases) {
        for (Phase phase : CSV_PHASES) {
            boolean none = phases == null || phases.count() == 0;
            row.add(none ? NOT_AVAILABLE : millis(phases.meanMillis(phase)));
            row.add(none ? NOT_AVAILABLE : millis(phases.percentileMillis(phase, 95)));
        }
    }

    private static String historyRow(String timestamp, String users, String type, String name,
                                     EntryStats current, double windowSeconds, EntryStats total) {
        List<String> row = new ArrayList<>(HISTORY_COLUMNS.size());
        row.add(timestamp);
        row.add(users);
        row.add(type);
        row.add(name);
        // Locust formats these two with "%2f", i.e. always six decimals.
        row.add(String.format(Locale.ROOT, "%.6f", current.count() / windowSeconds));
        row.add(String.format(Locale.ROOT, "%.6f", current.failures() / windowSeconds));
        addPercentiles(row, current);
        row.add(Long.toString(total.count()));
        row.add(Long.toString(total.failures()));
        addCumulative(row, total);
        return Csv.row(row);
    }

    /**
     * Median, average, min, max and average content size, in Locust's order. An empty entry gets
     * Locust's own values for "nothing yet" ({@code 0,0.0,0,0,0}) so our empty rows equal its rows.
     */
    private static void addCumulative(List<String> row, EntryStats entry) {
        if (entry.count() == 0) {
            row.addAll(List.of("0", "0.0", "0", "0", "0"));
            return;
        }
        row.add(millis(entry.medianMillis()));
        row.add(decimal(entry.averageMillis()));
        row.add(decimal(entry.minMillis()));
        row.add(decimal(entry.maxMillis()));
        row.add(decimal(entry.averageContentBytes()));
    }

    private static void addPercentiles(List<String> row, EntryStats entry) {
        for (double percentile : LocustPercentiles.VALUES) {
            row.add(entry.count() == 0 ? NOT_AVAILABLE : millis(entry.percentileMillis(percentile)));
        }
    }

    /** Milliseconds with up to 3 decimals and no trailing zeros: "7", "1.694". */
    static String millis(double value) {
        return BigDecimal.valueOf(value).setScale(MILLIS_DECIMALS, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /** A float column as Python prints it (always a decimal point, never an exponent), 6 places at most. */
    static String decimal(double value) {
        if (!Double.isFinite(value)) {
            return "0.0";
        }
        String text = BigDecimal.valueOf(value).setScale(FLOAT_DECIMALS, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
        return text.indexOf('.') < 0 ? text + ".0" : text;
    }
}
