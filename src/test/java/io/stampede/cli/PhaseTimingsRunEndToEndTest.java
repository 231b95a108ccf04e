package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run in two worker processes against the demo service's {@code /slow}, which answers after a
 * known delay: the phases reach summary.json and the stats CSV merged from both workers, and a
 * threshold on {@code http_req_waiting} below the delay fails the run.
 */
class PhaseTimingsRunEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final int DELAY_MILLIS = 80;

    @TempDir
    Path dir;
    private DemoService service;

    @BeforeEach
    void start() throws Exception {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void phasesMergeAcrossWorkersIntoTheSummaryTheCsvAndTheThresholds() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "host: " + service.baseUrl() + "\n" + """
                load: { users: 4, spawnRate: 100, runTime: 8s, wait: { constant: 10ms } }
                tasks:
                  - { get: "/slow?ms=%d", name: slow }
                thresholds:
                  http_req_waiting: ["p(95)<%d"]
                  http_req_connecting: ["max<5000"]
                """.formatted(DELAY_MILLIS, DELAY_MILLIS / 2));

        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(),
                "--processes", "2", "--results", dir.resolve("results").toString(), "--csv", dir.resolve("lab").toString());

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        JsonNode summary;
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            summary = JSON.readTree(folders.findFirst().orElseThrow().resolve("summary.json").toFile());
        }
        JsonNode thresholds = summary.at("/verdict/thresholds");
        assertThat(thresholds.get(0).get("metric").asText()).isEqualTo("http_req_waiting");
        assertThat(thresholds.get(0).get("status").asText()).isEqualTo("fail");
        assertThat(thresholds.get(1).get("status").asText()).isEqualTo("pass");

        JsonNode waiting = summary.at("/totals/phases/waiting");
        assertThat(waiting.get("p50Millis").asDouble()).isGreaterThanOrEqualTo(DELAY_MILLIS);
        // Waiting starts when the write returned: on a busy machine a few requests' writes return late and
        // their waiting is short of the delay, which the median ignores and the mean does not.
        assertThat(waiting.get("meanMillis").asDouble()).isGreaterThanOrEqualTo(DELAY_MILLIS * 0.9);
        assertThat(summary.at("/requests/0/phases/waiting/p95Millis").asDouble()).isGreaterThanOrEqualTo(DELAY_MILLIS);
        // each user's first request connected (whether the median did depends on how many requests the
        // workers, slow to start on a busy machine, made: the session's own test checks reuse)
        assertThat(summary.at("/totals/phases/connecting/maxMillis").asDouble()).isPositive();
        assertThat(summary.at("/totals/phases/tlsHandshaking/maxMillis").asDouble()).isZero();
        assertThat(summary.get("points")).anySatisfy(p -> assertThat(p.at("/phases/waiting").asDouble())
                .isGreaterThanOrEqualTo(DELAY_MILLIS));

        List<String> csv = Files.readAllLines(dir.resolve("lab_stats.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        int waitingColumn = header.indexOf("Waiting Average (ms)");
        assertThat(waitingColumn).isEqualTo(28); // after Locust's 22 and three phases' two
        String[] aggregated = csv.get(csv.size() - 1).split(",");
        assertThat(aggregated[1]).isEqualTo("Aggregated");
        assertThat(Double.parseDouble(aggregated[waitingColumn])).isGreaterThanOrEqualTo(DELAY_MILLIS);
    }
}
