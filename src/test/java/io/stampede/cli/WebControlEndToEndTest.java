package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import io.stampede.web.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code stampede run} with its web UI, as a user drives it: the start form starts a run against a
 * managed demo service, users are changed, a declared fault is injected from the page and shows as
 * a band, the run is stopped and a second one started; bad commands get a JSON 400 and the run goes
 * on. A real process, a real service, a real browser. Leaves {@code target/webui-control.png}.
 */
class WebControlEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StampedeProcess stampede;
    private String url;

    @AfterEach
    void stop() {
        if (stampede != null) {
            stampede.close();
        }
        http.shutdownNow();
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    /**
     * Starts {@code stampede run} on a plan with a managed demo service and one declared latency fault.
     * The fault lasts 15 s: the page is checked while it shows the fault in effect (three looks, a
     * few seconds on a loaded machine), and then the test waits for it to end by itself.
     */
    private void startStampede(String... more) throws Exception {
        Path plan = dir.resolve("control-lab.yaml");
        Files.writeString(plan, """
                name: control-lab
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d", restart: { policy: always, delay: 500ms } }
                load: { users: 4, spawnRate: 100, runTime: 5m, wait: { constant: 100ms } }
                tasks:
                  - { get: / }
                chaos:
                  - { fault: latency, target: app, latency: 200ms, at: 4m, duration: 15s }
                slos:
                  - { name: availability, objective: "90%%" }
                  - { name: fast, objective: "50%%", latencyBelow: 5s }
                """.formatted(freePort()));
        launch(Stream.concat(Stream.of("run", plan.toString(), "--results", dir.resolve("results").toString()),
                Stream.of(more)).toArray(String[]::new));
        await(() -> stampede.stdout().contains("Press Start on " + url), "the start prompt");
    }

    private void launch(String... args) throws Exception {
        int port = freePort();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--web-port", String.valueOf(port))).toArray(String[]::new);
        stampede = StampedeProcess.start(dir, all);
        url = "http://127.0.0.1:" + port + "/";
    }

    /** Waits for what the running Stampede does; fails with its output, at once if it ended. */
    private void await(BooleanSupplier condition, String what) {
        stampede.awaitWhileAlive(what, condition::getAsBoolean);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode stats() {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String error(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
        return body.path("error").asText();
    }

    @Test
    void badCommandsGetAJsonErrorAndTheRunGoesOn() throws Exception {
        startStampede();
        assertThat(stats().path("status").asText()).isEqualTo("waiting");
        assertThat(stats().path("control").path("form").path("users").asInt()).isEqualTo(4);

        HttpResponse<String> negative = post("api/start", "{\"users\": -5}");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(error(negative)).isEqualTo("users: must be 0 or more, got -5");
        HttpResponse<String> text = post("api/start", "{\"users\": \"ten\"}");
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(error(text)).isEqualTo("users: expected a whole number, got \"ten\"");
        HttpResponse<String> duration = post("api/start", "{\"runTime\": \"soon\"}");
        assertThat(duration.statusCode()).isEqualTo(400);
        assertThat(error(duration)).startsWith("start form: runTime: 'soon' is not a duration");
        HttpResponse<String> crossSite = post("api/start", "{}", "Origin", "http://attacker.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<String> fetchedElsewhere = post("api/start", "{}", "Sec-Fetch-Site", "cross-site");
        assertThat(fetchedElsewhere.statusCode()).isEqualTo(403);
        HttpResponse<String> formPost = http.send(HttpRequest.newBuilder(URI.create(url + "api/start"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("users=5")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(formPost.statusCode()).isEqualTo(415);
        assertThat(post("api/stop", "{}").statusCode()).isEqualTo(409);
        assertThat(stats().path("status").asText()).isEqualTo("waiting");

        HttpResponse<String> start = post("api/start", "{\"users\": 3, \"spawnRate\": 100}", "Origin", url.substring(0, url.length() - 1));
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        await(() -> stats().path("status").asText().equals("running") && stats().path("users").asInt() == 3, "3 users running");

        assertThat(post("api/start", "{}").statusCode()).isEqualTo(409);
        HttpResponse<String> badUsers = post("api/users", "{\"users\": -1}");
        assertThat(badUsers.statusCode()).isEqualTo(400);
        assertThat(error(badUsers)).isEqualTo("users: must be 0 or more, got -1");
        assertThat(error(post("api/users", "{\"users\": 2, \"spawnRate\": \"fast\"}"))).isEqualTo("spawnRate: expected a number, got \"fast\"");
        assertThat(error(post("api/users", "{\"user\": 2}"))).isEqualTo("unknown field 'user'; valid fields: users, spawnRate");
        assertThat(error(post("api/users", "not json"))).startsWith("the body is not JSON");
        assertThat(post("api/faults/7/inject", "{}").statusCode()).isEqualTo(404);
        assertThat(error(post("api/faults/x/inject", "{}"))).contains("expected the entry's number");

        long before = stats().path("totals").path("requests").asLong();
        await(() -> stats().path("totals").path("requests").asLong() > before, "requests after the bad commands");
        assertThat(stats().path("status").asText()).isEqualTo("running");
        assertThat(stats().path("users").asInt()).isEqualTo(3);

        assertThat(post("api/users", "{\"users\": 1, \"spawnRate\": 100}").statusCode()).isEqualTo(200);
        await(() -> stats().path("users").asInt() == 1, "1 user after the change");
        assertThat(post("api/stop", "{}").statusCode()).isEqualTo(200);
        await(() -> stats().path("status").asText().equals("finished"), "the run's end");
        await(() -> stampede.stdout().contains("Ready for another run"), "the prompt for another run");
        assertThat(resultFolders()).hasSize(1);
    }

    @Test
    void theApiRefusesWhatTheCommandLineRefusesAndTakesWhatItTakes() throws Exception {
        DemoService service = new DemoService(
                DemoOptions.defaults().withPort(0));
        service.start();
        try {
            Path plan = dir.resolve("api-lab.yaml");
            Files.writeString(plan, "host: " + service.baseUrl() + "\nload: { users: 1, spawnRate: 10 }\n"
                    + "tasks: [ { get: / } ]\n");
            launch("run", plan.toString(), "--no-results");
            await(() -> stampede.stdout().contains("Press Start on " + url), "the start prompt");

            HttpResponse<String> badPort = post("api/start", "{\"host\": \"http://127.0.0.1:99999\"}");
            assertThat(badPort.statusCode()).isEqualTo(400);
            assertThat(error(badPort)).isEqualTo("start form: host: port 99999 is out of range 1..65535");
            int closedPort = freePort();
            HttpResponse<String> unreachable = post("api/start", "{\"host\": \"http://127.0.0.1:" + closedPort + "\"}");
            assertThat(unreachable.statusCode()).isEqualTo(422);
            assertThat(error(unreachable)).isEqualTo("cannot reach http://127.0.0.1:" + closedPort + ": Connection refused");
            HttpResponse<String> tooMany = post("api/start", "{\"users\": 2000000000}");
            assertThat(tooMany.statusCode()).isEqualTo(422);
            assertThat(error(tooMany)).startsWith("2000000000 users need about ");
            HttpResponse<String> longNumber = post("api/start", "{\"users\": " + "9".repeat(1_001) + "}");
            assertThat(longNumber.statusCode()).isEqualTo(400);
            assertThat(error(longNumber)).isEqualTo("the body holds a value too long for any field (a number of 1,000 digits or more?)");
            assertThat(stampede.process().isAlive()).isTrue();
            assertThat(stats().path("status").asText()).isEqualTo("waiting");

            HttpResponse<String> seconds = post("api/start", "{\"runTime\": 30}");
            assertThat(seconds.statusCode()).as(seconds.body()).isEqualTo(202);
            await(() -> stats().path("status").asText().equals("running"), "the run started with runTime 30");
            HttpResponse<String> tooManyNow = post("api/users", "{\"users\": 2000000000}");
            assertThat(tooManyNow.statusCode()).isEqualTo(422);
            assertThat(error(tooManyNow)).startsWith("2000000000 users need about ");
            assertThat(stats().path("status").asText()).isEqualTo("running");
            assertThat(post("api/stop", "{}").statusCode()).isEqualTo(200);
            await(() -> stampede.stdout().contains("Ready for another run"), "the prompt for another run");
        } finally {
            service.close();
        }
    }

    @Test
    void thePageStartsARunChangesUsersInjectsAFaultStopsAndStartsAgain() throws Exception {
        startStampede();
        try (HeadlessChromium chromium = HeadlessChromium.start(dir, 1280, 1500)) {
            ChromeDriver browser = chromium.browser();
            // The page redraws its tables every second: an element found a moment ago may be gone.
            FluentWait<WebDriver> wait = new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                    .withMessage(() -> "the page: status " + chromium.js("return document.getElementById('run-status').textContent")
                            + ", users " + chromium.js("return document.getElementById('run-users').textContent")
                            + ", fault windows " + chromium.js("return JSON.stringify(window.stampedeLive.view().windows)")
                            + "; the server: " + stats().path("status").asText() + ", users " + stats().path("users").asText());
            browser.get(url);
            wait.until(b -> b.findElement(By.id("start-form")).isDisplayed());
            WebElement users = browser.findElement(By.id("start-users"));
            assertThat(users.getAttribute("value")).isEqualTo("4");
            assertThat(browser.findElement(By.id("start-time")).getAttribute("value")).isEqualTo("5m");
            users.clear();
            users.sendKeys("6");
            browser.findElement(By.id("start")).click();

            wait.until(b -> b.findElement(By.id("run-status")).getText().equalsIgnoreCase("running")
                    && b.findElement(By.id("run-users")).getText().equals("6"));
            wait.until(b -> b.findElement(By.cssSelector("#requests tbody td.name")).getText().equals("/"));
            assertThat(browser.findElement(By.id("edit-form")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("start-form")).isDisplayed()).isFalse();
            wait.until(b -> b.findElement(By.cssSelector("#chaos table.targets tbody")).getText().contains("app managed up"));
            wait.until(b -> b.findElement(By.cssSelector("#slo table.slos tbody")).getText().contains("availability"));
            assertThat(browser.findElement(By.id("verdict")).getText()).isEqualToIgnoringCase("so far: pass");

            // Inject the declared fault now: its band and label appear, the panel lists it in effect.
            wait.until(b -> {
                WebElement inject = b.findElement(By.cssSelector("button.inject[data-fault='0']"));
                if (!inject.isEnabled()) {
                    return false;
                }
                inject.click();
                return true;
            });
            wait.until(b -> b.findElements(By.cssSelector("#fault-windows .fault-label")).stream()
                    .anyMatch(e -> e.getText().startsWith("latency#1 on app")));
            wait.until(b -> b.findElement(By.id("active-faults")).getText().contains("latency#1 on app"));
            wait.until(b -> b.findElement(By.id("chart-latency")).isDisplayed()
                    && ((Number) chromium.js("return window.stampedeLive.view().windows.length")).intValue() == 1);

            // Fewer users, live.
            WebElement edit = browser.findElement(By.id("edit-users"));
            edit.clear();
            edit.sendKeys("2");
            browser.findElement(By.id("edit")).click();
            wait.until(b -> b.findElement(By.id("run-users")).getText().equals("2"));

            // The fault ends by itself: rolled back, the band closes.
            wait.until(b -> b.findElement(By.cssSelector("#events tbody")).getText().contains("FAULT_ROLLED_BACK"));
            Path png = Path.of("target", "webui-control.png");
            Files.createDirectories(png.getParent());
            Files.write(png, browser.getScreenshotAs(OutputType.BYTES));

            // Reset: the totals start again, the chart keeps its history.
            long requests = stats().path("totals").path("requests").asLong();
            int points = stats().path("points").size();
            browser.findElement(By.id("reset")).click();
            await(() -> stats().path("totals").path("requests").asLong() < requests, "totals after the reset");
            assertThat(stats().path("points").size()).isGreaterThanOrEqualTo(points);

            browser.findElement(By.id("stop")).click();
            wait.until(b -> b.findElement(By.id("run-status")).getText().equalsIgnoreCase("finished"));
            wait.until(b -> b.findElement(By.id("start-form")).isDisplayed());
            assertThat(browser.findElement(By.id("verdict")).getText()).startsWith("VERDICT:");

            // A second run from the same page: the previous one's charts and events are gone.
            browser.findElement(By.id("start")).click();
            wait.until(b -> b.findElement(By.id("run-status")).getText().equalsIgnoreCase("running"));
            wait.until(b -> ((Number) chromium.js("return window.stampedeLive.view().windows.length")).intValue() == 0
                    && b.findElement(By.id("run-users")).getText().equals("6"));
            assertThat(browser.findElement(By.cssSelector("#events tbody")).getText()).doesNotContain("FAULT_ROLLED_BACK");
            browser.findElement(By.id("stop")).click();
            wait.until(b -> b.findElement(By.id("run-status")).getText().equalsIgnoreCase("finished"));
            assertThat(chromium.problems()).as("browser console").isEmpty();
        }
        await(() -> resultFolders().size() == 2 && resultFolders().stream().allMatch(f -> Files.exists(f.resolve("report.html"))),
                "two results folders");
        stampede.process().destroy(); // Ctrl-C's way out: SIGTERM ends the idle process
        assertThat(stampede.waitFor(WAIT)).isIn(0, 143);
        assertThat(stampede.process().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    @Test
    void exceptionsOfScenarioCodeAreListedAndAutostartEndsWithTheRun() throws Exception {
        Path scenario = dir.resolve("Thrower.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                import java.time.Duration;
                public class Thrower extends User {
                    @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                    @Task public void index() { http().get("/"); }
                    @Task public void broken() { throw new IllegalStateException("no <b>cart</b>"); }
                }
                """);
        try (DemoService service = new DemoService(
                DemoOptions.defaults().withPort(0))) {
            service.start();
            launch("run", "-f", scenario.toString(), "-H", service.baseUrl(), "-u", "2", "-r", "10", "-t", "2m",
                    "--autostart", "--no-results");
            await(() -> {
                try {
                    return stats().path("exceptions").path(0).path("occurrences").asLong() > 0;
                } catch (AssertionError notYet) {
                    return false; // the server is not listening yet
                }
            }, "an exception in the snapshot");
            assertThat(stats().path("exceptions").path(0).path("task").asText())
                    .isEqualTo("Thrower.broken: java.lang.IllegalStateException: no <b>cart</b>");
            assertThat(stats().path("control").path("mode").asText()).isEqualTo("autostart");
            assertThat(error(post("api/start", "{}"))).contains("--autostart");
            assertThat(post("api/stop", "{}").statusCode()).isEqualTo(200);
            assertThat(stampede.waitFor(WAIT)).as("stopped before its 2m: interrupted, not a pass").isEqualTo(1);
            assertThat(stampede.stdout()).contains("Thrower.broken: java.lang.IllegalStateException: no <b>cart</b>");
        }
    }

    private List<Path> resultFolders() {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            return folders.toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
