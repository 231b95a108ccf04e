package io.stampede.report;

import static io.stampede.report.Fixtures.HEALTH;
import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseStats;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocustCsvTest {

    /** Locust's real files (Locust 2.12's own output, see the README beside them), from the test classpath. */
    private static Path reference(String file) {
        URL url = LocustCsvTest.class.getResource("locust-2.12-csv/" + file);
        if (url == null) {
            throw new AssertionError("Locust reference file missing from src/test/resources: " + file);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String firstLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf("\r\n") + 2);
    }

    @Test
    void headersEqualLocustsByteForByte() throws IOException {
        String locustStats = firstLine(reference("lab_stats.csv"));
        assertThat(LocustCsv.statsHeader()).startsWith(locustStats.substring(0, locustStats.length() - 2) + ",Connecting Average (ms),");
        assertThat(LocustCsv.historyHeader()).isEqualTo(firstLine(reference("lab_stats_history.csv")));
        assertThat(LocustCsv.failuresHeader()).isEqualTo(firstLine(reference("lab_failures.csv")));
        assertThat(firstLine(reference("refused_stats.csv"))).isEqualTo(locustStats);
    }

    @Test
    void thePhasesColumnsComeAfterLocustsAndAreNotAvailableWithoutPhaseTimes() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(ROOT, ok(2)), Map.of()));

        List<List<String>> rows = CsvReader.parse(LocustCsv.stats(stats));

        assertThat(rows.get(0).subList(22, 32)).containsExactly("Connecting Average (ms)", "Connecting 95% (ms)",
                "TLS Handshaking Average (ms)", "TLS Handshaking 95% (ms)", "Sending Average (ms)", "Sending 95% (ms)",
                "Waiting Average (ms)", "Waiting 95% (ms)", "Receiving Average (ms)", "Receiving 95% (ms)");
        assertThat(rows.get(1).subList(22, 32)).containsOnly("N/A");
    }

    @Test
    void thePhasesColumnsHoldEachPhasesMeanAnd95thPercentile() {
        EntryStats entry = ok(5);
        PhaseStats phases = new PhaseStats();
        PhaseTimes times = new PhaseTimes();
        times.add(Phase.CONNECTING, 1_000_000);   // 1 ms, first use
        times.add(Phase.WAITING, 3_000_000);
        phases.record(times);
        times.reset();
        times.add(Phase.WAITING, 5_000_000);
        phases.record(times);
        entry.addPhases(phases);
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(ROOT, entry), Map.of()));

        List<String> aggregated = CsvReader.parse(LocustCsv.stats(stats)).get(2);

        // The phases' histograms are exact to 1%.
        assertThat(Double.parseDouble(aggregated.get(22))).isCloseTo(0.5, withinPercentage(1));   // connecting: mean
        assertThat(Double.parseDouble(aggregated.get(23))).isCloseTo(1, withinPercentage(1));     // and p95
        assertThat(aggregated.subList(24, 26)).containsExactly("0", "0");                         // no TLS
        assertThat(Double.parseDouble(aggregated.get(28))).isCloseTo(4, withinPercentage(1));     // waiting
        assertThat(Double.parseDouble(aggregated.get(29))).isCloseTo(5, withinPercentage(1));
    }

    @Test
    void anEmptySecondIsWrittenExactlyAsLocustWritesIt() throws IOException {
        RunStats stats = new RunStats(START + 1000);   // the reference row's timestamp, 0 users, no request

        String file = LocustCsv.historyHeader() + LocustCsv.historyRows(stats);

        assertThat(file).isEqualTo(Files.readString(reference("lab_stats_history.csv")));
    }

    @Test
    void aggregatedRowSumsTheKeysExactly() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 10, Map.of(ROOT, ok(2, 4), HEALTH, failed(ok(1), 8)), Map.of()));
        stats.add(second(1, 10, Map.of(ROOT, failed(ok(6), 30)), Map.of()));

        List<List<String>> rows = CsvReader.parse(LocustCsv.stats(stats));

        assertThat(rows).hasSize(4);
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(32)); // Locust's 22, then the phases'
        assertThat(rows.get(1).subList(0, 4)).containsExactly("GET", "/", "4", "1");
        assertThat(rows.get(2).subList(0, 4)).containsExactly("GET", "/health", "2", "1");
        List<String> aggregated = rows.get(3);
        assertThat(aggregated.subList(0, 4)).containsExactly("", "Aggregated", "6", "2");
        assertThat(aggregated.get(5)).isEqualTo("8.5");          // average: (2+4+6+30+1+8)/6 ms
        assertThat(aggregated.get(6)).isEqualTo("1.0");          // min
        assertThat(aggregated.get(7)).isEqualTo("30.0");         // max
        assertThat(aggregated.get(8)).isEqualTo("6.666667");     // content: 40 bytes / 6
        assertThat(aggregated.get(9)).isEqualTo("3.0");          // 6 requests in 2 s
        assertThat(aggregated.get(10)).isEqualTo("1.0");         // 2 failures in 2 s
        assertThat(aggregated.get(21)).isEqualTo("30");          // 100%: the exact maximum
        assertThat(rows.get(1).get(9)).isEqualTo("2.0");         // per key: 4 requests in 2 s
    }

    @Test
    void rowsAreSortedByNameThenMethod() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(new RequestKey("POST", "/a"), ok(1), new RequestKey("GET", "/b"), ok(1),
                new RequestKey("GET", "/a"), ok(1)), Map.of()));

        List<List<String>> rows = CsvReader.parse(LocustCsv.stats(stats));

        assertThat(rows.stream().skip(1).map(row -> row.get(0) + " " + row.get(1)))
                .containsExactly("GET /a", "POST /a", "GET /b", " Aggregated");
    }

    @Test
    void aNameWithACommaAndAQuoteIsQuotedAndReadsBack() {
        String name = "/search?q=a,\"b\"";
        String error = "HTTP 500: \"oops\", said the server\nsecond line";
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(new RequestKey("GET", name), failed(ok(), 3)),
                Map.of(new FailureKey("GET", name, error), 1L)));

        String statsCsv = LocustCsv.stats(stats);
        String failuresCsv = LocustCsv.failures(stats);

        assertThat(statsCsv).contains("GET,\"/search?q=a,\"\"b\"\"\",1,1,");
        assertThat(CsvReader.parse(statsCsv).get(1).get(1)).isEqualTo(name);
        assertThat(CsvReader.parse(failuresCsv).get(1)).containsExactly("GET", name, error, "1");
    }

    @Test
    void quotesOnlyWhatMustBeQuoted() {
        assertThat(Csv.field("/health")).isEqualTo("/health");
        assertThat(Csv.field("")).isEmpty();
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Csv.row(List.of("a", "b,c", ""))).isEqualTo("a,\"b,c\",\r\n");
    }

    @Test
    void failuresAreGroupedByRequestAndError() {
        FailureKey refused = new FailureKey("GET", "/", "connection refused");
        FailureKey reset = new FailureKey("GET", "/", "connection reset");
        FailureKey healthRefused = new FailureKey("GET", "/health", "connection refused");
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(ROOT, failed(ok(), 1, 1, 1)), Map.of(refused, 3L)));
        stats.add(second(1, 1, Map.of(ROOT, failed(ok(), 1, 1, 1), HEALTH, failed(ok(), 1)),
                Map.of(refused, 2L, reset, 1L, healthRefused, 1L)));

        assertThat(LocustCsv.failures(stats)).isEqualTo("""
                Method,Name,Error,Occurrences\r
                GET,/,connection refused,5\r
                GET,/,connection reset,1\r
                GET,/health,connection refused,1\r
                """);
    }

    @Test
    void historyGetsOneBlockPerSecondWithTheKeysActiveInTheWindow() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 5, Map.of(ROOT, ok(2, 4), HEALTH, ok(3)), Map.of()));

        List<List<String>> first = CsvReader.parse(LocustCsv.historyRows(stats));

        assertThat(first).extracting(row -> row.get(3)).containsExactly("/", "/health", "Aggregated");
        assertThat(first).allSatisfy(row -> assertThat(row).hasSize(24));
        assertThat(first.get(2).subList(0, 6))
                .containsExactly(Long.toString(START / 1000 + 1), "5", "", "Aggregated", "3.000000", "0.000000");
        assertThat(first.get(2).get(16)).isEqualTo("4");        // current 100%
        assertThat(first.get(2).get(17)).isEqualTo("3");        // Total Request Count

        // /health is idle for the next 10 s and leaves the window; its totals stay in *_stats.csv.
        for (int s = 1; s <= 10; s++) {
            stats.add(second(s, 5, Map.of(ROOT, ok(1)), Map.of()));
        }
        List<List<String>> later = CsvReader.parse(LocustCsv.historyRows(stats));

        assertThat(later).extracting(row -> row.get(3)).containsExactly("/", "Aggregated");
        assertThat(later.get(1).get(4)).isEqualTo("1.000000");  // 10 requests over the 10 s window
        assertThat(later.get(1).get(17)).isEqualTo("13");       // cumulative
    }

    @Test
    void percentilesAreNotAvailableWhenTheWindowIsEmpty() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 3, Map.of(ROOT, ok(5)), Map.of()));
        for (int s = 1; s <= 10; s++) {
            stats.add(second(s, 3, Map.of(), Map.of()));
        }

        List<String> aggregated = CsvReader.parse(LocustCsv.historyRows(stats)).getFirst();

        assertThat(aggregated.get(3)).isEqualTo("Aggregated");
        assertThat(aggregated.subList(6, 17)).containsOnly("N/A");
        assertThat(aggregated.subList(17, 24)).containsExactly("1", "0", "5", "5.0", "5.0", "5.0", "10.0");
    }

    @Test
    void numbersLookLikeLocusts() {
        assertThat(LocustCsv.decimal(29)).isEqualTo("29.0");
        assertThat(LocustCsv.decimal(0)).isEqualTo("0.0");
        assertThat(LocustCsv.decimal(10.0531341363)).isEqualTo("10.053134");
        assertThat(LocustCsv.decimal(12_345_678.5)).isEqualTo("12345678.5");
        assertThat(LocustCsv.decimal(0.0000001)).isEqualTo("0.0");
        assertThat(LocustCsv.millis(7.0)).isEqualTo("7");
        assertThat(LocustCsv.millis(1.694)).isEqualTo("1.694");
        assertThat(LocustCsv.millis(1.6939999999)).isEqualTo("1.694");
        assertThat(LocustPercentiles.LABELS).containsExactly("50%", "66%", "75%", "80%", "90%", "95%", "98%",
                "99%", "99.9%", "99.99%", "100%");
        assertThat(Collections.frequency(CsvReader.parse(LocustCsv.statsHeader()).getFirst(), "Requests/s")).isOne();
    }
}
