package io.stampede.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.engine.RunListener;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.plan.Plan;
import io.stampede.slo.Verdict;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a run's results while it goes, so that a run killed at any moment (even with
 * {@code kill -9}) leaves complete, parseable files up to its last second:
 *
 * <pre>
 * results/lab-13-20260105-100000/
 *     summary.json         rewritten every second ("status": "running", then "finished", "interrupted" or "aborted")
 *     stats.csv            Locust's *_stats.csv, rewritten every second
 *     stats_history.csv    Locust's *_stats_history.csv, one block appended every second
 *     failures.csv         Locust's *_failures.csv, rewritten every second
 *     events.jsonl         the timeline, one event a line, appended as it happens
 *     slots.csv            request outcomes per 10 ms slot (see SlotsCsv), written when the run ends
 *     workers.csv          a --master run's networked workers, their totals and end state, written when the run ends
 * </pre>
 *
 * The folder is {@code <resultsDir>/<plan name>-<yyyyMMdd-HHmmss>} in local time, with {@code -2},
 * {@code -3}, ... when it exists. With {@code --csv PREFIX} the three CSVs are also written as
 * {@code PREFIX_stats.csv}, {@code PREFIX_stats_history.csv} and {@code PREFIX_failures.csv}.
 *
 * <p>Rewritten files are written to a temporary file in the same folder and renamed over the old
 * one, so a reader (or a kill) never sees half a file; the history is appended one whole block per
 * write. Nothing is fsynced: that guards against a crash of the machine, not of the process, and
 * would cost a disk flush per file per second. A write error is reported once on stderr and the
 * run goes on: losing a results file must not lose the test.
 */
public final class ResultsFolder implements RunListener {

    static final String SUMMARY = "summary.json";
    static final String STATS = "stats.csv";
    static final String HISTORY = "stats_history.csv";
    static final String FAILURES = "failures.csv";
    static final String WORKERS = "workers.csv";

    static final String EVENTS = "events.jsonl";
    static final String SLOTS = "slots.csv";
    private static final ObjectMapper EVENT_JSON = new ObjectMapper();
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Plan.Output output;
    private final PrintStream errors;
    private final ZoneId zone;
    private final List<CsvSet> csvSets = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private volatile Verdict verdict;
    /** Null unless the run is a {@code --master} one: no workers in the summary then. */
    private volatile Supplier<List<WorkerStatus>> workers;
    private volatile Path folder;
    private RunInfo run;
    private int pointsInHistory;
    private boolean errorReported;

    /** Writes where {@code output} says; reports write errors on {@code System.err}; folder names in the system's time zone. */
    public ResultsFolder(Plan.Output output) {
        this(output, System.err, ZoneId.systemDefault());
    }

    /**
     * @param output where to write
     * @param errors where the one write-error message goes
     * @param zone   time zone of the folder name's timestamp
     */
    public ResultsFolder(Plan.Output output, PrintStream errors, ZoneId zone) {
        this.output = Objects.requireNonNull(output, "output");
        this.errors = errors;
        this.zone = zone;
    }

    /**
     * Adds an event to the timeline: appended to {@code events.jsonl} at once (flushed, so a killed
     * run keeps it) and included in {@code summary.json}. Events before the folder exists are kept
     * and written when it is made. Safe from any thread.
     */
    public void event(Event event) {
        synchronized (events) {
            events.add(event);
            if (folder != null) {
                Path file = folder.resolve(EVENTS);
                attempt(file, () -> Files.write(file, eventLine(event), StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            }
        }
    }

    private static byte[] eventLine(Event event) throws IOException {
        return (EVENT_JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<Event> eventsSoFar() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The networked workers of a {@code --master} run, written into summary.json and workers.csv from now on. */
    public void workers(Supplier<List<WorkerStatus>> workers) {
        this.workers = workers;
    }

    /** The run's verdict, written into summary.json from now on (the SLO tracker sets it at the end). */
    public void verdict(Verdict verdict) {
        this.verdict = verdict;
    }

    /** The run's folder once {@link #onStart} made it; null before, or when the plan asks for none. */
    public Path folder() {
        return folder;
    }

    @Override
    public void onStart(RunInfo run) {
        this.run = run;
        output.resultsDir().ifPresent(dir -> attempt(dir, () -> {
            synchronized (events) {
                folder = createFolder(dir, run);
                Path file = folder.resolve(EVENTS);
                ByteArrayOutputStream earlier = new ByteArrayOutputStream();
                for (Event e : events) {
                    earlier.write(eventLine(e));
                }
                Files.write(file, earlier.toByteArray());
            }
            csvSets.add(new CsvSet(folder.resolve(STATS), folder.resolve(HISTORY), folder.resolve(FAILURES)));
        }));
        output.csvPrefix().ifPresent(prefix -> csvSets.add(new CsvSet(Path.of(prefix + "_stats.csv"),
                Path.of(prefix + "_stats_history.csv"), Path.of(prefix + "_failures.csv"))));
        RunStats empty = new RunStats(run.startEpochMillis());
        for (CsvSet set : csvSets) {
            attempt(set.history, set::openHistory);
        }
        rewrite(empty, SummaryJson.Status.RUNNING, null);
    }

    @Override
    public void onInterval(IntervalStats interval, RunStats stats) {
        if (run == null) {
            return;
        }
        appendHistory(stats);
        rewrite(stats, SummaryJson.Status.RUNNING, null);
    }

    @Override
    public void onFinish(RunStats stats) {
        onFinish(stats, null);
    }

    @Override
    public void onFinish(RunStats stats, RunEnd end) {
        if (run == null) {
            return;
        }
        // The runner may add a last partial second without an onInterval: give it its history block.
        if (stats.points().size() > pointsInHistory) {
            appendHistory(stats);
        }
        rewrite(stats, end == null ? SummaryJson.Status.FINISHED : SummaryJson.Status.of(end), end);
        Path dir = folder;
        if (dir != null) {
            attempt(dir.resolve(SLOTS), () -> replace(dir.resolve(SLOTS), SlotsCsv.of(stats.slots())));
            Supplier<List<WorkerStatus>> cluster = workers;
            if (cluster != null) {
                byte[] rows = WorkersCsv.of(cluster.get()).getBytes(StandardCharsets.UTF_8);
                attempt(dir.resolve(WORKERS), () -> replace(dir.resolve(WORKERS), rows));
            }
        }
        for (CsvSet set : csvSets) {
            attempt(set.history, set::closeHistory);
        }
    }

    private void appendHistory(RunStats stats) {
        byte[] block = LocustCsv.historyRows(stats).getBytes(StandardCharsets.UTF_8);
        for (CsvSet set : csvSets) {
            attempt(set.history, () -> set.appendHistory(block));
        }
        pointsInHistory = stats.points().size();
    }

    private void rewrite(RunStats stats, SummaryJson.Status status, RunEnd end) {
        byte[] statsCsv = LocustCsv.stats(stats).getBytes(StandardCharsets.UTF_8);
        byte[] failuresCsv = LocustCsv.failures(stats).getBytes(StandardCharsets.UTF_8);
        for (CsvSet set : csvSets) {
            attempt(set.stats, () -> replace(set.stats, statsCsv));
            attempt(set.failures, () -> replace(set.failures, failuresCsv));
        }
        Path dir = folder;
        if (dir != null) {
            Path summary = dir.resolve(SUMMARY);
            Supplier<List<WorkerStatus>> cluster = workers;
            List<WorkerStatus> totals = cluster == null ? null : cluster.get();
            attempt(summary, () -> replace(summary, SummaryJson.toBytes(run, stats, status, eventsSoFar(), verdict, end, totals)));
        }
    }

    /** Makes {@code <dir>/<name>-<time>}, or the first free {@code -2}, {@code -3}, ... */
    private Path createFolder(Path dir, RunInfo run) throws IOException {
        Files.createDirectories(dir);
        String base = safeName(run.name()) + "-"
                + FOLDER_TIME.format(Instant.ofEpochMilli(run.startEpochMillis()).atZone(zone));
        for (int n = 1; ; n++) {
            try {
                // createDirectory fails when the folder exists: checking and creating in one step
                // means two runs started in the same second never share a folder.
                return Files.createDirectory(dir.resolve(n == 1 ? base : base + "-" + n));
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    /** A plan name is free text; a folder name must not climb out of resultsDir or break a shell. */
    static String safeName(String name) {
        String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "");
        return safe.isEmpty() ? "run" : safe;
    }

    /** Writes beside the target, then renames over it: readers see the old file or the new one. */
    static void replace(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(temp, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException notHere) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void attempt(Path path, IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            if (!errorReported) {
                errorReported = true;
                errors.println("stampede: cannot write results to " + path + " (" + e
                        + "); the run goes on, further write errors are not shown");
            }
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Locust's three CSV files at one place: in the results folder, or at {@code --csv PREFIX}. */
    private static final class CsvSet {
        final Path stats;
        final Path history;
        final Path failures;
        private OutputStream historyOut;

        CsvSet(Path stats, Path history, Path failures) {
            this.stats = stats;
            this.history = history;
            this.failures = failures;
        }

        void openHistory() throws IOException {
            Path parent = history.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Unbuffered: each block goes to the OS in one write, so a killed process leaves whole blocks.
            historyOut = Files.newOutputStream(history, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            historyOut.write(LocustCsv.historyHeader().getBytes(StandardCharsets.UTF_8));
            historyOut.flush();
        }

        void appendHistory(byte[] block) throws IOException {
            if (historyOut == null) {
                throw new IOException("history file could not be opened");
            }
            historyOut.write(block);
            historyOut.flush();
        }

        void closeHistory() throws IOException {
            if (historyOut != null) {
                historyOut.close();
                historyOut = null;
            }
        }
    }
}
