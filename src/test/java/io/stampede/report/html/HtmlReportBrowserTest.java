package io.stampede.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.testing.Waiting;
import io.stampede.web.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The report in a real browser (headless Chromium): the charts are drawn, the fault legend is there,
 * no script error, hostile names stay text. Also makes the docs' picture of a report:
 *
 * <pre>
 * mvn -o -q test -Dtest=HtmlReportBrowserTest -Dstampede.updateDocs=true    # writes docs/report.png
 * </pre>
 *
 * Without {@code stampede.updateDocs} the picture goes to {@code target/report.png} only, so running
 * the tests does not change a file under version control.
 */
class HtmlReportBrowserTest {

    /** Until the charts are drawn: the tests' one deadline, a loaded machine's Chromium included. */
    private static final Duration DRAW_LIMIT = Waiting.LIMIT;
    private static final int SCREENSHOT_WIDTH = 1280;

    @TempDir
    static Path dir;

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        chromium = HeadlessChromium.start(dir, SCREENSHOT_WIDTH, 900);
        browser = chromium.browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Writes the report, opens it, waits until the charts are drawn; returns the browser's error log. */
    private static List<LogEntry> open(ObjectNode summary, String fileName) throws Exception {
        Path html = dir.resolve(fileName);
        HtmlReport.write(summary, html);
        browser.manage().logs().get(LogType.BROWSER); // drop what an earlier page logged
        browser.get(html.toUri().toString());
        new WebDriverWait(browser, DRAW_LIMIT).until(b -> "ready".equals(
                ((JavascriptExecutor) b).executeScript("return document.documentElement.getAttribute('data-charts')")));
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    @Test
    void drawsTheChartsWithFaultWindowsAndLegend() throws Exception {
        List<LogEntry> problems = open(Summaries.realRun(), "real-run.html");

        assertThat(problems).as("browser console").isEmpty();
        List<WebElement> canvases = browser.findElements(By.cssSelector(".uplot canvas"));
        assertThat(canvases).hasSizeGreaterThanOrEqualTo(4); // throughput, latency, users, error budget
        for (WebElement canvas : canvases) {
            assertThat(canvas.getSize().getWidth()).isGreaterThan(300);
            assertThat(canvas.getSize().getHeight()).isGreaterThan(100);
        }
        WebElement legend = browser.findElement(By.id("fault-legend"));
        assertThat(legend.isDisplayed()).isTrue();
        assertThat(legend.getText()).contains("fault in effect (injection → rollback)")
                .contains("instant fault → target healthy again").contains("target down").contains("target healthy")
                .doesNotContain("not healthy again").doesNotContain("fault failed");
        // The pause's window is painted: a pixel in its middle, near the top of the throughput plot, is orange-ish.
        String pixel = (String) ((JavascriptExecutor) browser).executeScript("""
                const c = document.querySelector('#chart-throughput canvas');
                const data = JSON.parse(document.getElementById('report-data').textContent);
                const w = data.windows.find(w => w.kind === 'lasting');
                const over = document.querySelector('#chart-throughput .u-over');
                const r = c.getBoundingClientRect(), o = over.getBoundingClientRect();
                const xs = (w.from + w.to) / 2 / data.endSeconds;
                const x = Math.round((o.left - r.left + o.width * xs) * c.width / r.width);
                const y = Math.round((o.top - r.top + 30) * c.height / r.height);
                return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data).join(',');""");
        String[] rgba = pixel.split(",");
        assertThat(Integer.parseInt(rgba[0])).as("red of " + pixel).isGreaterThan(Integer.parseInt(rgba[2]) + 30);
        screenshot();
    }

    @Test
    void hostileNamesAreShownAsTextAndNeverRun() throws Exception {
        ObjectNode summary = Summaries.synthetic();
        String trap = "<img src=x onerror=\"document.title='pwned'\">";
        ((ObjectNode) summary.at("/failures/1")).put("error", trap);
        List<LogEntry> problems = open(summary, "hostile.html");

        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.getTitle()).isEqualTo("Stampede report: lab <13>");
        assertThat(browser.findElements(By.cssSelector("#requests table.requests .name")))
                .extracting(WebElement::getText).contains(Summaries.HOSTILE);
        assertThat(browser.findElement(By.cssSelector("#failures")).getText()).contains(trap);
        assertThat(browser.findElements(By.cssSelector("main img, main b"))).isEmpty();
        assertThat(problems).as("browser console").isEmpty();
    }

    @Test
    void dragToZoomZoomsEveryChartAndDoubleClickZoomsOut() throws Exception {
        open(Summaries.realRun(), "zoom.html");
        WebElement plot = browser.findElement(By.cssSelector("#chart-latency .u-over"));
        int width = plot.getSize().getWidth();
        new Actions(browser).moveToElement(plot, -width / 10, 0).clickAndHold()
                .moveByOffset(width / 5, 0).release().perform();

        @SuppressWarnings("unchecked")
        List<List<Number>> ranges = (List<List<Number>>) ((JavascriptExecutor) browser).executeScript(
                "return window.stampedeCharts.map(c => [c.scales.x.min, c.scales.x.max]);");
        assertThat(ranges).hasSizeGreaterThanOrEqualTo(4);
        double min = ranges.get(0).get(0).doubleValue();
        double max = ranges.get(0).get(1).doubleValue();
        assertThat(min).isBetween(25.0, 35.0);
        assertThat(max).isBetween(40.0, 50.0);
        assertThat(ranges).allSatisfy(r -> {
            assertThat(r.get(0).doubleValue()).isEqualTo(min);
            assertThat(r.get(1).doubleValue()).isEqualTo(max);
        });

        new Actions(browser).doubleClick(plot).perform();
        Object zoomedOut = ((JavascriptExecutor) browser).executeScript(
                "return window.stampedeCharts.map(c => c.scales.x.min + '..' + c.scales.x.max).join(' ');");
        double end = Summaries.realRun().get("durationSeconds").asDouble();
        assertThat(zoomedOut).isEqualTo(("0.." + end + " ").repeat(ranges.size()).strip());
    }

    /** The top of the real run's report (header to fault impact) as the docs' picture. */
    private static void screenshot() throws Exception {
        JavascriptExecutor js = browser;
        for (int attempt = 0; attempt < 3; attempt++) { // the page reflows as the charts follow the new size
            long height = (Long) js.executeScript("""
                    const faults = document.getElementById('faults');
                    return Math.ceil(faults.getBoundingClientRect().bottom + window.scrollY + 16
                            + window.outerHeight - window.innerHeight);""");
            browser.manage().window().setSize(new Dimension(SCREENSHOT_WIDTH, (int) height));
            Thread.sleep(250); // the charts resize 100 ms after the window does
        }
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target", "report.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        if (Boolean.getBoolean("stampede.updateDocs")) {
            Path docs = Path.of("docs", "report.png");
            Files.createDirectories(docs.getParent());
            Files.write(docs, png);
        }
    }
}
