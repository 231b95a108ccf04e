package io.stampede.report;

import static io.stampede.report.Fixtures.HEALTH;
import static io.stampede.report.Fixtures.ROOT;
import static io.stampede.report.Fixtures.START;
import static io.stampede.report.Fixtures.failed;
import static io.stampede.report.Fixtures.ok;
import static io.stampede.report.Fixtures.second;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.FailureKey;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    private static RunStats labRun() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 100, Map.of(ROOT, ok(7, 16, 21), HEALTH, ok(9)), Map.of()));
        stats.add(second(1, 100, Map.of(ROOT, failed(ok(), 3)), Map.of(new FailureKey("GET", "/",
                "ConnectionRefusedError(111, 'Connection refused')"), 1L)));
        return stats;
    }

    @Test
    void requestStatsHasLocustsColumnsARowPerKeyAndTheAggregatedLine() {
        List<String> lines = ConsoleTable.requestStats(labRun()).lines().toList();

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).matches("Type +Name +# reqs +# fails \\| +Avg +Min +Max +Med \\| +req/s +failures/s");
        assertThat(lines.get(1)).startsWith("--------|----").isEqualTo(lines.get(4));
        assertThat(lines.get(2)).matches("GET +/ +4 +1\\(25\\.00%\\) \\| +12 +3 +21 +7 \\| +2\\.00 +0\\.50");
        assertThat(lines.get(3)).matches("GET +/health +1 +0\\(0\\.00%\\) \\| +9 +9 +9 +9 \\| +0\\.50 +0\\.00");
        assertThat(lines.get(5)).matches(" +Aggregated +5 +1\\(20\\.00%\\) \\| +11 +3 +21 +9 \\| +2\\.50 +0\\.50");
    }

    @Test
    void columnsWidenForALongNameAndStayAligned() {
        String longName = "/api/v2/customers/{customerId}/orders/{orderId}/items?expand=all";
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(new RequestKey("GET", longName), ok(5), ROOT, ok(5)), Map.of()));

        List<String> lines = ConsoleTable.requestStats(stats).lines().toList();

        int column = nthIndexOf(lines.get(1), '|', 4);
        assertThat(lines).filteredOn(line -> !line.startsWith("-"))
                .allSatisfy(line -> assertThat(line.indexOf('|')).isEqualTo(column));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("GET      " + longName + " "));
    }

    @Test
    void percentileTableHasLocustsElevenPercentilesAndTheCount() {
        List<String> lines = ConsoleTable.percentiles(labRun()).lines().toList();

        assertThat(lines.get(0)).isEqualTo("Response time percentiles (approximated)");
        assertThat(lines.get(1)).matches("Type +Name +50% +66% +75% +80% +90% +95% +98% +99% +99\\.9% +99\\.99% +100% +# reqs");
        assertThat(lines.get(3)).matches("GET +/ +7 +16 +16( +21){8} +4");
        assertThat(lines.get(4)).matches("GET +/health( +9){11} +1");
        assertThat(lines.getLast()).matches(" +Aggregated +9 +16 +16 +16( +21){7} +5");
        assertThat(lines.get(1)).hasSameSizeAs(lines.get(2));   // header spans the separator
    }

    @Test
    void errorReportNamesMethodPathAndError() {
        String text = ConsoleTable.render(labRun());

        assertThat(text).contains("Error report\n# occurrences      Error\n");
        assertThat(text).containsPattern("\n1 +GET /: ConnectionRefusedError\\(111, 'Connection refused'\\)\n");
        assertThat(text.lines()).noneMatch(line -> line.endsWith(" "));
    }

    @Test
    void noErrorReportWithoutFailures() {
        RunStats stats = new RunStats(START);
        stats.add(second(0, 1, Map.of(ROOT, ok(1)), Map.of()));

        assertThat(ConsoleTable.render(stats)).doesNotContain("Error report").contains("Aggregated");
        assertThat(ConsoleTable.errorReport(stats)).isEmpty();
    }

    private static int nthIndexOf(String text, char c, int n) {
        int index = -1;
        for (int i = 0; i < n; i++) {
            index = text.indexOf(c, index + 1);
        }
        return index;
    }
}
