package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.testing.JdkHttpClients;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo service on a real socket: 127.0.0.1, a free port, a real HTTP client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class DemoServiceTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    private final List<DemoService> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        started.forEach(DemoService::close);
        JdkHttpClients.stop(client);
    }

    @Test
    void homePageIsShortHtml() throws Exception {
        DemoService service = start(anyPort());

        HttpResponse<String> home = get(service, "/");

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).isEqualTo("<h1>Stampede demo service</h1>\n");
        assertThat(home.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(home.headers().firstValue("content-length")).hasValue("31");
    }

    @Test
    void healthAnswersOk() throws Exception {
        DemoService service = start(anyPort());

        HttpResponse<String> health = get(service, "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK");
        assertThat(health.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
        DemoService service = start(anyPort());

        assertThat(get(service, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(service, "/item/").statusCode()).isEqualTo(404);
        assertThat(send(service, HttpRequest.newBuilder(uri(service, "/")).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(405);
        assertThat(get(service, "/login").statusCode()).isEqualTo(405);
    }

    @Test
    void itemAnswersJson() throws Exception {
        DemoService service = start(anyPort());

        HttpResponse<String> item = get(service, "/item/42");

        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body()).isEqualTo("{\"id\":\"42\",\"name\":\"item 42\"}");
        assertThat(item.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(get(service, "/item/a%22b").body()).isEqualTo("{\"id\":\"a\\\"b\",\"name\":\"item a\\\"b\"}");
    }

    @Test
    void profileNeedsTheCookieThatLoginSets() throws Exception {
        DemoService service = start(anyPort());

        assertThat(get(service, "/profile").statusCode()).isEqualTo(401);

        HttpResponse<String> login = send(service,
                HttpRequest.newBuilder(uri(service, "/login")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).matches("session=[0-9a-f]{32}; Path=/; HttpOnly");

        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> profile = send(service, HttpRequest.newBuilder(uri(service, "/profile")).header("Cookie", cookie));
        assertThat(profile.statusCode()).isEqualTo(200);
    }

    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        DemoService service = start(anyPort().withLatency(Duration.ofMillis(200)));

        long startNanos = System.nanoTime();
        HttpResponse<String> health = get(service, "/health");
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

        assertThat(health.body()).isEqualTo("OK");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void jitterKeepsTheDelayWithinItsBand() throws Exception {
        DemoService service = start(anyPort()
                .withLatency(Duration.ofMillis(100)).withJitter(Duration.ofMillis(50)));

        for (int i = 0; i < 5; i++) {
            long startNanos = System.nanoTime();
            get(service, "/health");
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void slowWaitsTheAskedMilliseconds() throws Exception {
        DemoService service = start(anyPort());

        long startNanos = System.nanoTime();
        HttpResponse<String> slow = get(service, "/slow?ms=150");

        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(get(service, "/slow?ms=soon").statusCode()).isEqualTo(400);
        assertThat(get(service, "/slow").statusCode()).isEqualTo(400);
    }

    @Test
    void errorRateOneFailsEveryRequestWithTheChosenStatus() throws Exception {
        DemoService service = start(anyPort().withErrorRate(1.0).withErrorStatus(503));

        for (String path : List.of("/", "/health", "/", "/health", "/item/1")) {
            assertThat(get(service, path).statusCode()).as(path).isEqualTo(503);
        }
    }

    @Test
    void errorRateZeroFailsNothing() throws Exception {
        DemoService service = start(anyPort().withErrorRate(0.0));

        for (int i = 0; i < 50; i++) {
            assertThat(get(service, "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void errorRateHalfFailsSomeAndNotOthers() throws Exception {
        DemoService service = start(anyPort().withErrorRate(0.5));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            statuses.add(get(service, "/health").statusCode());
        }

        // Both missing in 100 draws at p=0.5 has probability 2^-99.
        assertThat(statuses).contains(200, 500).containsOnly(200, 500);
    }

    @Test
    void bodySizeSetsTheHomePageSize() throws Exception {
        DemoService bigger = start(anyPort().withBodySize(1024));
        DemoService smaller = start(anyPort().withBodySize(4));

        HttpResponse<String> big = get(bigger, "/");
        assertThat(big.body()).hasSize(1024).startsWith(DemoService.HOME_PAGE).endsWith(".\n");
        assertThat(get(smaller, "/").body()).isEqualTo("<h1>");
    }

    @Test
    void closeFreesThePort() throws Exception {
        DemoService first = start(anyPort());
        int port = first.port();
        assertThat(get(first, "/health").statusCode()).isEqualTo(200);

        first.close();
        first.close(); // idempotent

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        DemoService second = start(anyPort().withPort(port));
        assertThat(get(second, "/health").body()).isEqualTo("OK");
    }

    @Test
    void closeDoesNotWaitForSlowAnswers() throws Exception {
        Duration latency = Duration.ofSeconds(30);
        DemoService service = start(anyPort().withLatency(latency));
        client.sendAsync(HttpRequest.newBuilder(uri(service, "/")).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(100); // let the request reach the server and wait on its timer

        long startNanos = System.nanoTime();
        service.close();

        // A close that waited for the answer would take the 30 s latency; a loaded machine's stop takes a few.
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(latency.dividedBy(3));
    }

    @Test
    void aTakenPortIsABindExceptionNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DemoService service = new DemoService(DemoOptions.defaults().withPort(taken.getLocalPort()));
            started.add(service);

            assertThatThrownBy(service::start)
                    .isInstanceOf(BindException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    @Nested
    class Options {

        @Test
        void defaultsAreTheSeedLabsService() {
            DemoOptions defaults = DemoOptions.defaults();

            assertThat(defaults.host()).isEqualTo("127.0.0.1");
            assertThat(defaults.port()).isEqualTo(5001);
            assertThat(defaults.latency()).isZero();
            assertThat(defaults.errorRate()).isZero();
            assertThat(defaults.errorStatus()).isEqualTo(500);
            assertThat(defaults.bodySize()).isEqualTo(31);
        }

        @Test
        void invalidValuesNameTheirComponent() {
            assertThatThrownBy(() -> DemoOptions.defaults().withErrorRate(1.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("errorRate: must be between 0 and 1 (got 1.5)");
            assertThatThrownBy(() -> DemoOptions.defaults().withLatency(Duration.ofMillis(-5)))
                    .hasMessage("latency: must be between 0s and 1m (got -5ms)");
            assertThatThrownBy(() -> DemoOptions.defaults().withPort(70_000))
                    .hasMessageStartingWith("port: ");
            assertThatThrownBy(() -> DemoOptions.defaults().withErrorStatus(42))
                    .hasMessageStartingWith("errorStatus: ");
        }

        @Test
        void ratesAreSharesOrPercentages() {
            assertThat(DemoOptions.parseRate("0.1")).isEqualTo(0.1);
            assertThat(DemoOptions.parseRate("25%")).isEqualTo(0.25);
            assertThatThrownBy(() -> DemoOptions.parseRate("often")).hasMessage("'often' is not a rate (examples: 0.1, 10%)");
            assertThatThrownBy(() -> DemoOptions.parseRate("NaN")).hasMessageContaining("is not a rate");
            assertThatThrownBy(() -> DemoOptions.parseRate("150%")).hasMessage("must be between 0 and 1 (got 1.5)");
        }

        @Test
        void sizesAreBytesWithBinaryUnits() {
            assertThat(DemoOptions.parseBodySize("512")).isEqualTo(512);
            assertThat(DemoOptions.parseBodySize("1kb")).isEqualTo(1024);
            assertThat(DemoOptions.parseBodySize("2MB")).isEqualTo(2 * 1024 * 1024);
            assertThatThrownBy(() -> DemoOptions.parseBodySize("big")).hasMessageContaining("'big' is not a size");
            assertThatThrownBy(() -> DemoOptions.parseBodySize("1000mb")).hasMessageStartingWith("must be between 0 and 64mb");
            assertThatThrownBy(() -> DemoOptions.parseBodySize("99999999999999999999")).hasMessageStartingWith("must be between");
        }
    }

    private DemoService start(DemoOptions options) throws IOException {
        DemoService service = new DemoService(options);
        started.add(service);
        service.start();
        return service;
    }

    /** The defaults on a free port, so tests never collide with each other or a running lab. */
    private static DemoOptions anyPort() {
        return DemoOptions.defaults().withPort(0);
    }

    private static URI uri(DemoService service, String path) {
        return URI.create(service.baseUrl() + path);
    }

    private HttpResponse<String> get(DemoService service, String path) throws IOException, InterruptedException {
        return send(service, HttpRequest.newBuilder(uri(service, path)));
    }

    private HttpResponse<String> send(DemoService service, HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
