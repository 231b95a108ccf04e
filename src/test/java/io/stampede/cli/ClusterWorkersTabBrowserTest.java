package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stampede.testing.FreePorts;
import io.stampede.web.HeadlessChromium;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page of a {@code run --master} in Chromium, with two {@code stampede worker} processes:
 * the Workers tab lists them running with their CPU, and a worker killed with -9 turns lost.
 */
class ClusterWorkersTabBrowserTest {

    /** Generous: worker JVMs compile the scenario on a busy machine; a kill is seen at once or after 15 s of silence. */
    private static final Duration LIMIT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    private HttpServer target;
    private final List<StampedeProcess> started = new ArrayList<>();
    private HeadlessChromium chromium;

    @BeforeEach
    void startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        target.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void stopAll() {
        if (chromium != null) {
            chromium.close();
        }
        started.forEach(StampedeProcess::close);
        target.stop(0);
    }

    private StampedeProcess stampede(String... args) throws IOException {
        StampedeProcess process = StampedeProcess.start(dir, Map.of(), args);
        started.add(process);
        return process;
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    @Test
    void theWorkersTabListsEachWorkerWithItsStateAndCpuAndALostOne() throws Exception {
        Path scenario = Files.writeString(dir.resolve("TabUser.java"), """
                import io.stampede.api.*;
                import java.time.Duration;
                public class TabUser extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(100)); }
                    @Task public void index() { http().get("/"); }
                }
                """);
        int port = freePort();
        int webPort = freePort();
        StampedeProcess coordinator = stampede("run", "-f", scenario.toString(), "-H", "http://127.0.0.1:"
                + target.getAddress().getPort(), "-u", "4", "-r", "100", "-t", "5m", "--autostart", "--web-port",
                String.valueOf(webPort), "--master", "--expect-workers", "2", "--master-bind-port", String.valueOf(port),
                "--no-results");
        StampedeProcess first = stampede("worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port));
        stampede("worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port));
        chromium = HeadlessChromium.start(dir, 1280, 1400);
        ChromeDriver browser = chromium.browser();
        coordinator.awaitWhileAlive("the page", LIMIT, () -> {
            try {
                browser.get("http://127.0.0.1:" + webPort + "/");
                return !browser.findElements(By.id("workers")).isEmpty();
            } catch (RuntimeException notYet) {
                return false;
            }
        });

        WebDriverWait wait = new WebDriverWait(browser, LIMIT);
        wait.until(b -> cells("state").equals(List.of("running", "running"))
                && cells("cpu").stream().allMatch(c -> c.endsWith("%")));
        assertThat(chromium.js("return document.getElementById('workers').hidden")).isEqualTo(false);
        assertThat(cells("id")).containsExactly("w1", "w2");
        assertThat(cells("name")).allMatch(host -> host.contains("127.0.0.1"));
        assertThat(chromium.js("return document.getElementById('no-workers').hidden")).isEqualTo(true);

        first.process().destroyForcibly(); // kill -9: its connection closes, the coordinator calls it lost
        wait.until(b -> cells("state").contains("lost"));
        assertThat(cells("state")).containsExactlyInAnyOrder("lost", "running");
        assertThat(coordinator.process().isAlive()).as("the run goes on").isTrue();
    }

    /**
     * The Workers tab's cells of one column (by class; "id" for the first), read in one script: the
     * page replaces its rows each second, so elements found earlier would be stale.
     */
    private List<String> cells(String column) {
        String selector = column.equals("id") ? "#workers tbody td:first-child" : "#workers tbody td." + column;
        Object texts = chromium.js("return Array.from(document.querySelectorAll('" + selector + "')).map(e => e.textContent)");
        List<String> found = new ArrayList<>();
        if (texts instanceof List<?> list) {
            list.forEach(t -> found.add(String.valueOf(t)));
        }
        return found;
    }
}
