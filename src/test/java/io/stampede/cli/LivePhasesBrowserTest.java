package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.FreePorts;
import io.stampede.web.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page's phase chart in Chromium during a real run of the demo service with a pause: the
 * chart shows, its stacked series carry the run's phase means, and the pause is a band on its axis
 * as on the other charts.
 */
class LivePhasesBrowserTest {

    /** Generous: a JVM start, the demo service's and the page's, on a busy machine. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private StampedeProcess run;
    private HeadlessChromium chromium;

    @AfterEach
    void stopAll() {
        if (chromium != null) {
            chromium.close();
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void thePhaseChartStacksTheRunsPhasesWithTheFaultOnItsAxis() throws Exception {
        int webPort = FreePorts.next();
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: phases
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 4, spawnRate: 100, runTime: 5m, wait: { constant: 100ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: pause, target: app, at: 2s, duration: 3s }
                """.formatted(FreePorts.next()));
        run = StampedeProcess.start(dir, Map.of(), "run", plan.toString(), "--autostart", "--web-port",
                String.valueOf(webPort), "--no-results");
        chromium = HeadlessChromium.start(dir, 1280, 1800);
        ChromeDriver browser = chromium.browser();
        run.awaitWhileAlive("the page", LIMIT, () -> {
            try {
                browser.get("http://127.0.0.1:" + webPort + "/");
                return !browser.findElements(By.id("chart-phases")).isEmpty();
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        // the pause rolled back and drawn as a band, and seconds with phase times after it
        new WebDriverWait(browser, LIMIT).until(b -> Boolean.TRUE.equals(chromium.js("""
                const w = window.stampedeLive.view().windows;
                const c = phases();
                function phases() { return window.stampedeLive.charts.find(c => c.root.getAttribute('data-chart') === 'chart-phases'); }
                return w.length === 1 && w[0].kind === 'lasting' && c && c.data[0].length > 0
                    && c.data[0][c.data[0].length - 1] > w[0].to + 1;""")));
        assertThat(chromium.js("return document.getElementById('phases-card').hidden")).isEqualTo(false);
        @SuppressWarnings("unchecked")
        List<Object> totals = (List<Object>) chromium.js("""
                const c = window.stampedeLive.charts.find(c => c.root.getAttribute('data-chart') === 'chart-phases');
                return c.data[1];""");
        // the first series is the stack's top: the mean request time of each second, waiting included
        // (null in a second no request ended, as during the pause)
        assertThat(totals.stream().filter(Objects::nonNull).mapToDouble(t -> ((Number) t).doubleValue()).max()
                .orElse(0)).isPositive();
        @SuppressWarnings("unchecked")
        List<String> legend = (List<String>) chromium.js("""
                return Array.from(document.querySelectorAll('#chart-phases .u-legend .u-label')).map(e => e.textContent);""");
        assertThat(legend).contains("connecting", "TLS handshake", "sending", "waiting (first byte)", "receiving");
        String pixel = (String) chromium.js("""
                const u = window.stampedeLive.charts.find(c => c.root.getAttribute('data-chart') === 'chart-phases');
                const w = window.stampedeLive.view().windows[0];
                u.redraw(false, false);
                const x = Math.round(u.valToPos(w.from + 0.85 * (w.to - w.from), 'x', true)); // right of the band's label
                const y = Math.round(u.bbox.top + 8 * (uPlot.pxRatio || 1)); // above the stack's headroom line
                return Array.from(u.ctx.getImageData(x, y, 1, 1).data).join(',');""");
        String[] rgba = pixel.split(",");
        assertThat(Integer.parseInt(rgba[0])).as("red of " + pixel).isGreaterThan(Integer.parseInt(rgba[2]) + 30);
    }
}
