package io.stampede.report;

import static io.stampede.report.Fixtures.HEALTH;
import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.engine.WorkerStatus;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFolderTest {

    private static final FailureKey REFUSED = new FailureKey("GET", "/", "connection refused");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    /** Writes where the fixture plan with these results folder and CSV prefix says. */
    private ResultsFolder listener(Path resultsDir, String csvPrefix) {
        return new ResultsFolder(Fixtures.plan(resultsDir, csvPrefix).output(),
                new PrintStream(errors, true, StandardCharsets.UTF_8), ZoneOffset.UTC);
    }

    private static IntervalStats busySecond(int s) {
        return second(s, 10, Map.of(ROOT, failed(ok(2, 3), 9), HEALTH, ok(1)), Map.of(REFUSED, 1L));
    }

    @Test
    void startCreatesTheNamedFolderWithEveryFile() throws IOException {
        ResultsFolder results = listener(dir.resolve("results"), null);

        results.onStart(Fixtures.run(Fixtures.plan(dir.resolve("results"), null)));

        assertThat(results.folder()).isEqualTo(dir.resolve("results").resolve("lab-13-20261127-093140"));
        assertThat(Files.readString(results.folder().resolve("stats_history.csv")))
                .isEqualTo(LocustCsv.historyHeader());
        assertThat(CsvReader.parse(Files.readString(results.folder().resolve("stats.csv"))))
                .extracting(row -> row.get(1)).containsExactly("Name", "Aggregated");
        assertThat(Files.readString(results.folder().resolve("failures.csv"))).isEqualTo(LocustCsv.failuresHeader());
        assertThat(summary(results).get("status").asText()).isEqualTo("running");
    }

    @Test
    void afterEverySecondTheFilesAreCompleteAndParseable() throws IOException {
        ResultsFolder results = listener(dir, null);
        results.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        RunStats stats = new RunStats(START);

        for (int s = 0; s < 3; s++) {
            IntervalStats interval = busySecond(s);
            stats.add(interval);
            results.onInterval(interval, stats);

            // What a reader (or a kill -9 right now) finds: every file whole, up to this second.
            int seconds = s + 1;
            List<List<String>> statsRows = CsvReader.parse(Files.readString(results.folder().resolve("stats.csv")));
            assertThat(statsRows).hasSize(4);
            assertThat(statsRows.getLast().subList(1, 4))
                    .containsExactly("Aggregated", Long.toString(4L * seconds), Long.toString(seconds));

            List<List<String>> history = CsvReader.parse(Files.readString(results.folder().resolve("stats_history.csv")));
            assertThat(history).hasSize(1 + 3 * seconds);
            assertThat(history).allSatisfy(row -> assertThat(row).hasSize(24));
            assertThat(history.getLast().get(0)).isEqualTo(Long.toString(START / 1000 + seconds));

            assertThat(CsvReader.parse(Files.readString(results.folder().resolve("failures.csv"))).get(1))
                    .containsExactly("GET", "/", "connection refused", Long.toString(seconds));

            JsonNode summary = summary(results);
            assertThat(summary.get("status").asText()).isEqualTo("running");
            assertThat(summary.get("points")).hasSize(seconds);
        }
        try (Stream<Path> files = Files.list(results.folder())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("summary.json", "stats.csv", "stats_history.csv", "failures.csv", "events.jsonl");
        }
    }

    @Test
    void finishWritesTheLastPartialSecondAndTheFinalStatus() throws IOException {
        ResultsFolder results = listener(dir, null);
        results.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        RunStats stats = new RunStats(START);
        stats.add(busySecond(0));
        results.onInterval(null, stats);
        stats.add(new IntervalStats(START + 1000, START + 1400, 0, Map.of(ROOT, ok(4)), Map.of()));

        results.onFinish(stats);

        List<List<String>> history = CsvReader.parse(Files.readString(results.folder().resolve("stats_history.csv")));
        assertThat(history).filteredOn(row -> row.get(3).equals("Aggregated")).hasSize(2);
        JsonNode summary = summary(results);
        assertThat(summary.get("status").asText()).isEqualTo("finished");
        assertThat(summary.get("totals").get("requests").asLong()).isEqualTo(5);
        assertThat(summary.get("durationSeconds").asDouble()).isEqualTo(1.4);
    }

    @Test
    void aSecondRunInTheSameSecondGetsTheNextSuffix() {
        ResultsFolder first = listener(dir, null);
        ResultsFolder second = listener(dir, null);
        ResultsFolder third = listener(dir, null);

        first.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        second.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        third.onStart(Fixtures.run(Fixtures.plan(dir, null)));

        assertThat(List.of(first.folder(), second.folder(), third.folder()))
                .extracting(path -> path.getFileName().toString())
                .containsExactly("lab-13-20261127-093140", "lab-13-20261127-093140-2", "lab-13-20261127-093140-3");
    }

    @Test
    void aCsvPrefixAlsoWritesLocustsFileNamesWithTheSameContent() throws IOException {
        String prefix = dir.resolve("out").resolve("csv").resolve("lab").toString();
        ResultsFolder results = listener(dir.resolve("results"), prefix);
        results.onStart(Fixtures.run(Fixtures.plan(dir.resolve("results"), prefix)));
        RunStats stats = new RunStats(START);
        stats.add(busySecond(0));
        results.onInterval(null, stats);
        stats.add(busySecond(1));
        results.onInterval(null, stats);

        for (String file : List.of("stats.csv", "stats_history.csv", "failures.csv")) {
            assertThat(Path.of(prefix + "_" + file)).hasSameTextualContentAs(results.folder().resolve(file));
        }
        results.onFinish(stats);
        assertThat(Path.of(prefix + "_stats.csv")).hasSameTextualContentAs(results.folder().resolve("stats.csv"));
    }

    @Test
    void withoutAResultsDirOnlyThePrefixFilesAreWritten() throws IOException {
        String prefix = dir.resolve("lab").toString();
        ResultsFolder results = listener(null, prefix);

        results.onStart(Fixtures.run(Fixtures.plan(null, prefix)));
        results.onFinish(new RunStats(START));

        assertThat(results.folder()).isNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("lab_stats.csv", "lab_stats_history.csv", "lab_failures.csv");
        }
    }

    @Test
    void aWriteErrorIsReportedOnceAndTheRunGoesOn() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("results"), "a file where the folder should be");
        String prefix = dir.resolve("lab").toString();
        ResultsFolder results = listener(notADirectory, prefix);
        RunStats stats = new RunStats(START);

        results.onStart(Fixtures.run(Fixtures.plan(notADirectory, prefix)));
        for (int s = 0; s < 3; s++) {
            stats.add(busySecond(s));
            results.onInterval(null, stats);
        }
        results.onFinish(stats);

        assertThat(errors.toString(StandardCharsets.UTF_8).lines()).singleElement()
                .asString().startsWith("stampede: cannot write results to " + notADirectory);
        assertThat(CsvReader.parse(Files.readString(Path.of(prefix + "_stats.csv"))).getLast().get(2)).isEqualTo("12");
    }

    @Test
    void aMasterRunRecordsEachWorkersTotalsInTheSummaryAndWorkersCsv() throws IOException {
        ResultsFolder results = listener(dir, null);
        List<WorkerStatus> workers = List.of(
                new WorkerStatus("w1", "box-a /127.0.0.1:40001", WorkerStatus.State.FINISHED, 0, 3, 1, 0, 12.0, 96.5, 200,
                        START, START + 1400),
                new WorkerStatus("w2", "box, \"b\" /127.0.0.1:40002", WorkerStatus.State.LOST, 0, 1, 0, 0, null, null, 9000,
                        START + 100, START + 900));
        results.workers(() -> workers);
        results.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        RunStats stats = new RunStats(START);
        stats.add(second(0, 10, Map.of(ROOT, failed(ok(2, 3), 9), HEALTH, ok(1)), Map.of(REFUSED, 1L)));

        results.onFinish(stats);

        JsonNode totals = summary(results).get("workers");
        assertThat(totals).hasSize(2);
        assertThat(totals.get(0).fieldNames()).toIterable().containsExactly("id", "host", "state", "requests", "failures",
                "firstSeen", "lastSeen", "peakCpuPercent");
        assertThat(totals.get(0).path("state").asText()).isEqualTo("finished");
        assertThat(totals.get(0).path("firstSeen").asText()).isEqualTo("2026-11-27T09:31:40Z");
        assertThat(totals.get(0).path("lastSeen").asText()).isEqualTo("2026-11-27T09:31:41.400Z");
        assertThat(totals.get(0).path("peakCpuPercent").asDouble()).isEqualTo(96.5);
        assertThat(totals.get(1).path("state").asText()).isEqualTo("lost");
        assertThat(totals.get(1).path("peakCpuPercent").isNull()).isTrue();
        long sum = 0;
        for (JsonNode worker : totals) {
            sum += worker.path("requests").asLong();
        }
        assertThat(sum).as("the run's requests are its workers'").isEqualTo(summary(results).at("/totals/requests").asLong());
        assertThat(CsvReader.parse(Files.readString(results.folder().resolve("workers.csv")))).containsExactly(
                List.of("id", "host", "state", "requests", "failures", "first_seen", "last_seen", "peak_cpu_percent"),
                List.of("w1", "box-a /127.0.0.1:40001", "finished", "3", "1", "2026-11-27T09:31:40Z",
                        "2026-11-27T09:31:41.400Z", "96.5"),
                List.of("w2", "box, \"b\" /127.0.0.1:40002", "lost", "1", "0", "2026-11-27T09:31:40.100Z",
                        "2026-11-27T09:31:40.900Z", ""));
    }

    @Test
    void aRunOnThisMachineHasNoWorkersInItsSummaryNorAWorkersCsv() throws IOException {
        ResultsFolder results = listener(dir, null);
        results.onStart(Fixtures.run(Fixtures.plan(dir, null)));
        RunStats stats = new RunStats(START);
        stats.add(busySecond(0));
        results.onFinish(stats);

        assertThat(summary(results).has("workers")).isFalse();
        assertThat(results.folder().resolve("workers.csv")).doesNotExist();
    }

    @Test
    void planNamesBecomeSafeFolderNames() {
        assertThat(ResultsFolder.safeName("lab-13")).isEqualTo("lab-13");
        assertThat(ResultsFolder.safeName("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(ResultsFolder.safeName("my test: v2")).isEqualTo("my-test-v2");
        assertThat(ResultsFolder.safeName("..")).isEqualTo("run");
    }

    private static JsonNode summary(ResultsFolder results) throws IOException {
        return new ObjectMapper().readTree(results.folder().resolve("summary.json").toFile());
    }
}
