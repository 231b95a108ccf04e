package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.events.Event;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.Slots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Detection, recovery and each fault's cost from 10 ms slots, on synthetic runs whose answers are
 * worked out by hand: one request per slot (100 req/s), its outcome a function of the slot's start.
 */
class FaultTimingTest {

    private static final long T0 = 1_000_000; // a whole slot and a whole second

    enum Outcome { OK, FAILED, NONE }

    private static SloSpec availability(double objective) {
        return new SloSpec("availability", objective, Optional.empty(), Optional.empty(), Optional.empty(), "test");
    }

    /** A run of {@code seconds}, each slot's request given by {@code outcome} of its offset from T0 in ms. */
    private static final class Run {
        final SliSeries series;
        final List<IntervalPoint> points = new ArrayList<>();
        final Slots.Builder slots = new Slots.Builder();
        final List<Event> events = new ArrayList<>();

        Run(SloSpec slo, int seconds, LongFunction<Outcome> outcome) {
            series = new SliSeries(slo);
            for (int s = 0; s < seconds; s++) {
                long ok = 0;
                long failed = 0;
                for (long t = s * 1000L; t < (s + 1) * 1000L; t += Slots.SLOT_MILLIS) {
                    Outcome o = outcome.apply(t);
                    slots.add((T0 + t) / Slots.SLOT_MILLIS, o == Outcome.OK ? 1 : 0, o == Outcome.FAILED ? 1 : 0, 0);
                    ok += o == Outcome.OK ? 1 : 0;
                    failed += o == Outcome.FAILED ? 1 : 0;
                }
                second(s, ok + failed, failed);
            }
        }

        void second(int index, long requests, long failures) {
            long end = T0 + (index + 1) * 1000L;
            series.add(end, requests, requests - failures);
            points.add(new IntervalPoint(end, 1.0, 10, requests, failures, requests, failures, 1, 2, 3, 4));
        }

        Run event(long offsetMillis, Event.Kind kind, String fault, String injection) {
            events.add(new Event(T0 + offsetMillis, kind, "app", fault, injection, ""));
            return this;
        }

        Analysis analysis(Slots built) {
            return new Analysis(List.of(series), points, built, events, 3);
        }

        FaultImpact fault() {
            return analysis(slots.build()).faults().get(0);
        }
    }

    /** A kill at 30.505 s; requests fail from the slot at 30.510 s up to the one at 31.230 s, which succeeds. */
    private static Outcome killed(long t) {
        return t >= 30_510 && t < 31_230 ? Outcome.FAILED : Outcome.OK;
    }

    @Test
    void detectionAndRecoveryAreTimedToTheSlotNotTheSecond() {
        Run run = new Run(availability(99), 60, FaultTimingTest::killed).event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1");
        FaultImpact kill = run.fault();
        // first failure in the slot [30.510, 30.520): known by its end, 15 ms after the kill
        assertThat(kill.timeToDetectSeconds()).isCloseTo(0.015, within(1e-9));
        // last failure in the slot at 31.220; the first success after it ends at 31.240
        assertThat(kill.timeToRecoverSeconds()).isCloseTo(0.735, within(1e-9));
        assertThat(kill.resolutionMillis()).isEqualTo(Slots.SLOT_MILLIS);
        assertThat(kill.failedRequests()).isEqualTo(72);
        // whole seconds would say: detected at 31.0 s (0.495 s), recovered at 32.0 s (1.495 s)
        FaultImpact coarse = run.analysis(Slots.EMPTY).faults().get(0);
        assertThat(coarse.timeToDetectSeconds()).isCloseTo(0.495, within(1e-9));
        assertThat(coarse.timeToRecoverSeconds()).isCloseTo(1.495, within(1e-9));
        assertThat(coarse.resolutionMillis()).isEqualTo(1000);
    }

    @Test
    void recoveryIsNeverBeforeTheFirstSuccessfulRequest() {
        // At 70% the second from 31 s (23 failures in 100) is already good: the good run of seconds
        // starts at 31.0 s, before any request succeeded again. Recovery is the success at 31.230 s.
        Run run = new Run(availability(70), 60, FaultTimingTest::killed).event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1");
        FaultImpact kill = run.fault();
        assertThat(kill.recovered()).isTrue();
        assertThat(kill.timeToRecoverSeconds()).isCloseTo(0.735, within(1e-9));
        FaultImpact coarse = run.analysis(Slots.EMPTY).faults().get(0);
        assertThat(coarse.timeToRecoverSeconds()).isCloseTo(0.495, within(1e-9)); // what seconds alone claim
    }

    @Test
    void failuresAfterTheFaultInTheSecondItEndedCountEvenWhenThatSecondIsGood() {
        // At 40% the kill's own second (49 failures in 100) is good: recovery still waits for 31.230 s
        Run run = new Run(availability(40), 60, FaultTimingTest::killed).event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1");
        FaultImpact kill = run.fault();
        assertThat(kill.timeToRecoverSeconds()).isCloseTo(0.735, within(1e-9));
        assertThat(kill.timeToDetectSeconds()).isCloseTo(0.015, within(1e-9));
    }

    @Test
    void aFaultWhoseEffectComesLaterRecoversAfterTheEffectNotBeforeIt() {
        // killed at 30.505 s, but requests go on succeeding until 33.0 s, then fail until 34.5 s
        Run run = new Run(availability(99), 60, t -> t >= 33_000 && t < 34_500 ? Outcome.FAILED : Outcome.OK)
                .event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1");
        FaultImpact kill = run.fault();
        assertThat(kill.timeToDetectSeconds()).isCloseTo(2.505, within(1e-9));  // the slot at 33.000 s
        assertThat(kill.timeToRecoverSeconds()).isCloseTo(4.005, within(1e-9)); // the success at 34.500 s
        assertThat(kill.failedRequests()).isEqualTo(150);
    }

    @Test
    void aLastingFaultRecoversFromItsRollbackAtTheFirstSuccessAfterTheLastFailure() {
        // failing from 20.0 s, rolled back at 25.0 s, answering again from the slot at 25.300 s
        Run run = new Run(availability(99), 60, t -> t >= 20_000 && t < 25_300 ? Outcome.FAILED : Outcome.OK)
                .event(20_000, Event.Kind.FAULT_INJECTED, "http-error", "http-error#1")
                .event(25_000, Event.Kind.FAULT_ROLLED_BACK, "http-error", "http-error#1");
        FaultImpact fault = run.fault();
        assertThat(fault.timeToDetectSeconds()).isCloseTo(0.010, within(1e-9));
        assertThat(fault.timeToRecoverSeconds()).isCloseTo(0.310, within(1e-9));
    }

    @Test
    void theHealthProbeDetectsWhenItFailsBeforeAnyRequestDoes() {
        Run run = new Run(availability(99), 60, FaultTimingTest::killed).event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1")
                .event(30_508, Event.Kind.TARGET_UNHEALTHY, "", "");
        assertThat(run.fault().timeToDetectSeconds()).isCloseTo(0.003, within(1e-9));
    }

    @Test
    void aStallIsDetectedWhenAWaitingRequestReachesTheStallTime() {
        // a pause from 30.5 s to 33.5 s: nothing completes; ten waiting requests reach STALL_MILLIS
        // at 31.5 s and all complete right after the resume
        Run run = new Run(availability(99), 60, t -> t >= 30_500 && t < 33_500 ? Outcome.NONE : Outcome.OK)
                .event(30_500, Event.Kind.FAULT_INJECTED, "pause", "pause#1")
                .event(33_500, Event.Kind.FAULT_ROLLED_BACK, "pause", "pause#1");
        Slots stalls = new Slots.Builder().add((T0 + 30_500 + Slots.STALL_MILLIS) / Slots.SLOT_MILLIS, 0, 0, 10).build();
        FaultImpact pause = run.analysis(run.slots.build().merge(stalls)).faults().get(0);
        assertThat(pause.timeToDetectSeconds()).isCloseTo((Slots.STALL_MILLIS + Slots.SLOT_MILLIS) / 1000.0, within(1e-9));
        assertThat(pause.timeToRecoverSeconds()).isCloseTo(0.010, within(1e-9)); // the slot at 33.500 s succeeded
        assertThat(pause.failedRequests()).isZero();
    }

    @Test
    void aServiceFailingAllAlongChargesAFaultNothing() {
        Run run = new Run(availability(99), 60, t -> Outcome.FAILED).event(30_505, Event.Kind.FAULT_INJECTED, "kill", "kill#1");
        FaultImpact kill = run.fault();
        assertThat(kill.baselineFailurePercent()).isEqualTo(100.0);
        assertThat(kill.failedRequests()).isEqualTo(3000); // 30 s to the end of the run, never recovered
        assertThat(kill.budgetSpent()).isEqualTo(0.0);
        assertThat(kill.budgetSpentPercent()).isEqualTo(0.0);
        assertThat(kill.costs()).singleElement().satisfies(c -> {
            assertThat(c.baselineBadPercent()).isEqualTo(100.0);
            assertThat(c.badRequests()).isEqualTo(3000);
            assertThat(c.excessBadRequests()).isEqualTo(0.0);
        });
        assertThat(kill.timeToDetectSeconds()).isNull(); // nothing changed
    }

    @Test
    void anEffectiveFaultCostsItsFailuresAboveTheBaselineRate() {
        // one request in ten fails all along (every tenth slot); from 30 s to 35 s every request fails
        Run run = new Run(availability(85), 60, t -> t >= 30_000 && t < 35_000 || t % 100 == 90 ? Outcome.FAILED : Outcome.OK)
                .event(30_000, Event.Kind.FAULT_INJECTED, "http-error", "http-error#1")
                .event(35_000, Event.Kind.FAULT_ROLLED_BACK, "http-error", "http-error#1");
        FaultImpact fault = run.fault();
        assertThat(fault.baselineFailurePercent()).isCloseTo(10.0, within(1e-9));
        // seconds 30..35, the last the one it recovered in: 500 + the baseline's 10
        assertThat(fault.failedRequests()).isEqualTo(510);
        // 510 bad, where the baseline predicts 10% of 600 = 60: 450 above it
        assertThat(fault.budgetSpent()).isCloseTo(450.0, within(1e-9));
        // the budget: 15% of 6,000 requests = 900
        assertThat(fault.budgetSpentPercent()).isCloseTo(50.0, within(1e-9));
        assertThat(fault.costs().get(0).baselineBadPercent()).isCloseTo(10.0, within(1e-9));
        assertThat(fault.timeToDetectSeconds()).isCloseTo(0.010, within(1e-9));
        // the last failure before the good seconds at 35.0 s is in the slot at 34.990 s; success at 35.000 s
        assertThat(fault.timeToRecoverSeconds()).isCloseTo(0.010, within(1e-9));
    }

    @Test
    void burnRateWindowsAndAlertsLongerThanAShortRunAreNotApplicable() {
        // 120 s at 90%: seconds 60..71 fail completely
        Run run = new Run(availability(90), 120, t -> t >= 60_000 && t < 72_000 ? Outcome.FAILED : Outcome.OK);
        SloResult slo = run.analysis(run.slots.build()).slos().get(0);
        assertThat(slo.burnRates()).containsOnlyKeys("10s", "1m");
        assertThat(slo.burnRates().get("10s")).isCloseTo(10.0, within(1e-9));
        // 1/10 of the run is 12 s, its short window 1 s; 2 bad seconds in 12 burn at (2/12)/0.1 > 1
        assertThat(slo.alerts()).containsExactly(
                "burn rate above 1 over 12 s and 1 s (1/10 and 1/120 of the run), first at second 62");
        assertThat(slo.notes()).containsExactly(
                "burn rate over 5m: not applicable (run shorter than the window)",
                "burn-rate alert 14.4 over 1/720 of the run: not applicable (at a 90% objective the burn rate is at most 10)",
                "burn-rate alert 6 over 1/120 of the run: not applicable (a run needs 1440 s or more for a 1 s short window)");
        assertThat(slo.alerts()).noneMatch(a -> a.contains("over 1 s and 1 s"));
    }
}
