package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.engine.TaskErrors;
import io.stampede.engine.TaskErrorsFixture;
import io.stampede.engine.WorkerStatus;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.testing.Promtool;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live UI's HTTP surface on a real socket: snapshot, metrics, stream, methods, access. */
class WebUiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A request name that tests escaping everywhere: quote, backslash, markup. */
    private static final String AWKWARD = "say \"hi\" \\ <b>";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final EventLog events = new EventLog();
    private WebUi ui;
    private LiveRuns run;

    @BeforeEach
    void start() {
        ui = WebUi.start("127.0.0.1", 0, events);
        run = new LiveRuns("lab-13", System.currentTimeMillis() - 5000);
        ui.onStart(run.info);
    }

    @AfterEach
    void stop() {
        ui.close();
        http.shutdownNow(); // close() would wait for idle keep-alive connections to time out

    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ui.url() + path.substring(1))).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void feed() {
        run.record("GET", "/", 30, 2000, 10, "HTTP 503 Service Unavailable");
        run.record("GET", "/health", 10, 1000, 0, null);
        run.record("POST", AWKWARD, 5, 4000, 0, null);
        run.tick(ui, 7);
        run.record("GET", "/", 20, 3000, 0, null);
        run.tick(ui, 9);
    }

    @Test
    void statsSnapshotHasTotalsRowsFailuresAndPoints() throws Exception {
        assertThat(ui.url()).startsWith("http://127.0.0.1:").endsWith("/");
        assertThat(ui.port()).isPositive();
        feed();

        HttpResponse<String> response = get("/api/stats");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode stats = JSON.readTree(response.body());
        assertThat(stats.path("status").asText()).isEqualTo("running");
        assertThat(stats.path("name").asText()).isEqualTo("lab-13");
        assertThat(stats.path("users").asInt()).isEqualTo(9);
        assertThat(stats.at("/totals/requests").asLong()).isEqualTo(65);
        assertThat(stats.at("/totals/failures").asLong()).isEqualTo(3);
        assertThat(stats.path("requests")).hasSize(3);
        JsonNode root = stats.path("requests").findParents("name").stream()
                .filter(r -> r.path("name").asText().equals("/")).findFirst().orElseThrow();
        assertThat(root.path("requests").asLong()).isEqualTo(50);
        assertThat(root.path("p95Millis").asDouble()).isBetween(3.0, 3.1);
        assertThat(stats.at("/failures/0/error").asText()).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(stats.at("/failures/0/occurrences").asLong()).isEqualTo(3);
        assertThat(stats.path("points")).hasSize(2);
        assertThat(stats.at("/points/1/requests").asLong()).isEqualTo(20);

        ui.onFinish(run.stats);
        assertThat(JSON.readTree(get("/api/stats").body()).path("status").asText()).isEqualTo("finished");
    }

    @Test
    void metricsAreValidPrometheusTextWithEscapedLabels() throws Exception {
        feed();
        events.emitFault(Event.Kind.FAULT_INJECTED, "app", "latency", "latency#1", "300 ms, for 10s");

        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = response.body();
        assertThat(text).endsWith("\n");
        assertThat(text).contains("# TYPE stampede_requests_total counter\n", "# TYPE stampede_failures_total counter\n",
                "# TYPE stampede_response_time_seconds summary\n", "# TYPE stampede_users gauge\n",
                "# TYPE stampede_active_faults gauge\n");

        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                assertThat(line).matches("# (HELP|TYPE) stampede_[a-z_]+ .+");
                continue;
            }
            Sample s = Sample.parse(line);
            samples.put(s.name + s.labels, s.value);
        }
        assertThat(samples).containsEntry("stampede_requests_total{method=GET, name=/}", 50.0)
                .containsEntry("stampede_failures_total{method=GET, name=/}", 3.0)
                .containsEntry("stampede_requests_total{method=POST, name=" + AWKWARD + "}", 5.0)
                .containsEntry("stampede_response_time_seconds_count{method=GET, name=/health}", 10.0)
                .containsEntry("stampede_users{}", 9.0)
                .containsEntry("stampede_active_faults{}", 1.0);
        assertThat(samples.get("stampede_response_time_seconds{method=GET, name=/, quantile=0.95}")).isBetween(0.003, 0.0031);
        assertThat(samples.get("stampede_response_time_seconds{method=GET, name=/, quantile=0.5}")).isBetween(0.002, 0.0031);
        assertThat(text).contains("name=\"say \\\"hi\\\" \\\\ <b>\"");
        assertThat(text).as("seconds to the microsecond, no binary-fraction noise").doesNotContainPattern("\\.\\d{7,}");
        assertThat(PrometheusMetrics.seconds(5.562999999)).hasToString("0.005563");

        events.emitFault(Event.Kind.FAULT_ROLLED_BACK, "app", "latency", "latency#1", "after 10s");
        assertThat(get("/metrics").body()).containsPattern("\nstampede_active_faults 0(\\.0)?\n");
    }

    @Test
    void metricsHaveLatencyInFixedBucketsAndFaultsAndTargetsAsSeries() throws Exception {
        feed(); // "/": 30 at 2.001-2.030 ms, 20 at 3.001-3.020 ms; "/health": 10 at 1.001-1.010 ms
        run.record("GET", "/edge", 1, 999, 0, null); // 1.000 ms: on a bound, which is inclusive
        run.tick(ui, 9);
        events.emitTarget(Event.Kind.TARGET_HEALTHY, "app", "200 OK");
        events.emitFault(Event.Kind.FAULT_INJECTED, "app", "latency", "latency#1", "300 ms, for 10s");
        events.emitFault(Event.Kind.FAULT_INJECTED, "app", "latency", "latency#2", "300 ms, for 10s");

        String text = get("/metrics").body();
        assertThat(text).contains("# TYPE stampede_request_duration_seconds histogram\n",
                "# TYPE stampede_fault_active gauge\n", "# TYPE stampede_target_up gauge\n", "# TYPE stampede_target_state gauge\n");
        List<Sample> samples = samples(text);
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/", "le", "0.001")).isZero();
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/", "le", "0.0025")).isEqualTo(30);
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/", "le", "0.005")).isEqualTo(50);
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/", "le", "+Inf")).isEqualTo(50);
        assertThat(value(samples, "stampede_request_duration_seconds_count", "name", "/")).isEqualTo(50);
        assertThat(value(samples, "stampede_request_duration_seconds_sum", "name", "/")).isCloseTo(0.12, Offset.offset(0.001));
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/health", "le", "0.001")).isZero();
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/edge", "le", "0.001")).isEqualTo(1);
        assertThat(value(samples, "stampede_request_duration_seconds_bucket", "name", "/health", "le", "0.0025")).isEqualTo(10);
        assertThat(samples.stream().filter(s -> s.name.equals("stampede_request_duration_seconds_bucket")
                && s.labels.get("name").equals("/")).map(s -> s.labels.get("le")).toList())
                .as("the same bounds for every request, so they sum").containsExactly("0.001", "0.0025", "0.005", "0.01", "0.025",
                        "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "+Inf");
        assertThat(value(samples, "stampede_fault_active", "fault", "latency", "target", "app")).isEqualTo(2);
        assertThat(value(samples, "stampede_target_up", "target", "app")).isEqualTo(1);
        assertThat(value(samples, "stampede_target_state", "target", "app", "state", "up")).isEqualTo(1);
        assertThat(value(samples, "stampede_target_state", "target", "app", "state", "down")).isZero();
        assertThat(value(samples, "stampede_response_time_seconds_count", "name", "/")).as("the summary is kept").isEqualTo(50);

        events.emitFault(Event.Kind.FAULT_ROLLED_BACK, "app", "latency", "latency#1", "after 10s");
        events.emitFault(Event.Kind.FAULT_ROLLED_BACK, "app", "latency", "latency#2", "after 10s");
        events.emitTarget(Event.Kind.TARGET_EXITED, "app", "exit 137");
        samples = samples(get("/metrics").body());
        assertThat(value(samples, "stampede_fault_active", "fault", "latency", "target", "app")).as("0 once ended, not gone").isZero();
        assertThat(value(samples, "stampede_target_up", "target", "app")).isZero();
        assertThat(value(samples, "stampede_target_state", "target", "app", "state", "down")).isEqualTo(1);
    }

    @Test
    void metricsPassPromtoolCheck() throws Exception {
        Assumptions.assumeTrue(Promtool.installed(), "promtool (Debian's prometheus) not installed");
        feed();
        events.emitTarget(Event.Kind.TARGET_HEALTHY, "app", "200 OK");
        events.emitFault(Event.Kind.FAULT_INJECTED, "app", "latency", "latency#1", "300 ms, for 10s");
        assertThat(Promtool.check(get("/metrics").body())).isEmpty();
    }

    private static List<Sample> samples(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#")).map(Sample::parse).toList();
    }

    /** The one sample of that name whose labels include these pairs. */
    private static double value(List<Sample> samples, String name, String... labels) {
        List<Sample> found = samples.stream().filter(s -> s.name.equals(name)).filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(found).as(name + " " + Arrays.toString(labels)).hasSize(1);
        return found.get(0).value;
    }

    /** One sample line, labels unescaped, checked against the format's grammar. */
    private record Sample(String name, Map<String, String> labels, double value) {

        private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)");

        static Sample parse(String line) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("sample line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            String raw = m.group(2);
            if (raw != null) {
                int i = 1;
                while (raw.charAt(i) != '}') {
                    int eq = raw.indexOf('=', i);
                    String key = raw.substring(i, eq);
                    assertThat(key).matches("[a-zA-Z_][a-zA-Z0-9_]*");
                    assertThat(raw.charAt(eq + 1)).isEqualTo('"');
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; raw.charAt(j) != '"'; j++) {
                        char c = raw.charAt(j);
                        if (c == '\\') {
                            char next = raw.charAt(++j);
                            assertThat("\\\"n").as("escape in " + line).contains(String.valueOf(next));
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            assertThat(c).isNotEqualTo('\n');
                            value.append(c);
                        }
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (raw.charAt(i) == ',') {
                        i++;
                    }
                }
            }
            return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
        }
    }

    @Test
    void streamSendsStatsEachIntervalAndEventsAsTheyHappen() throws Exception {
        events.emitTarget(Event.Kind.TARGET_STARTED, "app", "pid 42"); // before: replayed on connect
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create(ui.url() + "api/stream")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> seen = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        CompletableFuture<List<String>> messages = CompletableFuture.supplyAsync(() -> {
            List<String> found = new ArrayList<>();
            String event = null;
            while (lines.hasNext()) {
                String line = lines.next();
                synchronized (seen) {
                    seen.add(line);
                }
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    found.add(event + " " + line.substring(6));
                    if (event.equals("event") && line.contains("FAULT_INJECTED")) {
                        return found;
                    }
                }
            }
            return found;
        });
        run.record("GET", "/", 10, 2000, 0, null);
        run.tick(ui, 3);
        events.emitFault(Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", "SIGKILL");
        List<String> found;
        try {
            found = messages.get(3, TimeUnit.SECONDS);
        } finally {
            response.body().close();
        }
        assertThat(found).first().satisfies(m -> assertThat(m).startsWith("event ").contains("TARGET_STARTED").contains("\"seq\":0"));
        // the whole snapshot on connect, then what changed: the new second's totals
        assertThat(found).anySatisfy(m -> assertThat(m).startsWith("stats ").contains("\"seq\":"));
        assertThat(found).anySatisfy(m -> assertThat(m).startsWith("delta ").contains("\"requests\":10"));
        assertThat(found).last().satisfies(m -> assertThat(m).contains("\"kind\":\"FAULT_INJECTED\"").contains("\"seq\":1"));
    }

    @Test
    void readingIsGetChangingIsPostAndUnknownPathsAre404() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "api/stats"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(JSON.readTree(post.body()).path("error").asText()).contains("POST not allowed on /api/stats");
        HttpResponse<String> getStop = get("/api/stop");
        assertThat(getStop.statusCode()).isEqualTo(405);
        assertThat(getStop.headers().firstValue("allow")).hasValue("POST");
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(ui.url())).DELETE().timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);

        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("status").asInt()).isEqualTo(404);

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void pageAndAssetsComeFromTheServerItself() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'"));
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        int assets = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            assertThat(ref).doesNotContain("//");
            if (ref.startsWith("data:")) {
                continue; // the empty favicon: no request at all
            }
            assertThat(get("/" + ref).statusCode()).as(ref).isEqualTo(200);
            assets++;
        }
        assertThat(assets).isGreaterThanOrEqualTo(4);
        assertThat(get("/assets/uPlot.iife.min.js").body()).contains("uPlot");
    }

    @Test
    void workersAreInTheSnapshotOnlyForAMasterRunWithStateCpuAndHeartbeatAge() throws Exception {
        feed();
        assertThat(JSON.readTree(get("/api/stats").body()).has("workers")).as("a run on this machine has no Workers tab").isFalse();

        List<WorkerStatus> workers = List.of(
                new WorkerStatus("w1", "box-a /127.0.0.1:40001", WorkerStatus.State.RUNNING, 4, 120, 3, 25.5, 97.0, 97.0, 1500,
                        run.start, run.start + 5000),
                new WorkerStatus("w2", "box-b /127.0.0.1:40002", WorkerStatus.State.LOST, 0, 40, 0, 0, null, null, 16_000,
                        run.start, run.start + 1000));
        ui.workers(() -> workers);
        run.tick(ui, 4);

        JsonNode rows = JSON.readTree(get("/api/stats").body()).path("workers");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("id").asText()).isEqualTo("w1");
        assertThat(rows.get(0).path("host").asText()).isEqualTo("box-a /127.0.0.1:40001");
        assertThat(rows.get(0).path("state").asText()).isEqualTo("running");
        assertThat(rows.get(0).path("users").asInt()).isEqualTo(4);
        assertThat(rows.get(0).path("requestsPerSecond").asDouble()).isEqualTo(25.5);
        assertThat(rows.get(0).path("cpuPercent").asDouble()).isEqualTo(97.0);
        assertThat(rows.get(0).path("cpuHigh").asBoolean()).as("above %s%%", WorkerStatus.CPU_WARNING_PERCENT).isTrue();
        assertThat(rows.get(0).path("heartbeatAgeSeconds").asDouble()).isEqualTo(1.5);
        assertThat(rows.get(0).path("requests").asLong()).isEqualTo(120);
        assertThat(rows.get(0).path("failures").asLong()).isEqualTo(3);
        assertThat(rows.get(1).path("state").asText()).isEqualTo("lost");
        assertThat(rows.get(1).path("cpuPercent").isNull()).as("no heartbeat yet: not measured").isTrue();
        assertThat(rows.get(1).path("cpuHigh").asBoolean()).isFalse();
    }

    @Test
    void exceptionsCsvHasTaskExceptionAndCountMostFrequentFirst() throws Exception {
        TaskErrors errors = TaskErrorsFixture.with("Shopper", "checkout",
                new IllegalStateException("cart, \"empty\""), 2);
        for (int i = 0; i < 5; i++) {
            TaskErrorsFixture.record(errors, "Shopper", "browse", new ArithmeticException("/ by zero"));
        }
        ui.exceptions(errors);
        feed();
        HttpResponse<String> csv = get("/download/exceptions.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"exceptions.csv\"");
        assertThat(csv.body().lines().toList()).containsExactly(
                "Task,Exception,Count",
                "Shopper.browse,java.lang.ArithmeticException: / by zero,5",
                "Shopper.checkout,\"java.lang.IllegalStateException: cart, \"\"empty\"\"\",2");
    }

    @Test
    void assetsAreCompressedAndRevalidatedByTheirHash() throws Exception {
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "assets/live.js"))
                .header("Accept-Encoding", "gzip").timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        String plain = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))
                .readAllBytes(), StandardCharsets.UTF_8);
        assertThat(plain).contains("EventSource");
        assertThat(gzipped.body().length).isLessThan(plain.length() / 2);
        HttpResponse<String> first = get("/assets/live.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "assets/live.js"))
                .header("If-None-Match", etag).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/api/stats").headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void downloadsAreTheSummaryLocustsCsvsAndTheReport() throws Exception {
        feed();
        events.emitTarget(Event.Kind.TARGET_EXITED, "app", "signal 9");
        HttpResponse<String> summary = get("/download/summary.json");
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"summary.json\"");
        JsonNode json = JSON.readTree(summary.body());
        assertThat(json.at("/totals/requests").asLong()).isEqualTo(65);
        assertThat(json.at("/events/0/kind").asText()).isEqualTo("TARGET_EXITED");
        HttpResponse<String> csv = get("/download/stats.csv");
        assertThat(csv.body()).startsWith("Type,Name,Request Count,Failure Count,").contains(",Aggregated,65,3,");
        String history = get("/download/stats_history.csv").body();
        assertThat(history).startsWith("Timestamp,User Count,Type,Name,");
        assertThat(history.lines().filter(l -> l.contains(",Aggregated,")).count()).as(history).isEqualTo(2); // one per second
        assertThat(get("/download/failures.csv").body()).startsWith("Method,Name,Error,Occurrences")
                .contains("GET,/,HTTP 503 Service Unavailable,3");
        HttpResponse<String> report = get("/download/report.html");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).startsWith("<!DOCTYPE html>").contains("lab-13");

        JsonNode list = JSON.readTree(get("/api/events").body());
        assertThat(list).hasSize(1);
        assertThat(list.at("/0/kind").asText()).isEqualTo("TARGET_EXITED");
    }

    @Test
    void aNonLoopbackAddressIsRefusedWithoutAToken() {
        assertThatThrownBy(() -> WebUi.start("0.0.0.0", 0, events)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the web UI would listen on 0.0.0.0, which is not a loopback address, without an auth token:"
                        + " anyone on the network could read the run. Use a loopback address (127.0.0.1, localhost or ::1),"
                        + " or give a token (clients send it as 'Authorization: Bearer TOKEN' or as the basic-auth password)");
        assertThatThrownBy(() -> WebUi.start("", 0, events, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(WebUi.isLoopback("127.0.0.1")).isTrue();
        assertThat(WebUi.isLoopback("localhost")).isTrue();
        assertThat(WebUi.isLoopback("::1")).isTrue();
        assertThat(WebUi.isLoopback("10.1.2.3")).isFalse();
    }

    @Test
    void aTokenIsRequiredAsBearerOrBasicPassword() throws Exception {
        try (WebUi guarded = WebUi.start("127.0.0.1", 0, events, "s3cret")) {
            URI uri = URI.create(guarded.url() + "api/stats");
            assertThat(status(HttpRequest.newBuilder(uri))).isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong"))).isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret"))).isEqualTo(200);
            String basic = Base64.getEncoder().encodeToString("anyone:s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(status(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic))).isEqualTo(200);
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
    }

    private int status(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aForeignHostHeaderIsRefusedAndTheMessageNamesEveryLoopbackForm() throws Exception {
        // DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the run.
        String refused = rawGet("evil.example:8089");
        assertThat(refused).startsWith("HTTP/1.1 403 Forbidden")
                .contains("Host not allowed: use a loopback address (127.0.0.1, localhost or [::1])");
        for (String host : List.of("127.0.0.1:8089", "localhost:8089", "[::1]:8089")) {
            assertThat(rawGet(host)).as(host).startsWith("HTTP/1.1 200 OK");
        }
    }

    /** The whole response to GET /api/stats with this Host header, the connection closed after it. */
    private String rawGet(String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ui.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/stats HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
