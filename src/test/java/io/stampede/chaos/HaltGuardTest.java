package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.testing.ManualTime;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The guard's decisions on a manual clock: the schedule held until steady, nothing injected when the
 * deadline passes, a halt that rolls back what is active and lets nothing fire after it.
 */
class HaltGuardTest {

    /** SLI figures set by the test, as the run's statistics would move them. */
    static final class Figures implements HaltGuard.Readings {
        volatile double budgetLeft = 100;
        volatile int held;

        @Override
        public OptionalDouble budgetLeftPercent(String slo) {
            return OptionalDouble.of(budgetLeft);
        }

        @Override
        public OptionalDouble burnRate(String slo, Duration window) {
            return OptionalDouble.empty();
        }

        @Override
        public Optional<String> thresholdFailing(HaltCondition.ThresholdFails threshold) {
            return Optional.empty();
        }

        @Override
        public int secondsAllSlosHeld() {
            return held;
        }

        @Override
        public String lastBreach() {
            return held == 0 ? "availability 70.00% < 99% in its last bad second" : "";
        }
    }

    private static final HaltCondition BUDGET = new HaltCondition.BudgetLeft("availability", 50, "plan.yaml:9:7");

    private final ChaosEngineTest.Marker fault = new ChaosEngineTest.Marker();
    private final EventLog events = new EventLog();
    private final ManualTime time = new ManualTime();
    private final Figures figures = new Figures();
    private final List<String> stopped = new CopyOnWriteArrayList<>();

    /** The marker every second from 0 s, each lasting 10 s. */
    private ChaosEngine engine() {
        ChaosSpec spec = new ChaosSpec("marker", fault, "db", false, OptionalInt.empty(), Optional.empty(),
                Optional.of(Duration.ofSeconds(1)), Duration.ZERO, Optional.of(Duration.ofSeconds(10)), OptionalInt.empty(), "test");
        return new ChaosEngine(List.of(spec), Map.of("db", new AddressHandle("db")), events, new Random(1), time, time);
    }

    private HaltGuard guard(GuardSpec spec, ChaosEngine engine) {
        return new HaltGuard(spec, engine, figures, events, stopped::add, time, time);
    }

    private List<Event.Kind> kinds() {
        return events.events().stream().map(Event::kind).toList();
    }

    @Test
    void theFirstFaultWaitsForTheSteadyStateAndTheScheduleCountsFromIt() {
        GuardSpec spec = new GuardSpec(List.of(), false, Optional.of(new GuardSpec.Steady(Duration.ofSeconds(3), Duration.ofSeconds(30), "p")));
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(spec, engine)) {
            guard.start();
            time.advance(Duration.ofSeconds(5));
            assertThat(fault.log).isEmpty();
            figures.held = 2;
            assertThat(guard.status().steady()).contains(new HaltGuard.SteadyStatus("waiting", 2, 3, 30));
            figures.held = 3;
            time.advance(Duration.ofSeconds(1)); // the next evaluation
            assertThat(kinds()).startsWith(Event.Kind.STEADY_STATE_REACHED, Event.Kind.FAULT_INJECTED);
            assertThat(events.events().get(0).detail()).isEqualTo("every SLO held for 3s at 0:06: the chaos starts");
            assertThat(events.events().get(1).epochMillis() - events.events().get(0).epochMillis()).isZero();
            assertThat(guard.status().steady()).map(HaltGuard.SteadyStatus::state).contains("reached");
        }
    }

    @Test
    void noSteadyStateByTheDeadlineMeansNoFaultAtAll() {
        GuardSpec spec = new GuardSpec(List.of(BUDGET), false, Optional.of(new GuardSpec.Steady(Duration.ofSeconds(3), Duration.ofSeconds(10), "p")));
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(spec, engine)) {
            guard.start();
            time.advance(Duration.ofSeconds(10));
            assertThat(guard.notSteady()).isEqualTo("the service was not steady: the SLOs did not hold for 3s within 10s"
                    + " (availability 70.00% < 99% in its last bad second); no fault injected");
            assertThat(guard.status().steady()).map(HaltGuard.SteadyStatus::state).contains("not reached");
            figures.held = 60; // steady too late
            figures.budgetLeft = 0; // and a halt condition that would fire: none is evaluated without chaos
            time.advance(Duration.ofMinutes(1));
        }
        assertThat(fault.log).isEmpty();
        assertThat(kinds()).containsExactly(Event.Kind.STEADY_STATE_NOT_REACHED);
    }

    @Test
    void aHaltRollsBackEveryActiveFaultAndNothingFiresAfterIt() {
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(new GuardSpec(List.of(BUDGET), false, Optional.empty()), engine)) {
            guard.start();
            time.advance(Duration.ofMillis(2500)); // injections at 0, 1 and 2 s, all active
            assertThat(engine.activeInjections()).hasSize(3);
            assertThat(guard.status().conditions()).containsExactly(
                    new HaltGuard.ConditionStatus("budgetLeft of availability < 50%", "100.0% left", false));
            figures.budgetLeft = 41.25;
            guard.evaluate(); // a new second of statistics
            assertThat(engine.activeInjections()).isEmpty();
            assertThat(engine.halted()).isTrue();
            assertThat(guard.haltedBy()).isEqualTo("chaos halted at 0:02 by budgetLeft of availability < 50% (41.3% left)");
            assertThat(guard.status()).isEqualTo(new HaltGuard.Status(List.of(new HaltGuard.ConditionStatus(
                    "budgetLeft of availability < 50%", "41.3% left", true)), Optional.empty(), guard.haltedBy()));
            time.advance(Duration.ofMinutes(1));
        }
        assertThat(fault.log).containsExactly("inject db", "inject db", "inject db", "rollback db", "rollback db", "rollback db");
        assertThat(kinds()).containsExactly(Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_INJECTED,
                Event.Kind.CHAOS_HALTED, Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_ROLLED_BACK);
        // newest first, each saying why, all at the moment of the halt
        List<Event> rollbacks = events.events().subList(4, 7);
        assertThat(rollbacks).extracting(Event::injection).containsExactly("marker#3", "marker#2", "marker#1");
        assertThat(rollbacks).extracting(Event::detail).containsOnly("chaos halted by budgetLeft of availability < 50%");
        assertThat(rollbacks).extracting(Event::epochMillis).containsOnly(events.events().get(3).epochMillis());
        assertThat(stopped).as("then: continue").isEmpty();
    }

    @Test
    void anInjectionAskedAfterTheHaltIsRefusedAndSaid() {
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(new GuardSpec(List.of(BUDGET), false, Optional.empty()), engine)) {
            guard.start();
            figures.budgetLeft = 10;
            guard.evaluate();
            ChaosSpec now = new ChaosSpec("marker", fault, "db", false, OptionalInt.empty(), Optional.of(Duration.ZERO),
                    Optional.empty(), Duration.ZERO, Optional.empty(), OptionalInt.empty(), "page");
            engine.fire(now); // the page's "inject now"
        }
        assertThat(fault.log).isEmpty(); // halted before the first firing ran
        Event last = events.events().get(events.events().size() - 1);
        assertThat(last.kind()).isEqualTo(Event.Kind.FAULT_FAILED);
        assertThat(last.detail()).isEqualTo("not injected: the chaos was halted");
    }

    @Test
    void aProbeRefusedInARowHaltsAndThenStopStopsTheUsers() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once closed: each probe is refused
        }
        HaltCondition probe = new HaltCondition.ProbeFails(URI.create("http://127.0.0.1:" + closed + "/health"), 2,
                Duration.ofMillis(500), "p");
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(new GuardSpec(List.of(probe), true, Optional.empty()), engine)) {
            guard.start();
            time.advance(Duration.ofSeconds(1));
            assertThat(guard.haltedBy()).isNull(); // one failure
            time.advance(Duration.ofSeconds(1));
            assertThat(guard.haltedBy()).isEqualTo("chaos halted at 0:02 by probe http://127.0.0.1:" + closed
                    + "/health failing 2 in a row (2 failures in a row)");
            assertThat(stopped).containsExactly(guard.haltedBy());
        }
    }

    /** A Prometheus that stops answering during the run: one event per outage, no halt, the value says why. */
    @Test
    void anUnreachablePrometheusIsAnEventNotAHalt() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once closed: each query is refused
        }
        HaltCondition query = new HaltCondition.PrometheusQuery("up == 0", URI.create("http://127.0.0.1:" + closed),
                Duration.ofMillis(500), "q");
        try (ChaosEngine engine = engine(); HaltGuard guard = guard(new GuardSpec(List.of(query), true, Optional.empty()), engine)) {
            guard.start();
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));
            assertThat(guard.haltedBy()).isNull();
            assertThat(stopped).isEmpty();
            assertThat(events.events()).filteredOn(e -> e.kind() == Event.Kind.HALT_CONDITION_UNREADABLE).singleElement()
                    .satisfies(e -> assertThat(e.detail()).startsWith("prometheus 'up == 0' non-empty cannot be read, so it cannot"
                            + " halt the chaos: cannot reach Prometheus at http://127.0.0.1:" + closed + ": ")
                            // refused at once, or, on a loaded machine, the client's connect deadline passes first
                            .matches(".*: (Connection refused|HTTP connect timed out)"));
            HaltGuard.ConditionStatus now = guard.status().conditions().get(0);
            assertThat(now.firing()).isFalse();
            assertThat(now.value()).startsWith("unreadable: cannot reach Prometheus at ");
        }
    }
}
