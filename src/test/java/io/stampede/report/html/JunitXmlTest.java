package io.stampede.report.html;

import static io.stampede.report.html.Summaries.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlTest {

    @TempDir
    Path dir;

    private Document written(ObjectNode summary) throws Exception {
        Path xml = dir.resolve("ci/junit.xml");
        JunitXml.write(summary, xml);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    @Test
    void aRunStoppedBeforeItsPlannedEndIsAFailingCaseAnOpenEndedOneIsNot() throws Exception {
        ObjectNode interrupted = Summaries.synthetic();
        interrupted.put("status", "interrupted").put("plannedSeconds", 45.0).put("stoppedAtSeconds", 5.4)
                .put("stopReason", "signal (SIGTERM, SIGINT or SIGHUP)");
        Element suite = (Element) written(interrupted).getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        assertThat(suite.getAttribute("failures")).isEqualTo("3");
        Element first = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(first.getAttribute("classname") + " / " + first.getAttribute("name"))
                .isEqualTo("stampede.lab <13>.run / run reached its planned end");
        assertThat(((Element) first.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("run interrupted at 0:05 of 0:45: signal (SIGTERM, SIGINT or SIGHUP)");

        ObjectNode openEnded = interrupted.deepCopy();
        openEnded.putNull("plannedSeconds");
        Element openSuite = (Element) written(openEnded).getElementsByTagName("testsuite").item(0);
        assertThat(openSuite.getAttribute("tests")).as("no run time: a stop is its end").isEqualTo("5");

        ObjectNode killed = openEnded.deepCopy();
        killed.put("status", "killed").remove(List.of("stoppedAtSeconds", "stopReason"));
        Element killedCase = (Element) written(killed).getElementsByTagName("testcase").item(0);
        assertThat(((Element) killedCase.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("run killed at 0:40 (no run time planned)");
    }

    @Test
    void oneCasePerSloAndThresholdWithFailuresAndSkips() throws Exception {
        Document doc = written(Summaries.synthetic());

        Element suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("stampede.lab <13>");
        for (Element e : List.of(suites, suite)) {
            assertThat(e.getAttribute("tests")).isEqualTo("5");
            assertThat(e.getAttribute("failures")).isEqualTo("2");
            assertThat(e.getAttribute("skipped")).isEqualTo("1");
            assertThat(e.getAttribute("errors")).isEqualTo("0");
            assertThat(e.getAttribute("time")).isEqualTo("40.000");
        }
        List<Element> cases = elements(suite.getElementsByTagName("testcase"));
        assertThat(cases).extracting(c -> c.getAttribute("classname") + " / " + c.getAttribute("name")).containsExactly(
                "stampede.lab <13>.slo / availability",
                "stampede.lab <13>.slo / fast " + HOSTILE,
                "stampede.lab <13>.threshold / http_req_duration p(95)<500",
                "stampede.lab <13>.threshold / http_req_failed rate<0.01",
                "stampede.lab <13>.threshold / checks rate>0.99");

        Element availability = (Element) cases.get(0).getElementsByTagName("failure").item(0);
        Element failedThreshold = (Element) cases.get(3).getElementsByTagName("failure").item(0);
        assertThat(availability.getAttribute("type")).isEqualTo("slo");
        assertThat(availability.getAttribute("message"))
                .isEqualTo("availability: 97.50% of requests good (1,170 of 1,200), objective 99%; error budget left -150.0%");
        assertThat(cases.get(1).getElementsByTagName("failure").getLength()).isZero();
        assertThat(cases.get(2).getChildNodes().getLength()).isZero();
        assertThat(availability.getTextContent()).isEqualTo(availability.getAttribute("message")
                + "\nalert: burn rate above 1 over 12 s and 1 s (1/10 and 1/120 of the run), first at second " + HOSTILE);
        assertThat(failedThreshold.getAttribute("message")).isEqualTo("http_req_failed rate<0.01: value 0.025 (rate=2.50%)");
        assertThat(failedThreshold.getTextContent()).isEqualTo("http_req_failed rate<0.01: value 0.025 (rate=2.50%)");
        Element skipped = (Element) cases.get(4).getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("no data: checks rate>0.99: value none");
    }

    @Test
    void withoutVerdictAnEmptySuite() throws Exception {
        ObjectNode summary = Summaries.synthetic();
        summary.remove("verdict");
        Document doc = written(summary);

        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("0");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isZero();
    }

    @Test
    void dropsCharactersXmlCannotHold() throws Exception {
        ObjectNode summary = Summaries.synthetic();
        ((ObjectNode) summary.at("/verdict/slos/0")).put("name", "bell\u0007 & \"quotes\" ]]> end");
        Document doc = written(summary);

        Element first = (Element) doc.getElementsByTagName("testcase").item(0);
        assertThat(first.getAttribute("name")).isEqualTo("bell & \"quotes\" ]]> end");
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }
}
