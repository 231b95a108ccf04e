/**
 * What a run leaves behind and shows: Locust-compatible CSVs, {@code summary.json}, the console's
 * progress line and end-of-run tables.
 *
 * <p>Everything here reads {@link io.stampede.stats.RunStats} and writes text; nothing computes
 * statistics of its own, so the console, the files and (later) the web UI always agree.
 *
 * <ul>
 *   <li>{@link io.stampede.report.ResultsFolder}, a {@link io.stampede.engine.RunListener}: one folder per
 *       run, kept complete every second, plus {@code --csv PREFIX} files.</li>
 *   <li>{@link io.stampede.report.LocustCsv}: Locust 2.12's {@code _stats}, {@code _stats_history} and
 *       {@code _failures} formats, column for column.</li>
 *   <li>{@link io.stampede.report.SummaryJson}: the machine-readable summary.</li>
 *   <li>{@link io.stampede.report.ConsoleReport}, a {@link io.stampede.engine.RunListener}: the progress
 *       line while the run goes, then {@link io.stampede.report.ConsoleTable}, Locust's end-of-run tables.</li>
 *   <li>{@link io.stampede.report.ProgressLine}: the live one-line progress, redrawn on a terminal,
 *       every 10 s in a log.</li>
 * </ul>
 *
 * <pre>{@code
 * List<RunListener> listeners = List.of(new ResultsFolder(), new ConsoleReport(System.out, true));
 * // ConsoleReport prints the tables at the end of the run; on their own they are:
 * String tables = ConsoleTable.render(stats);
 * }</pre>
 */
package io.stampede.report;
