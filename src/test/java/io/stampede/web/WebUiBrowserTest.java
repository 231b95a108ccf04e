package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.chaos.HaltGuard;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanFile;
import io.stampede.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser (headless Chromium) while the test plays the run: the tables and
 * charts follow each interval, a fault shows as a band with its label, hostile names stay text.
 * Leaves a picture of the page in {@code target/webui.png}.
 */
class WebUiBrowserTest {

    /** What the page shows, once it has shown it: the tests' one deadline, a loaded machine's Chromium included. */
    private static final Duration WAIT = Waiting.LIMIT;
    private static final String SCRIPT_NAME = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    private HeadlessChromium chromium;
    private ChromeDriver browser;
    private WebUi ui;

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (ui != null) {
            ui.close();
        }
    }

    private void startBrowser() throws Exception {
        chromium = HeadlessChromium.start(dir, 1280, 1400);
        browser = chromium.browser();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void waitForUpdates(int n) {
        new WebDriverWait(browser, WAIT).until(b -> {
            Object updates = js("return document.documentElement.getAttribute('data-updates')");
            return updates != null && Integer.parseInt(updates.toString()) >= n;
        });
    }

    @Test
    void pageFollowsTheRunWithFaultBandsAndEscapedNames() throws Exception {
        startBrowser();
        EventLog events = new EventLog();
        ui = WebUi.start("127.0.0.1", 0, events);
        LiveRuns run = new LiveRuns("lab <13>", System.currentTimeMillis() - 20_000);
        ui.onStart(run.info);
        events.emit(new Event(run.start + 200, Event.Kind.TARGET_STARTED, "app", "", "", "pid 4242"));
        browser.get(ui.url());
        waitForUpdates(1);

        int updates = 1;
        for (int second = 1; second <= 12; second++) {
            boolean faulty = second >= 4 && second <= 7;
            run.record("GET", "/", 30, faulty ? 300_000 : 2_000, faulty ? 3 : 0, "HTTP 503 Service Unavailable");
            run.record("GET", "/health", 10, 1_000, 0, null);
            run.record("GET", SCRIPT_NAME, 2, 5_000, 0, null);
            if (second == 3) {
                events.emit(new Event(run.start + 3_000, Event.Kind.FAULT_INJECTED, "app", "latency", "latency#1",
                        "300 ms, for 4s", 4_000L));
            }
            if (second == 7) {
                events.emit(new Event(run.start + 7_000, Event.Kind.FAULT_ROLLED_BACK, "app", "latency", "latency#1",
                        "after 4s"));
                events.emit(new Event(run.start + 9_000, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#2", "SIGKILL"));
                events.emit(new Event(run.start + 9_050, Event.Kind.TARGET_EXITED, "app", "", "", "signal 9"));
                events.emit(new Event(run.start + 10_600, Event.Kind.TARGET_HEALTHY, "app", "", "", "200 in 1 ms"));
            }
            run.tick(ui, 10 * second);
            updates++;
        }
        waitForUpdates(updates);

        // The tables: one row per request, the aggregate below, the failures.
        List<WebElement> names = browser.findElements(By.cssSelector("#requests tbody td.name"));
        assertThat(names).extracting(WebElement::getText).containsExactlyInAnyOrder("/", "/health", SCRIPT_NAME);
        assertThat(browser.findElement(By.cssSelector("#requests tfoot")).getText()).contains("Aggregated").contains("504");
        assertThat(browser.findElement(By.cssSelector("#failures tbody")).getText()).contains("HTTP 503 Service Unavailable");
        assertThat(browser.findElement(By.id("run-users")).getText()).isEqualTo("120");
        assertThat(browser.findElement(By.id("run-name")).getText()).isEqualTo("lab <13>");
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualToIgnoringCase("running");

        // Sorting: # Requests descending puts "/" first, a second click reverses.
        WebElement byRequests = browser.findElement(By.cssSelector("#requests th[data-key=requests]"));
        byRequests.click();
        assertThat(browser.findElement(By.cssSelector("#requests tbody tr:first-child td.name")).getText()).isEqualTo("/");
        byRequests.click();
        assertThat(browser.findElement(By.cssSelector("#requests tbody tr:first-child td.name")).getText()).isEqualTo(SCRIPT_NAME);

        // The fault bands: labels listed, and the latency band painted on the throughput chart.
        assertThat(browser.findElements(By.cssSelector("#fault-windows .fault-label"))).extracting(WebElement::getText)
                .containsExactly("latency#1 on app · 0:03–0:07", "kill#2 on app · 0:09–0:10.6");
        // the phase chart stays hidden: these requests have no phase times
        assertThat(browser.findElements(By.cssSelector(".uplot canvas")).stream().filter(WebElement::isDisplayed))
                .hasSize(3).allSatisfy(canvas -> {
            assertThat(canvas.getSize().getWidth()).isGreaterThan(300);
            assertThat(canvas.getSize().getHeight()).isGreaterThan(100);
        });
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight + window.outerHeight - window.innerHeight)");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height, 4000)));
        // the charts follow the new width 100 ms after a resize, on a timer a loaded machine runs late
        new WebDriverWait(browser, WAIT).until(b -> (Boolean) js(
                "return window.stampedeLive.charts.every(c => c.width === Math.max(c.root.parentNode.clientWidth, 300));"));
        Path png = Path.of("target", "webui.png");
        Files.createDirectories(png.getParent());
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
        String pixel = (String) js("""
                const c = document.querySelector('#chart-throughput canvas');
                const u = window.stampedeLive.charts[0];
                const x = Math.round(u.valToPos(5.5, 'x', true)); // right of the band's label, between grid lines
                const y = Math.round(u.bbox.top + 8 * (uPlot.pxRatio || 1)); // above the lines' headroom
                return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data).join(',');""");
        String[] rgba = pixel.split(",");
        assertThat(Integer.parseInt(rgba[0])).as("red of " + pixel).isGreaterThan(Integer.parseInt(rgba[2]) + 30);
        Object drawnPoints = js("return window.stampedeLive.charts[1].data[0].length");
        assertThat(((Number) drawnPoints).intValue()).isEqualTo(12);

        // Events listed newest first; the hostile name never ran.
        assertThat(browser.findElement(By.cssSelector("#events tbody tr:first-child")).getText()).contains("TARGET_HEALTHY");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElements(By.cssSelector("main script, main b"))).isEmpty();

        // The end of the run: status finished, the stream closed by the page.
        ui.onFinish(run.stats);
        waitForUpdates(updates + 1);
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualToIgnoringCase("finished");
        List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(problems).as("browser console").isEmpty();

    }

    private static final String PLAN = """
            name: lab-13-chaos
            targets:
              app:
                builtin: demo
                url: http://127.0.0.1:5999
                health: /health
            load: { users: 100, spawnRate: 10, runTime: 90s }
            tasks:
              - { weight: 3, get: / }
              - { weight: 1, get: /health }
            chaos:
              - { fault: kill, target: app, every: 30s, startAfter: 20s }
            slos:
              - { name: availability, objective: 90% }
              - { name: fast, objective: 95%, latencyBelow: 200ms }
            """;

    /** The run's commands as the test plays them: Inject now fires as the chaos engine would, at once. */
    private static final class Commands implements RunControl {
        private final EventLog events;

        Commands(EventLog events) {
            this.events = events;
        }

        @Override
        public StartForm defaults() {
            return new StartForm(100, 10.0, "http://127.0.0.1:5999", "90s");
        }

        @Override
        public void start(StartForm form) {
            throw ControlException.conflict("the test starts the run");
        }

        @Override
        public void changeUsers(int users, Double spawnRate) {
        }

        @Override
        public void stop() {
        }

        @Override
        public void resetStats() {
        }

        @Override
        public void inject(int index) {
            events.emitFault(Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", "pid 4242, SIGKILL");
        }
    }

    @Test
    void theWorkersTabShowsOnlyInAMasterRunAndWarnsOfABusyWorkersCpu() throws Exception {
        startBrowser();
        ui = WebUi.start("127.0.0.1", 0, new EventLog());
        LiveRuns run = new LiveRuns("cluster", System.currentTimeMillis() - 5_000);
        ui.onStart(run.info);
        browser.get(ui.url());
        run.tick(ui, 3);
        waitForUpdates(2);
        assertThat(js("return document.getElementById('workers').hidden")).as("no Workers tab on one machine").isEqualTo(true);

        AtomicReference<List<WorkerStatus>> workers = new AtomicReference<>(List.of(
                new WorkerStatus("w1", "box-a /127.0.0.1:40001", WorkerStatus.State.RUNNING, 2, 50, 1, 20.0, 45.0, 60.0, 300,
                        run.start, run.start + 4_000),
                new WorkerStatus("w2", "box-b /127.0.0.1:40002", WorkerStatus.State.RUNNING, 1, 30, 0, 10.0, 97.0, 97.0, 700,
                        run.start, run.start + 4_000)));
        ui.workers(workers::get);
        run.tick(ui, 3);
        waitForText("#workers tbody", "w2");
        List<WebElement> rows = browser.findElements(By.cssSelector("#workers tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).contains("w1", "box-a", "running", "20.0", "45%", "0.3", "50");
        assertThat(rows.get(1).getAttribute("class")).contains("cpu-high");
        assertThat(browser.findElement(By.id("workers-cpu")).getText())
                .isEqualTo("High CPU on w2 (97%): its load and response times cannot be trusted; add workers or give them more CPU.");

        workers.set(List.of(workers.get().get(0), new WorkerStatus("w2", "box-b /127.0.0.1:40002", WorkerStatus.State.LOST,
                0, 30, 0, 0, 97.0, 97.0, 16_000, run.start, run.start + 4_000)));
        run.tick(ui, 2);
        waitForText("#workers tbody", "lost");
        assertThat(browser.findElement(By.id("workers-cpu")).isDisplayed()).as("a lost worker's CPU is no warning").isFalse();
        assertThat(chromium.problems()).isEmpty();
    }

    private void waitForText(String css, String text) {
        new WebDriverWait(browser, WAIT).until(b -> b.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)));
    }

    @Test
    void thePlanShowsBeforeStartAndThePagesCommandsLeaveEvents() throws Exception {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, PLAN);
        Plan plan = PlanFile.read(file).toPlan();
        startBrowser();
        EventLog events = new EventLog();
        ui = WebUi.start("127.0.0.1", 0, null);
        ui.control(new Commands(events), true, false);
        ui.showPlan(plan);
        // a system in dark mode: the page follows it
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.get(ui.url());

        // Before Start: the targets, the chaos entry with its schedule, the SLOs with their objectives.
        waitForText("#chaos table.faults tbody", "kill");
        assertThat(browser.findElement(By.cssSelector("#chaos table.targets tbody")).getText()).contains("app").contains("not started");
        assertThat(browser.findElement(By.cssSelector("#chaos table.faults tbody")).getText())
                .contains("every 30s from 20s").contains("at 0:20 after the start");
        assertThat(browser.findElement(By.cssSelector("#slo table.slos tbody")).getText())
                .contains("availability").contains("90.00 %").contains("fast · latency below 200ms").contains("95.00 %");
        assertThat(browser.findElement(By.id("no-targets")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("no-faults")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("no-slos")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("ratio-list")).getText()).contains("75.0 % /").contains("25.0 % /health");
        assertThat(js("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(20, 21, 23)");

        // The run: Inject now is marked as manual, Stop leaves an event, and after the end nothing is "next".
        ui.beginRun(plan, events, null);
        LiveRuns run = new LiveRuns(plan, System.currentTimeMillis() - 5_000);
        ui.onStart(run.info);
        run.record("GET", "/", 30, 2_000, 0, null);
        run.tick(ui, 10);
        new WebDriverWait(browser, WAIT).until(b -> (Boolean) js(
                "var b = document.querySelector('button.inject[data-fault=\"0\"]'); return !!b && !b.disabled;"));
        js("document.querySelector('button.inject[data-fault=\"0\"]').click()");
        waitForText("#events tbody", "MANUAL_INJECTION");
        waitForText("#events tbody", "manual, from the page");
        waitForText("#fault-windows", "kill#1 on app (manual)");
        assertThat(events.events()).extracting(Event::kind).contains(Event.Kind.MANUAL_INJECTION, Event.Kind.FAULT_INJECTED);

        js("document.getElementById('stop').click()");
        waitForText("#events tbody", "RUN_STOPPED");
        assertThat(events.events()).extracting(Event::kind).contains(Event.Kind.RUN_STOPPED);
        waitForText("#logs", "RUN_STOPPED");

        run.tick(ui, 10);
        ui.onFinish(run.stats);
        new WebDriverWait(browser, WAIT).until(b -> b.findElement(By.id("run-status")).getText().equalsIgnoreCase("finished"));
        assertThat(browser.findElement(By.cssSelector("#chaos table.faults tbody td:nth-child(3)")).getText()).isEqualTo("–");
        // The toggle picks light over the system's dark, and the charts are drawn again in it.
        browser.findElement(By.id("theme")).click();
        assertThat(js("return document.documentElement.getAttribute('data-theme')")).isEqualTo("light");
        assertThat(js("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(241, 243, 245)");
        assertThat(browser.findElements(By.cssSelector(".uplot canvas"))).hasSize(4); // one a chart, the phases' hidden
        assertThat(chromium.problems()).as("browser console").isEmpty();
    }

    /**
     * The guard in the chaos panel: the conditions and the steady state before the run, the values and
     * the wait as the guard reports them, then its decision, with Inject now disabled.
     */
    @Test
    void theGuardShowsItsConditionsTheWaitAndTheHalt() throws Exception {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, PLAN + """
                steady: { hold: 5s, within: 60s }
                halt:
                  when:
                    - { slo: availability, budgetLeftBelow: 50% }
                    - { prometheus: 'sum(up) < 1', url: "http://127.0.0.1:9090" }
                """);
        Plan plan = PlanFile.read(file).toPlan();
        startBrowser();
        EventLog events = new EventLog();
        ui = WebUi.start("127.0.0.1", 0, null);
        ui.control(new Commands(events), true, false);
        ui.showPlan(plan);
        browser.get(ui.url());
        waitForText("#guard table.halt tbody", "budgetLeft of availability < 50%");
        assertThat(browser.findElement(By.cssSelector("#guard table.halt tbody")).getText())
                .contains("prometheus 'sum(up) < 1' non-empty").contains("–");
        assertThat(browser.findElement(By.id("steady")).getText()).isEqualTo("Waiting for the steady state: held for 0 s of 5 s (within 60 s)");

        ui.beginRun(plan, events, null);
        String budget = "budgetLeft of availability < 50%";
        String query = "prometheus 'sum(up) < 1' non-empty";
        AtomicReference<HaltGuard.Status> status = new AtomicReference<>(new HaltGuard.Status(List.of(
                new HaltGuard.ConditionStatus(budget, null, false), new HaltGuard.ConditionStatus(query, null, false)),
                Optional.of(new HaltGuard.SteadyStatus("waiting", 3, 5, 60)), null));
        ui.guard(status::get);
        LiveRuns run = new LiveRuns(plan, System.currentTimeMillis() - 5_000);
        ui.onStart(run.info);
        run.record("GET", "/", 30, 2_000, 0, null);
        run.tick(ui, 3);
        waitForText("#steady", "held for 3 s of 5 s");

        status.set(new HaltGuard.Status(List.of(new HaltGuard.ConditionStatus(budget, "72.0% left", false),
                new HaltGuard.ConditionStatus(query, "empty", false)), Optional.of(new HaltGuard.SteadyStatus("reached", 5, 5, 60)), null));
        run.tick(ui, 4);
        waitForText("#guard table.halt tbody", "72.0% left");
        assertThat(browser.findElement(By.id("steady")).getText()).isEqualTo("Steady state reached: every SLO held for 5 s");
        new WebDriverWait(browser, WAIT).until(b -> (Boolean) js(
                "var b = document.querySelector('button.inject[data-fault=\"0\"]'); return !!b && !b.disabled;"));

        String halted = "chaos halted at 0:09 by budgetLeft of availability < 50% (41.3% left)";
        status.set(new HaltGuard.Status(List.of(new HaltGuard.ConditionStatus(budget, "41.3% left", true),
                new HaltGuard.ConditionStatus(query, "empty", false)), Optional.of(new HaltGuard.SteadyStatus("reached", 0, 5, 60)), halted));
        run.tick(ui, 5);
        waitForText("#halted", halted);
        assertThat(browser.findElement(By.id("halted")).getText()).isEqualTo(halted + "; the users go on");
        assertThat(browser.findElements(By.cssSelector("#guard tr.firing"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#guard tr.firing")).getText()).contains("41.3% left");
        assertThat(js("return document.querySelector('button.inject[data-fault=\"0\"]').disabled")).isEqualTo(true);
        assertThat(chromium.problems()).as("browser console").isEmpty();
    }
}
