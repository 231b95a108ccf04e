package io.stampede.report;

import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void formatsElapsedAndPlannedTimeUsersRateP95AndFailures() {
        assertThat(ProgressLine.format(12, Duration.ofMinutes(1), 100, 33.14, 12.4, 0))
                .isEqualTo("00:12/01:00  users 100  req/s 33.1  p95 12ms  fail 0.00%");
    }

    @Test
    void omitsTheTotalWhenTheRunHasNoRunTime() {
        assertThat(ProgressLine.format(75, null, 20, 4, 250, 0.0125))
                .isEqualTo("01:15  users 20  req/s 4.0  p95 250ms  fail 1.25%");
    }

    @Test
    void showsSubTenMillisecondLatencyWithADecimalAndNothingWhenThereWasNoRequest() {
        assertThat(ProgressLine.format(1, null, 1, 1, 1.74, 0)).contains("p95 1.7ms");
        assertThat(ProgressLine.format(1, null, 0, 0, Double.NaN, 0)).contains("p95 -");
        assertThat(ProgressLine.clock(3725)).isEqualTo("1:02:05");
        assertThat(ProgressLine.clock(59)).isEqualTo("00:59");
    }

    @Test
    void readsTheCurrentWindowOfARun() {
        RunStats stats = new RunStats(START);
        for (int s = 0; s < 12; s++) {
            stats.add(second(s, 7, Map.of(ROOT, failed(ok(20, 20, 20), 20)), Map.of()));
        }

        assertThat(ProgressLine.format(stats, Duration.ofSeconds(30)))
                .isEqualTo("00:12/00:30  users 7  req/s 4.0  p95 20ms  fail 25.00%");
    }

    @Test
    void onATerminalRedrawsInPlaceAndEndsTheLineAtFinish() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        RunStats stats = new RunStats(START);

        stats.add(second(0, 1000, Map.of(ROOT, ok(150)), Map.of()));
        line.onInterval(null, stats);
        stats.add(second(1, 1, Map.of(ROOT, ok(1)), Map.of()));
        line.onInterval(null, stats);
        line.onFinish(stats);

        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = out.split("\r", -1);
        assertThat(draws).hasSize(3);
        assertThat(draws[1]).startsWith("00:01  users 1000").doesNotContain("\n");
        assertThat(draws[2]).startsWith("00:02  users 1  ").endsWith(" \n");   // padded over the longer line
        assertThat(draws[2].length() - 1).isEqualTo(draws[1].length());
    }

    @Test
    void elsewherePrintsAPlainLineEveryTenSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        RunStats stats = new RunStats(START);

        for (int s = 0; s < 25; s++) {
            stats.add(second(s, 3, Map.of(ROOT, ok(5)), Map.of()));
            line.onInterval(null, stats);
        }
        line.onFinish(stats);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("00:10  users 3  req/s 1.0  p95 5.0ms  fail 0.00%",
                        "00:20  users 3  req/s 1.0  p95 5.0ms  fail 0.00%");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }
}
