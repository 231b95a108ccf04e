package io.stampede.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Causes before their effects: a reserved place holds back what other threads emit meanwhile. Dates on the timeline's clock. */
class EventLogTest {

    private static Event event(Event.Kind kind, String detail) {
        return new Event(System.currentTimeMillis(), kind, "app", "", "", detail);
    }

    @Test
    void anEffectEmittedWhileTheCauseIsUnderWayComesAfterIt() throws Exception {
        EventLog log = new EventLog();
        List<String> delivered = new CopyOnWriteArrayList<>();
        log.subscribe(e -> delivered.add(e.kind().name()));

        EventLog.Place kill = log.reserve();
        Thread exit = Thread.ofPlatform().start(() -> log.emit(event(Event.Kind.TARGET_EXITED, "killed by SIGKILL")));
        exit.join(); // the effect is emitted before the cause is known...
        assertThat(delivered).isEmpty();
        assertThat(log.events()).isEmpty();
        kill.emit(event(Event.Kind.FAULT_INJECTED, "SIGKILL to pid 1"));
        // ...and delivered after it, to subscribers and in the timeline alike
        assertThat(delivered).containsExactly("FAULT_INJECTED", "TARGET_EXITED");
        assertThat(log.events()).extracting(e -> e.kind().name()).containsExactly("FAULT_INJECTED", "TARGET_EXITED");
    }

    @Test
    void aCancelledPlaceReleasesWhatWaitedAndAFilledOneCannotBeCancelled() {
        EventLog log = new EventLog();
        EventLog.Place nothing = log.reserve();
        log.emit(event(Event.Kind.TARGET_HEALTHY, ""));
        assertThat(log.events()).isEmpty();
        nothing.cancel();
        assertThat(log.events()).extracting(Event::kind).containsExactly(Event.Kind.TARGET_HEALTHY);

        EventLog.Place filled = log.reserve();
        filled.emit(event(Event.Kind.FAULT_INJECTED, ""));
        filled.cancel();
        assertThat(log.events()).extracting(Event::kind).containsExactly(Event.Kind.TARGET_HEALTHY, Event.Kind.FAULT_INJECTED);
    }

    @Test
    void eventsAreDatedOnTheTimelinesClock() {
        ManualTime time = new ManualTime();
        EventLog log = new EventLog(time);
        assertThat(log.clock()).isSameAs(time);
        log.emitTarget(Event.Kind.TARGET_STARTED, "app", "pid 42");
        time.advance(Duration.ofMillis(1_250));
        log.emitFault(Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", "SIGKILL");
        long origin = time.instant().toEpochMilli() - 1_250;
        assertThat(log.events()).extracting(Event::epochMillis).containsExactly(origin, origin + 1_250);
        assertThat(log.events().get(1)).isEqualTo(new Event(origin + 1_250, Event.Kind.FAULT_INJECTED, "app", "kill", "kill#1", "SIGKILL"));
    }
}
