package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.testing.ManualTime;
import io.stampede.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The schedule, target choice and rollback guarantee, with a fault that records what it is asked to
 * do, on a manual clock: every timing is asserted exactly, without sleeping.
 */
class ChaosEngineTest {

    /** A real fault whose damage is an entry in a list: the engine's contract without a process. */
    static class Marker implements Fault {
        final List<String> log = new CopyOnWriteArrayList<>();
        ManualTime clock;

        @Override
        public Injection inject(TargetHandle target) {
            log.add("inject " + target.name());
            return new Injection() {
                @Override
                public String detail() {
                    return "marked";
                }

                @Override
                public void rollback() {
                    log.add("rollback " + target.name());
                }
            };
        }

        @Override
        public String unsupportedOn(TargetHandle.Kind kind) {
            return null;
        }

        @Override
        public String describe() {
            return "marker";
        }
    }

    private static final Map<String, TargetHandle> TARGETS = Map.of(
            "app-1", new AddressHandle("app-1"),
            "app-2", new AddressHandle("app-2"),
            "db", new AddressHandle("db"));

    private static ChaosSpec every(Fault fault, String target, boolean all, long everyMillis, long durationMillis, int count) {
        return new ChaosSpec("marker", fault, target, all, OptionalInt.empty(), Optional.empty(), Optional.of(Duration.ofMillis(everyMillis)),
                Duration.ZERO, durationMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(durationMillis)),
                count == 0 ? OptionalInt.empty() : OptionalInt.of(count), "test");
    }

    private static ChaosEngine engine(List<ChaosSpec> schedule, EventLog events, long seed, ManualTime time) {
        return new ChaosEngine(schedule, TARGETS, events, new Random(seed), time, time);
    }

    @Test
    void firesOnScheduleRollsBackAfterTheDurationAndStopsAtTheCount() {
        Marker fault = new Marker();
        EventLog events = new EventLog();
        ManualTime time = new ManualTime();
        try (ChaosEngine engine = engine(List.of(every(fault, "db", false, 200, 100, 3)), events, 1, time)) {
            engine.start();
            time.advance(Duration.ZERO);
            assertThat(fault.log).containsExactly("inject db");
            time.advance(Duration.ofMillis(99));
            assertThat(engine.activeInjections()).hasSize(1);
            time.advance(Duration.ofMillis(1));
            assertThat(fault.log).containsExactly("inject db", "rollback db");
            assertThat(engine.activeInjections()).isEmpty();
            time.advance(Duration.ofMillis(99)); // 199 ms: the second firing is 1 ms away
            assertThat(fault.log).hasSize(2);
            time.advance(Duration.ofSeconds(10));
            assertThat(time.pending()).as("nothing left after the count").isZero();
        }
        assertThat(fault.log).containsExactly("inject db", "rollback db", "inject db", "rollback db", "inject db", "rollback db");
        assertThat(events.events()).extracting(Event::kind).containsExactly(
                Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_INJECTED,
                Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_ROLLED_BACK);
        assertThat(events.events()).extracting(e -> e.epochMillis() - events.events().get(0).epochMillis())
                .containsExactly(0L, 100L, 200L, 300L, 400L, 500L);
        assertThat(events.events().get(0).injection()).isEqualTo(events.events().get(1).injection());
    }

    @Test
    void theDurationRunsFromTheMomentOfInjectionNotFromWhenInjectReturned() {
        Marker slow = new Marker() {
            @Override
            public Injection inject(TargetHandle target) {
                clock.spend(Duration.ofMillis(30)); // the damage takes 30 ms to do
                return super.inject(target);
            }
        };
        ManualTime time = new ManualTime();
        slow.clock = time;
        EventLog events = new EventLog();
        try (ChaosEngine engine = engine(List.of(every(slow, "db", false, 10_000, 100, 1)), events, 1, time)) {
            engine.start();
            time.advance(Duration.ZERO);
            assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(30));
            time.advance(Duration.ofMillis(69));
            assertThat(slow.log).containsExactly("inject db");
            time.advance(Duration.ofMillis(1));
            assertThat(slow.log).containsExactly("inject db", "rollback db");
        }
        assertThat(events.events().get(1).epochMillis() - events.events().get(0).epochMillis()).isEqualTo(100);
    }

    @Test
    void closeRollsBackWhatIsStillInEffect() {
        Marker fault = new Marker();
        EventLog events = new EventLog();
        ManualTime time = new ManualTime();
        ChaosEngine engine = engine(List.of(every(fault, "db", false, 10_000, 10_000, 0)), events, 1, time);
        engine.start();
        time.advance(Duration.ofSeconds(1));
        assertThat(engine.activeInjections()).hasSize(1);
        engine.close();
        engine.close(); // idempotent
        assertThat(fault.log).containsExactly("inject db", "rollback db");
        assertThat(events.events().get(1).detail()).isEqualTo("run ended");
        assertThat(time.isShutdown()).isTrue();
        time.advance(Duration.ofMinutes(1));
        assertThat(fault.log).as("nothing fires after close").hasSize(2);
    }

    @Test
    void aRegexChoosesOneMatchingTargetAtRandomOrAllOfThem() {
        Marker one = new Marker();
        Marker all = new Marker();
        ManualTime time = new ManualTime();
        try (ChaosEngine engine = engine(List.of(
                every(one, "re2:^app-", false, 50, 0, 40),
                every(all, "re2:^app-", true, 1_000, 0, 1)), new EventLog(), 7, time)) {
            engine.start();
            time.advance(Duration.ofMillis(1_949)); // firings at 0, 50, ..., 1900
            assertThat(one.log).hasSize(39);
            time.advance(Duration.ofMillis(1)); // the 40th, at 1950
            assertThat(one.log).hasSize(40);
            time.advance(Duration.ofSeconds(10));
        }
        assertThat(one.log).hasSize(40).allMatch(e -> e.startsWith("inject app-")).contains("inject app-1", "inject app-2");
        assertThat(all.log).containsExactlyInAnyOrder("inject app-1", "inject app-2");
    }

    @Test
    void aFailingInjectionIsAnEventAndTheScheduleGoesOn() {
        Fault broken = new Fault() {
            @Override
            public Injection inject(TargetHandle target) {
                throw new IllegalStateException("no process running");
            }

            @Override
            public String unsupportedOn(TargetHandle.Kind kind) {
                return null;
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        EventLog events = new EventLog();
        ManualTime time = new ManualTime();
        try (ChaosEngine engine = engine(List.of(every(broken, "db", false, 100, 0, 2)), events, 1, time)) {
            engine.start();
            time.advance(Duration.ofSeconds(1));
        }
        assertThat(events.events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Event.Kind.FAULT_FAILED);
            assertThat(e.detail()).isEqualTo("no process running");
        });
    }

    @Test
    void theEngineOnRealThreadsFiresAndRollsBack() {
        Marker fault = new Marker();
        EventLog events = new EventLog();
        try (ChaosEngine engine = new ChaosEngine(List.of(every(fault, "db", false, 10_000, 50, 1)), TARGETS, events, new Random(1))) {
            engine.start();
            Waiting.await("the rollback").until(() -> fault.log.size() == 2);
        }
        assertThat(fault.log).containsExactly("inject db", "rollback db");
    }
}
