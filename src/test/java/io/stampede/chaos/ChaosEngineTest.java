package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.plan.ChaosSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The schedule, target choice and rollback guarantee, with a fault that records what it is asked to do. */
class ChaosEngineTest {

    /** A real fault whose damage is an entry in a list: the engine's contract without a process. */
    static final class Marker implements Fault {
        final List<String> log = new CopyOnWriteArrayList<>();

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
        return new ChaosSpec("marker", fault, target, all, java.util.OptionalInt.empty(), Optional.empty(), Optional.of(Duration.ofMillis(everyMillis)),
                Duration.ZERO, durationMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(durationMillis)),
                count == 0 ? OptionalInt.empty() : OptionalInt.of(count), "test");
    }

    @Test
    void firesOnScheduleRollsBackAfterTheDurationAndStopsAtTheCount() throws Exception {
        Marker fault = new Marker();
        EventLog events = new EventLog();
        try (ChaosEngine engine = new ChaosEngine(List.of(every(fault, "db", false, 200, 100, 3)), TARGETS, events, new Random(1))) {
            engine.start();
            Thread.sleep(1_000);
        }
        assertThat(fault.log).containsExactly("inject db", "rollback db", "inject db", "rollback db", "inject db", "rollback db");
        assertThat(events.events()).extracting(Event::kind).containsExactly(
                Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_INJECTED,
                Event.Kind.FAULT_ROLLED_BACK, Event.Kind.FAULT_INJECTED, Event.Kind.FAULT_ROLLED_BACK);
        assertThat(events.events().get(0).injection()).isEqualTo(events.events().get(1).injection());
    }

    @Test
    void closeRollsBackWhatIsStillInEffect() {
        Marker fault = new Marker();
        EventLog events = new EventLog();
        ChaosEngine engine = new ChaosEngine(List.of(every(fault, "db", false, 10_000, 10_000, 0)), TARGETS, events, new Random(1));
        engine.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (engine.activeInjections().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        engine.close();
        engine.close(); // idempotent
        assertThat(fault.log).containsExactly("inject db", "rollback db");
        assertThat(events.events().get(1).detail()).isEqualTo("run ended");
    }

    @Test
    void aRegexChoosesOneMatchingTargetAtRandomOrAllOfThem() throws Exception {
        Marker one = new Marker();
        Marker all = new Marker();
        try (ChaosEngine engine = new ChaosEngine(List.of(
                every(one, "re2:^app-", false, 50, 0, 40),
                every(all, "re2:^app-", true, 1_000, 0, 1)), TARGETS, new EventLog(), new Random(7))) {
            engine.start();
            Thread.sleep(2_500);
        }
        assertThat(one.log).hasSize(40).allMatch(e -> e.startsWith("inject app-")).contains("inject app-1", "inject app-2");
        assertThat(all.log).containsExactlyInAnyOrder("inject app-1", "inject app-2");
    }

    @Test
    void aFailingInjectionIsAnEventAndTheScheduleGoesOn() throws Exception {
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
        try (ChaosEngine engine = new ChaosEngine(List.of(every(broken, "db", false, 100, 0, 2)), TARGETS, events, new Random(1))) {
            engine.start();
            Thread.sleep(600);
        }
        assertThat(events.events()).hasSize(2).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Event.Kind.FAULT_FAILED);
            assertThat(e.detail()).isEqualTo("no process running");
        });
    }
}
