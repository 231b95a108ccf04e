package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.events.Event;
import io.stampede.report.VerdictTable;
import io.stampede.stats.IntervalPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A kill at 40 s of a 60 s run at 10 requests a second. Seconds 40..44 (indexes): 6 requests refused
 * in 1 ms and 4 successes at 300 ms; every other second 10 successes at 20 ms. Two SLOs: availability
 * 95% and latency below 200 ms at 95% (failures left out). By hand:
 * <ul>
 *   <li>availability: 600 requests, 30 bad, budget 30: the kill cost 30, 100% of it;</li>
 *   <li>latency: 570 requests (30 refused left out), 20 bad (the slow successes), budget 28.5: the
 *       kill cost 20, 70.18% of it;</li>
 *   <li>the p95 over all requests in a failing second is 1 ms (most are refusals), over the
 *       successes 300 ms: the peak is 300 ms, the failures' 1 ms shown apart.</li>
 * </ul>
 */
class FaultCostTest {

    private static final long T0 = 1_000_000;

    @Test
    void everySloHasItsCostAndTheLatencyPeakIsTheSuccesses() {
        SliSeries availability = new SliSeries(new SloSpec("availability", 95, Optional.empty(), Optional.empty(),
                Optional.empty(), "test"));
        SliSeries fast = new SliSeries(new SloSpec("fast", 95, Optional.of(Duration.ofMillis(200)), Optional.empty(),
                Optional.empty(), "test"));
        List<IntervalPoint> points = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long end = T0 + (i + 1) * 1000L;
            boolean killed = i >= 40 && i <= 44;
            if (killed) {
                availability.add(end, 10, 4);
                fast.add(end, 4, 0);
                points.add(new IntervalPoint(end, 1, 10, 10, 6, 10, 6, 1, 1, 300, 300, 300, 300, 1));
            } else {
                availability.add(end, 10, 10);
                fast.add(end, 10, 10);
                points.add(new IntervalPoint(end, 1, 10, 10, 0, 10, 0, 20, 20, 20, 20));
            }
        }
        List<Event> events = List.of(new Event(T0 + 40_000, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", ""));
        Analysis analysis = new Analysis(List.of(availability, fast), points, events, 3);
        FaultImpact kill = analysis.faults().get(0);

        assertThat(kill.costs()).extracting(FaultImpact.SloCost::slo).containsExactly("availability", "fast");
        assertThat(kill.costs().get(0).excessBadRequests()).isEqualTo(30.0);
        assertThat(kill.costs().get(0).budgetPercent()).isCloseTo(100.0, within(1e-9));
        assertThat(kill.costs().get(1).excessBadRequests()).isEqualTo(20.0);
        assertThat(kill.costs().get(1).budgetPercent()).isCloseTo(100.0 * 20 / 28.5, within(1e-9));

        assertThat(kill.baselineP95Millis()).isEqualTo(20.0);
        assertThat(kill.peakP95Millis()).isEqualTo(300.0);
        assertThat(kill.peakFailedP95Millis()).isEqualTo(1.0);

        String table = VerdictTable.render(
                Verdict.of(analysis.slos(), List.of(), analysis.faults(), analysis.steadyState(analysis.faults())));
        assertThat(table).contains("availability spent above baseline", "fast spent above baseline",
                "30 (100.00%)", "20 (70.18%)", "20→300");
    }
}
