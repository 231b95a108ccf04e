package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.events.Event;
import io.stampede.slo.threshold.Status;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Synthetic timelines whose budget, burn, detection and recovery can be computed by hand. */
class AnalysisTest {

    private static final long T0 = 1_000_000;

    private static SloSpec availability(double objective) {
        return new SloSpec("availability", objective, Optional.empty(), Optional.empty(), Optional.empty(), "test");
    }

    /** 100 s at 10 req/s; seconds 41 to 50 (indexes 40..49) fail completely; p95 5 ms, 50 ms while failing. */
    private static Timeline tenSecondsOfTotalFailure(int lastBadIndexInclusive) {
        Timeline t = new Timeline(availability(95));
        for (int i = 0; i < 100; i++) {
            boolean bad = i >= 40 && i <= lastBadIndexInclusive;
            t.second(i, 10, bad ? 10 : 0, bad ? 50 : 5);
        }
        return t;
    }

    private static final class Timeline {
        final SliSeries series;
        final List<IntervalPoint> points = new ArrayList<>();
        final List<Event> events = new ArrayList<>();

        Timeline(SloSpec slo) {
            series = new SliSeries(slo);
        }

        void second(int index, long requests, long failures, double p95) {
            long end = T0 + (index + 1) * 1000L;
            series.add(end, requests, requests - failures);
            points.add(new IntervalPoint(end, 1.0, 10, requests, failures, requests, failures, p95 / 2, p95, p95 * 2, p95 * 3));
        }

        Analysis analysis() {
            return new Analysis(List.of(series), points, events, 3);
        }
    }

    @Test
    void budgetAndBurnRatesAreExact() {
        SloResult slo = tenSecondsOfTotalFailure(49).analysis().slos().get(0);
        assertThat(slo.total()).isEqualTo(1000);
        assertThat(slo.good()).isEqualTo(900);
        assertThat(slo.sliPercent()).isCloseTo(90.0, within(1e-9));
        assertThat(slo.errorBudget()).isCloseTo(50.0, within(1e-9));   // 5% of 1,000
        assertThat(slo.budgetSpent()).isEqualTo(100);
        assertThat(slo.budgetLeftPercent()).isCloseTo(-100.0, within(1e-9));
        assertThat(slo.status()).isEqualTo(Status.FAIL);
        assertThat(slo.burnRates().get("10s")).isCloseTo(20.0, within(1e-9));      // 100% bad / 5% allowed
        assertThat(slo.burnRates().get("1m")).isCloseTo(100.0 / 600 / 0.05, within(1e-9));
        assertThat(slo.burnRates()).doesNotContainKey("5m");                       // longer than the 100 s run
        assertThat(slo.notes()).contains("burn rate over 5m: not applicable (run shorter than the window)");
        assertThat(slo.alerts()).isEmpty(); // every rule needs a run of at least 120 s for a 1 s short window
        assertThat(slo.budgetSeries()).hasSize(100);
        assertThat(slo.budgetSeries().get(39).budgetLeftPercent()).isEqualTo(100.0);
        assertThat(slo.budgetSeries().get(44).budgetLeftPercent()).isCloseTo(0.0, within(1e-9)); // 50 spent
    }

    @Test
    void anInstantFaultIsDetectedAndRecoveryIsTimedFromItsInjection() {
        Timeline t = tenSecondsOfTotalFailure(49);
        t.events.add(new Event(T0 + 40_500, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", "pid 1"));
        List<FaultImpact> faults = t.analysis().faults();
        FaultImpact kill = faults.get(0);
        assertThat(kill.timeToDetectSeconds()).isEqualTo(0.5);     // end of second 41 - injection at 40.5
        assertThat(kill.recovered()).isTrue();
        assertThat(kill.timeToRecoverSeconds()).isEqualTo(9.5);    // good again from 50.0 s
        assertThat(kill.failedRequests()).isEqualTo(100);
        assertThat(kill.budgetSpent()).isEqualTo(100.0);
        assertThat(kill.budgetSpentPercent()).isCloseTo(200.0, within(1e-9));
        assertThat(kill.baselineP95Millis()).isEqualTo(5.0);
        assertThat(kill.peakP95Millis()).isEqualTo(50.0);
        assertThat(t.analysis().steadyState(faults).result()).isEqualTo(SteadyState.Result.PASS);
    }

    @Test
    void aLastingFaultsRecoveryCountsFromItsRollbackAndTheHealthProbeRefinesIt() {
        Timeline t = tenSecondsOfTotalFailure(49);
        t.events.add(new Event(T0 + 40_000, Event.Kind.FAULT_INJECTED, "app", "stop", "stop#1", ""));
        t.events.add(new Event(T0 + 48_000, Event.Kind.FAULT_ROLLED_BACK, "app", "stop", "stop#1", "after 8s"));
        t.events.add(new Event(T0 + 49_300, Event.Kind.TARGET_HEALTHY, "app", "", "", ""));
        FaultImpact stop = t.analysis().faults().get(0);
        // the last bad second is (49 s, 50 s]; the probe saw the target healthy at 49.3 s
        assertThat(stop.timeToRecoverSeconds()).isCloseTo(1.3, within(1e-9));
    }

    @Test
    void notRecoveredWhenTheRunEndsFirst() {
        Timeline t = tenSecondsOfTotalFailure(98);
        t.events.add(new Event(T0 + 40_500, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", ""));
        List<FaultImpact> faults = t.analysis().faults();
        assertThat(faults.get(0).recovered()).isFalse();
        assertThat(faults.get(0).timeToRecoverSeconds()).isNull();
        assertThat(t.analysis().steadyState(faults).result()).isEqualTo(SteadyState.Result.DEVIATED);
    }

    @Test
    void notRecoveredWhenTheNextFaultComesFirst() {
        Timeline t = tenSecondsOfTotalFailure(49);
        t.events.add(new Event(T0 + 40_500, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", ""));
        t.events.add(new Event(T0 + 45_500, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#2", ""));
        List<FaultImpact> faults = t.analysis().faults();
        assertThat(faults.get(0).recovered()).isFalse();
        assertThat(faults.get(0).failedRequests()).isEqualTo(50); // seconds 41..45, up to the next fault
        assertThat(faults.get(1).recovered()).isTrue();
        assertThat(faults.get(1).timeToRecoverSeconds()).isEqualTo(4.5);
    }

    @Test
    void anSloWithoutRequestsHasNoDataAndDoesNotPass() {
        Timeline t = new Timeline(new SloSpec("health", 99, Optional.empty(), Optional.of("/health"), Optional.empty(), "test"));
        for (int i = 0; i < 10; i++) {
            t.second(i, 0, 0, 0);
        }
        SloResult slo = t.analysis().slos().get(0);
        assertThat(slo.status()).isEqualTo(Status.NO_DATA);
        assertThat(Verdict.of(List.of(slo), List.of(), List.of(), null).passed()).isFalse();
    }

    @Test
    void secondsWithoutRequestsAreNotStallsWhenNothingIsKnownToBeInFlight() {
        // users running, nothing completed for 3 s, no slots: they may all be thinking (StallTest has the stalls)
        Timeline t = new Timeline(availability(99));
        for (int i = 0; i < 20; i++) {
            t.second(i, i >= 5 && i < 8 ? 0 : 10, 0, 5);
        }
        boolean[] bad = t.analysis().badSeconds();
        assertThat(bad).doesNotContain(true);
    }

    @Test
    void latencySloCountsRequestsFasterThanTheBound() {
        StatsRecorder recorder = new StatsRecorder(0);
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record("GET", "/", ms * 1000L, 0, ms == 100 ? "HTTP 500" : null);
        }
        recorder.record("GET", "/", 2000L, 0, "connection refused"); // fast, and failed
        IntervalStats interval = recorder.takeInterval(1000, 1);
        SliSeries series = new SliSeries(new SloSpec("fast", 90, Optional.of(Duration.ofMillis(91)), Optional.empty(),
                Optional.empty(), "test"));
        series.add(interval);
        assertThat(series.total(0)).isEqualTo(99);  // the two failures are left out
        assertThat(series.good(0)).isEqualTo(90);   // 1..90 ms are below 91 ms
        SliSeries failuresBad = new SliSeries(new SloSpec("fast", 90, Optional.of(Duration.ofMillis(91)), Optional.empty(),
                Optional.empty(), "test", SloSpec.FailedRequests.BAD));
        failuresBad.add(interval);
        assertThat(failuresBad.total(0)).isEqualTo(101);
        assertThat(failuresBad.good(0)).isEqualTo(90); // the 2 ms refusal is bad, not good
    }
}
