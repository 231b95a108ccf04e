package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.api.Check;
import io.stampede.api.Response;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.StatsRecorder;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserHttpSessionTest {

    private static DemoService service;
    private final StatsRecorder recorder = new StatsRecorder(0);

    @BeforeAll
    static void startService() throws Exception {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    private UserHttpSession session(String url) {
        return session(url, HttpOptions.defaults());
    }

    private UserHttpSession session(String url, HttpOptions options) {
        return new UserHttpSession(URI.create(url), options, recorder);
    }

    private IntervalStats interval() {
        return recorder.takeInterval(1, 1);
    }

    @Test
    void recordsSuccessesUnderTheirNameAndKeepsTheConnection() {
        try (UserHttpSession http = session(service.baseUrl())) {
            for (int i = 0; i < 5; i++) {
                assertThat(http.get("/").status()).isEqualTo(200);
            }
            Response health = http.get("/health", Check.status(200), Check.bodyContains("OK"));
            assertThat(health.ok()).isTrue();
            assertThat(health.text()).isEqualTo("OK");
            http.request("GET", "/item/7").name("/item/{id}").check(Check.jsonField("/id", "7")).send();
            http.request("GET", "/item/8").name("/item/{id}").send();
        }
        IntervalStats stats = interval();
        EntryStats index = stats.entries().get(new RequestKey("GET", "/"));
        assertThat(index.count()).isEqualTo(5);
        assertThat(index.failures()).isZero();
        assertThat(index.contentBytes()).isEqualTo(5L * DemoService.HOME_PAGE.length());
        assertThat(stats.entries().get(new RequestKey("GET", "/item/{id}")).count()).isEqualTo(2);
        assertThat(stats.failures()).isEmpty();
    }

    @Test
    void failedChecksAndErrorStatusesAreFailuresWithReadableNames() {
        try (UserHttpSession http = session(service.baseUrl())) {
            assertThat(http.get("/nowhere").error()).isEqualTo("HTTP 404 Not Found");
            assertThat(http.get("/health", Check.bodyContains("DOWN")).error()).isEqualTo("body does not contain 'DOWN'");
            assertThat(http.get("/health", Check.status(201)).error()).isEqualTo("status 200, expected 201");
            assertThat(http.get("/nowhere", Check.status(404)).ok()).isTrue();
            assertThat(http.get("/item/1", Check.jsonField("/id", "2")).error()).isEqualTo("JSON field /id is '1', expected '2'");
        }
        assertThat(interval().failures()).hasSize(4);
    }

    @Test
    void keepsCookiesPerUser() {
        try (UserHttpSession alice = session(service.baseUrl()); UserHttpSession bob = session(service.baseUrl())) {
            assertThat(alice.post("/login", "").status()).isEqualTo(200);
            assertThat(alice.cookie("session")).isNotBlank();
            assertThat(alice.get("/profile").status()).isEqualTo(200);
            assertThat(bob.get("/profile", Check.status(401)).ok()).isTrue();
            alice.clearCookies();
            assertThat(alice.get("/profile").status()).isEqualTo(401);
        }
    }

    @Test
    void sendsDefaultHeaders() {
        try (UserHttpSession http = session(service.baseUrl(),
                new HttpOptions(Duration.ofSeconds(1), Duration.ofSeconds(5), 1024, true, Map.of("X-Test", "1")))) {
            http.defaultHeader("Accept", "text/html");
            assertThat(http.get("/").ok()).isTrue();
        }
    }

    @Test
    void connectionRefusedIsAFailureNotAnException() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (UserHttpSession http = session("http://127.0.0.1:" + closedPort)) {
            Response response = http.get("/");
            assertThat(response.status()).isZero();
            assertThat(response.error()).isEqualTo("connection refused");
        }
        assertThat(interval().total().failures()).isEqualTo(1);
    }

    @Test
    void wireFaultsGetReadableErrors() throws Exception {
        HttpOptions shortTimeouts = new HttpOptions(Duration.ofSeconds(1), Duration.ofMillis(300), 1024 * 1024, true, Map.of());
        assertThat(errorFrom(MisbehavingServer.Behaviour.RESET, shortTimeouts))
                .isIn("connection reset by peer", "no response (connection closed by the service)");
        assertThat(errorFrom(MisbehavingServer.Behaviour.SILENT, shortTimeouts)).isEqualTo("response timeout (300 ms)");
        assertThat(errorFrom(MisbehavingServer.Behaviour.GARBAGE, shortTimeouts)).startsWith("malformed response");
        assertThat(errorFrom(MisbehavingServer.Behaviour.HUGE_BODY, shortTimeouts)).isEqualTo("response body over 1048576 bytes");
        assertThat(errorFrom(MisbehavingServer.Behaviour.CLOSE_MID_BODY, shortTimeouts))
                .isEqualTo("connection closed before the response ended");
    }

    private String errorFrom(MisbehavingServer.Behaviour behaviour, HttpOptions options) throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(behaviour); UserHttpSession http = session(server.url(), options)) {
            long start = System.nanoTime();
            String error = http.get("/").error();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            return error;
        }
    }

    @Test
    void responseHeadersAreFoundByAnyCaseOfTheirName() {
        try (UserHttpSession http = session(service.baseUrl())) {
            Response response = http.get("/item/3");
            assertThat(response.header("Content-Type")).isNotBlank();
            assertThat(response.header("content-type")).isEqualTo(response.header("CONTENT-TYPE"));
            assertThat(response.header("X-Not-There")).isNull();
        }
    }
}
