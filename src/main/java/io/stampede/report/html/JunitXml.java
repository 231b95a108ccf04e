package io.stampede.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.slo.SteadyState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The verdict as a JUnit XML report, the format CI servers (GitLab, Jenkins, GitHub actions) read to
 * show tests: one {@code <testcase>} per SLO and per threshold, a {@code <failure>} with a one-line
 * message for each that failed, {@code <skipped>} for each without data.
 *
 * <pre>
 * &lt;testsuites name="stampede" tests="2" failures="1" errors="0" skipped="0" time="300.004"&gt;
 *   &lt;testsuite name="stampede.lab-13" tests="2" failures="1" ...&gt;
 *     &lt;testcase classname="stampede.lab-13.slo" name="availability" time="0"&gt;
 *       &lt;failure type="slo" message="availability: 98.50% of requests good (985 of 1,000), objective 99%; error budget left -50.0%"&gt;
 *         the message, then one line per burn-rate alert that fired&lt;/failure&gt;
 *     &lt;/testcase&gt;
 *     &lt;testcase classname="stampede.lab-13.threshold" name="http_req_duration p(95)&lt;500" time="0"/&gt;
 * </pre>
 *
 * A run that did not reach its planned end (status interrupted with a run time, aborted, or killed)
 * adds a failing {@code <testcase classname="stampede.NAME.run" name="run reached its planned end">}
 * whose message says when: {@code run interrupted at 0:05 of 0:45: signal ...}. Otherwise a summary
 * without a verdict gives an empty suite ({@code tests="0"}): the run happened, nothing was judged. Text is escaped by the XML writer; characters XML 1.0 cannot hold are dropped.
 */
public final class JunitXml {

    /** The test case that fails when the run did not reach its planned end (interrupted, aborted, killed). */
    static final String RUN_CASE = "run reached its planned end";

    private JunitXml() {
    }

    /** Writes the verdict of {@code summary} to {@code outputXml} (created or replaced, parent folders made). */
    public static void write(JsonNode summary, Path outputXml) throws IOException {
        Path parent = outputXml.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(outputXml)) {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.transform(new DOMSource(document(summary)), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("cannot write " + outputXml + ": " + e.getMessage(), e);
        }
    }

    static Document document(JsonNode summary) {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML support is missing", e);
        }
        String name = Format.string(summary, "name");
        String suiteName = "stampede" + (name.isEmpty() ? "" : "." + name);
        Double duration = Format.number(summary, "durationSeconds");
        String time = duration == null ? "0" : String.format(Locale.ROOT, "%.3f", duration);

        Element suites = doc.createElement("testsuites");
        doc.appendChild(suites);
        Element suite = doc.createElement("testsuite");
        suites.appendChild(suite);
        attr(suites, "name", "stampede");
        attr(suite, "name", suiteName);
        String start = Format.string(summary, "startTime");
        if (!start.isEmpty()) {
            attr(suite, "timestamp", start);
        }
        Element properties = doc.createElement("properties");
        suite.appendChild(properties);
        for (String field : new String[] {"host", "startTime", "endTime", "status"}) {
            Element property = doc.createElement("property");
            attr(property, "name", field);
            attr(property, "value", Format.string(summary, field));
            properties.appendChild(property);
        }

        int tests = 0;
        int failures = 0;
        int skipped = 0;
        String stoppedEarly = RunOutcome.failure(summary);
        if (stoppedEarly != null) {
            // A run that did not reach its end never reads as a pass, with or without SLOs.
            Element testCase = testCase(doc, suite, suiteName + ".run", RUN_CASE);
            outcome(doc, testCase, "fail", "run", stoppedEarly, stoppedEarly
                    + "\nThe SLOs and thresholds were judged on the part that ran; a run that did not reach its end does not pass.");
            tests++;
            failures++;
        }
        JsonNode verdict = summary.path("verdict");
        if (SteadyState.Result.NOT_STEADY.text().equals(Format.string(verdict.path("steadyState"), "result"))) {
            // no fault was injected: the chaos experiment itself failed to run, apart from any SLO
            String why = Format.string(verdict.path("steadyState"), "detail");
            outcome(doc, testCase(doc, suite, suiteName + ".chaos", "steady state"), "fail", "steady state", why, why);
            tests++;
            failures++;
        }
        for (JsonNode slo : verdict.path("slos")) {
            Element testCase = testCase(doc, suite, suiteName + ".slo", Format.string(slo, "name"));
            StringBuilder body = new StringBuilder(sloMessage(slo));
            for (JsonNode alert : slo.path("alerts")) {
                body.append("\nalert: ").append(alert.asText());
            }
            Outcome outcome = outcome(doc, testCase, Format.string(slo, "status"), "slo", sloMessage(slo), body.toString());
            tests++;
            failures += outcome == Outcome.FAILED ? 1 : 0;
            skipped += outcome == Outcome.SKIPPED ? 1 : 0;
        }
        for (JsonNode threshold : verdict.path("thresholds")) {
            String caseName = (Format.string(threshold, "metric") + " " + Format.string(threshold, "expression")).trim();
            Element testCase = testCase(doc, suite, suiteName + ".threshold", caseName);
            Outcome outcome = outcome(doc, testCase, Format.string(threshold, "status"), "threshold",
                    thresholdMessage(threshold), thresholdMessage(threshold));
            tests++;
            failures += outcome == Outcome.FAILED ? 1 : 0;
            skipped += outcome == Outcome.SKIPPED ? 1 : 0;
        }
        for (Element e : new Element[] {suites, suite}) {
            attr(e, "tests", String.valueOf(tests));
            attr(e, "failures", String.valueOf(failures));
            attr(e, "errors", "0");
            attr(e, "skipped", String.valueOf(skipped));
            attr(e, "time", time);
        }
        return doc;
    }

    private enum Outcome { PASSED, FAILED, SKIPPED }

    private static Element testCase(Document doc, Element suite, String className, String name) {
        Element testCase = doc.createElement("testcase");
        attr(testCase, "classname", className);
        attr(testCase, "name", name.isEmpty() ? "(unnamed)" : name);
        attr(testCase, "time", "0");
        suite.appendChild(testCase);
        return testCase;
    }

    /** pass: nothing to add; fail: a failure element; anything else ("no data"): skipped. */
    private static Outcome outcome(Document doc, Element testCase, String status, String type, String message,
                                   String body) {
        switch (status.toLowerCase(Locale.ROOT)) {
            case "pass", "passed" -> {
                return Outcome.PASSED;
            }
            case "fail", "failed" -> {
                Element failure = doc.createElement("failure");
                attr(failure, "type", type);
                attr(failure, "message", message);
                failure.setTextContent(xmlSafe(body));
                testCase.appendChild(failure);
                return Outcome.FAILED;
            }
            default -> {
                Element skippedElement = doc.createElement("skipped");
                attr(skippedElement, "message", (status.isEmpty() ? "no data" : status) + ": " + message);
                testCase.appendChild(skippedElement);
                return Outcome.SKIPPED;
            }
        }
    }

    /** "availability: 98.50% good (985 of 1,000), objective 99%; budget left -50.0%, burn rate 1m 1.5×". */
    static String sloMessage(JsonNode slo) {
        Double below = Format.number(slo, "latencyBelowMillis");
        StringBuilder m = new StringBuilder(Format.string(slo, "name")).append(": ")
                .append(Format.percent(Format.number(slo, "sliPercent"), 2))
                .append(below == null ? " of requests good" : " of requests under " + Format.millisWithUnit(below))
                .append(" (").append(Format.count(Format.number(slo, "good"))).append(" of ")
                .append(Format.count(Format.number(slo, "total"))).append("), objective ")
                .append(Format.objective(Format.number(slo, "objectivePercent")));
        Double left = Format.number(slo, "budgetLeftPercent");
        if (left != null) {
            m.append("; error budget left ").append(Format.percent(left, 1));
        }
        String filter = Format.string(slo, "filter");
        if (!filter.isEmpty()) {
            m.append("; requests ").append(filter);
        }
        return m.toString();
    }

    /** "http_req_failed rate<0.01: value 0.02588 (rate=2.59%)". */
    static String thresholdMessage(JsonNode threshold) {
        Double value = Format.number(threshold, "value");
        String detail = Format.string(threshold, "detail");
        return (Format.string(threshold, "metric") + " " + Format.string(threshold, "expression")).trim()
                + ": value " + (value == null ? "none" : Format.significant(value))
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static void attr(Element element, String name, String value) {
        element.setAttribute(name, xmlSafe(value));
    }

    /** Drops what XML 1.0 cannot carry at all (most control characters, lone surrogates). */
    static String xmlSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (allowed) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
