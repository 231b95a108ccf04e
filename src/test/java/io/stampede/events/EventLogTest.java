package io.stampede.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Causes before their effects: a reserved place holds back what other threads emit meanwhile. */
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
}
