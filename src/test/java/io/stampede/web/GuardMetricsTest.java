package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.slo.SliSource;
import io.stampede.slo.SloResult;
import io.stampede.slo.Verdict;
import io.stampede.slo.threshold.Status;
import io.stampede.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** /metrics's guard side: each SLO's budget left as a ratio, and whether the chaos was halted. */
class GuardMetricsTest {

    private static SloResult slo(String name, double budgetLeftPercent, Status status) {
        return new SloResult(name, "availability", 99, null, "", 1000, 995, 99.5, 10, 5, budgetLeftPercent, status,
                Map.of(), List.of(), List.of(), List.of(), "", SliSource.USERS);
    }

    private static String render(Verdict verdict, boolean halted) {
        return new String(PrometheusMetrics.render(null, Map.of(), Map.of(), verdict, halted), StandardCharsets.UTF_8);
    }

    @Test
    void budgetLeftPerSloAndTheHaltAreSeries() {
        Verdict verdict = Verdict.of(List.of(slo("availability", 50, Status.PASS), slo("overspent", -120, Status.FAIL),
                slo("idle", 100, Status.NO_DATA)), List.of(), List.of(), null);
        String text = render(verdict, true);
        assertThat(text).contains("stampede_slo_budget_left_ratio{slo=\"availability\"} 0.5\n",
                "stampede_slo_budget_left_ratio{slo=\"overspent\"} -1.2\n", "stampede_chaos_halted 1.0\n");
        assertThat(text).as("no data is no series, not an untouched budget").doesNotContain("slo=\"idle\"");
        assertThat(render(null, false)).contains("stampede_chaos_halted 0.0\n").doesNotContain("stampede_slo_budget_left_ratio{");
    }

    @Test
    void theGuardSeriesPassPromtoolCheck() throws Exception {
        Assumptions.assumeTrue(Promtool.installed(), "promtool (Debian's prometheus) not installed");
        Verdict verdict = Verdict.of(List.of(slo("availability", 50, Status.PASS)), List.of(), List.of(), null);
        assertThat(Promtool.check(render(verdict, true))).isEmpty();
        assertThat(Promtool.check(render(null, false))).isEmpty();
    }
}
