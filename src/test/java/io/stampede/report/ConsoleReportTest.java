package io.stampede.report;

import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.RunStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleReportTest {

    @Test
    void showsProgressWhileRunningThenLocustsTables() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReport console = new ConsoleReport(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        RunStats stats = new RunStats(START);

        console.onStart(Fixtures.run(Fixtures.plan(null, null)));
        for (int s = 0; s < 12; s++) {
            stats.add(second(s, 10, Map.of(ROOT, ok(5)), Map.of()));
            console.onInterval(null, stats);
        }
        console.onFinish(stats);

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("00:10/01:00  users 10  req/s 1.0  p95 5.0ms  fail 0.00%");
        assertThat(lines.get(1)).isEmpty();
        assertThat(lines.get(2)).startsWith("Type     Name");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Aggregated"))
                .contains("Response time percentiles (approximated)");
    }
}
