package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The supervisor with the real demo service as a child process: health, kill, restart policy, stop. */
@EndToEnd
class ManagedProcessTest {

    /** Each start and restart of the demo service is a JVM's start: 10-30 s on a loaded machine. */
    private static final Duration WAIT = Waiting.LIMIT;

    private static URI freeUrl() throws Exception {
        return URI.create("http://127.0.0.1:" + FreePorts.next());
    }

    /** The restart delay of {@link #demo}'s spec. */
    private static final Duration RESTART_DELAY = Duration.ofMillis(300);
    /** Down throughout this, well past {@link #RESTART_DELAY}: no restart came. */
    private static final Duration STAYS_DOWN_FOR = RESTART_DELAY.multipliedBy(3);

    private static TargetSpec.Managed demo(URI url, TargetSpec.RestartPolicy policy, OptionalInt maxRestarts) {
        return new TargetSpec.Managed("app", DemoService.childCommand(url), true, url, "/health", policy,
                RESTART_DELAY, maxRestarts);
    }

    @Test
    void aKilledTargetIsRestartedAndEveryStepIsAnEvent() throws Exception {
        EventLog events = new EventLog();
        try (ManagedProcess app = new ManagedProcess(demo(freeUrl(), TargetSpec.RestartPolicy.ALWAYS, OptionalInt.empty()), events)) {
            app.start(WAIT);
            long first = app.pid();
            assertThat(app.healthy()).isTrue();
            assertThat(app.signal(Signal.SIGKILL)).isTrue();
            Waiting.await("a new healthy process").atMost(WAIT).until(() -> app.healthy() && app.pid() > 0 && app.pid() != first);
        }
        List<Event.Kind> kinds = events.events().stream().map(Event::kind).toList();
        assertThat(kinds).containsSubsequence(Event.Kind.TARGET_STARTED, Event.Kind.TARGET_HEALTHY,
                Event.Kind.TARGET_EXITED, Event.Kind.TARGET_STARTED, Event.Kind.TARGET_HEALTHY);
        assertThat(events.events()).anyMatch(e -> e.kind() == Event.Kind.TARGET_EXITED && e.detail().endsWith("killed by SIGKILL"));
    }

    @Test
    void policyNeverLeavesItDownAndCloseLeavesNoChild() throws Exception {
        EventLog events = new EventLog();
        long pid;
        try (ManagedProcess app = new ManagedProcess(demo(freeUrl(), TargetSpec.RestartPolicy.NEVER, OptionalInt.empty()), events)) {
            app.start(WAIT);
            pid = app.pid();
            app.signal(Signal.SIGTERM);
            Waiting.await("the process to exit").atMost(WAIT).until(() -> app.pid() < 0);
            Waiting.await("nothing comes back").during(STAYS_DOWN_FOR).until(() -> app.pid() == -1);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void holdKeepsItDownUntilResumedEvenWithPolicyAlways() throws Exception {
        try (ManagedProcess app = new ManagedProcess(demo(freeUrl(), TargetSpec.RestartPolicy.ALWAYS, OptionalInt.of(5)), new EventLog())) {
            app.start(WAIT);
            app.hold();
            Waiting.await("held down, not restarted").during(STAYS_DOWN_FOR).until(() -> app.pid() == -1);
            app.resume();
            Waiting.await("healthy again").atMost(WAIT).until(() -> app.healthy());
        }
    }

    @Test
    void aCommandThatCannotStartOrNeverGetsHealthyCannotRun() throws Exception {
        URI url = freeUrl();
        TargetSpec.Managed missing = new TargetSpec.Managed("app", List.of("/no/such/program"), false, url, "/health",
                TargetSpec.RestartPolicy.NEVER, Duration.ofSeconds(1), OptionalInt.empty());
        assertThatThrownBy(() -> new ManagedProcess(missing, new EventLog()).start(WAIT))
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessageContaining("target app: cannot start /no/such/program");
        TargetSpec.Managed failing = new TargetSpec.Managed("app", List.of("sh", "-c", "echo port busy >&2; exit 3"), false,
                url, "/health", TargetSpec.RestartPolicy.NEVER, Duration.ofSeconds(1), OptionalInt.empty());
        assertThatThrownBy(() -> new ManagedProcess(failing, new EventLog()).start(WAIT))
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessageContaining("target app exited with code 3")
                .hasMessageContaining("port busy");
    }
}
