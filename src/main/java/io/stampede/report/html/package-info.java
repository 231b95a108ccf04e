/**
 * The end-of-run reports, rendered from a results folder's {@code summary.json} (so a saved run can
 * be rendered again by {@code stampede report}, and nothing here needs the live run):
 *
 * <ul>
 *   <li>{@link io.stampede.report.html.HtmlReport}: {@code report.html}, one self-contained page
 *       (uPlot, script, style and data inlined; no request of any kind) with the verdict, time
 *       charts on which faults are shaded windows, and Locust's tables.</li>
 *   <li>{@link io.stampede.report.html.JunitXml}: {@code junit.xml}, one test case per SLO and per
 *       threshold, for CI servers.</li>
 *   <li>{@link io.stampede.report.html.ReportFiles}: both into a results folder, the call a run
 *       makes when it ends.</li>
 * </ul>
 *
 * <pre>{@code
 * ReportFiles.writeInto(Path.of("results/lab-13-20260105-100000"));
 * }</pre>
 *
 * <p>The page is a template ({@code report.html} beside {@code report.css} and {@code report.js} in
 * this package's resources) filled with fragments built here; every text from the data is escaped
 * on the way in, by {@code Html.text} in the markup and by {@code HtmlReport.scriptSafeJson} in
 * the inlined data. The page's script draws on canvases and sets text with {@code textContent} only.
 */
package io.stampede.report.html;
