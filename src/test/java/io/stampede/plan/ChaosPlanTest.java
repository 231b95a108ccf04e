package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.faults.Kill;
import io.stampede.target.ProcessScope;
import io.stampede.target.Signal;
import io.stampede.target.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's targets: and chaos: sections, and every mistake a user can make in them. */
class ChaosPlanTest {

    @TempDir
    Path dir;

    private static final String HEAD = """
            targets:
              app: { builtin: demo, url: "http://127.0.0.1:5001", restart: { policy: always, delay: 1s } }
              worker-1: { pid: 1234 }
              worker-2: { pidFile: /run/worker.pid }
              edge: { address: "127.0.0.1:6000" }
            tasks: [ { get: / } ]
            chaos:
            """;

    private Plan plan(String chaos) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + chaos);
        return PlanFile.read(file).toPlan();
    }

    private String error(String chaos) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + chaos);
        try {
            PlanFile.read(file).toPlan();
        } catch (StampedeException.BadInput e) {
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected an error for " + chaos);
    }

    @Test
    void readsTargetsAndTheSchedule() throws IOException {
        Plan plan = plan("""
                  - { fault: kill, target: app, every: 30s, startAfter: 20s }
                  - { fault: pause, target: "re2:^worker", all: true, at: 1m, duration: 10s }
                  - { fault: kill, target: worker-1, signal: TERM, at: 5s }
                """);
        assertThat(plan.host()).isEqualTo("http://127.0.0.1:5001"); // the first target's url
        assertThat(plan.targets()).extracting(TargetSpec::name).containsExactly("app", "worker-1", "worker-2", "edge");
        assertThat(plan.targets().get(0)).isInstanceOfSatisfying(TargetSpec.Managed.class, m -> {
            assertThat(m.builtinDemo()).isTrue();
            assertThat(m.restartDelay()).isEqualTo(Duration.ofSeconds(1));
        });
        ChaosSpec kill = plan.chaos().get(0);
        assertThat(kill.firings(Duration.ofSeconds(90), 100)).containsExactly(
                Duration.ofSeconds(20), Duration.ofSeconds(50), Duration.ofSeconds(80));
        assertThat(plan.chaos().get(1).all()).isTrue();
        assertThat(plan.chaos().get(2).fault()).isEqualTo(new Kill(Signal.SIGTERM));
    }

    @Test
    void unknownFaultKindListsTheValidOnes() throws IOException {
        assertThat(error("  - { fault: explode, target: app, at: 1s }\n"))
                .isEqualTo("plan.yaml:8:14: chaos[0].fault: unknown fault 'explode'; valid: bandwidth, crash, down, http-delay, http-error, kill, latency, limit-data, net-delay, net-loss, net-rate, pause, reset-peer, restart, slicer, slow-close, stop, timeout");
    }

    @Test
    void targetsMustBeDeclaredAndRegexesMustMatch() throws IOException {
        assertThat(error("  - { fault: kill, target: ap, at: 1s }\n"))
                .isEqualTo("plan.yaml:8:28: chaos[0].target: target 'ap' is not declared; declared: app, worker-1, worker-2, edge");
        assertThat(error("  - { fault: kill, target: \"re2:^db\", at: 1s }\n"))
                .contains("chaos[0].target: re2:^db matches no target; declared: app");
    }

    @Test
    void badSignalNegativeDurationsAndOverlaps() throws IOException {
        assertThat(error("  - { fault: kill, target: app, signal: SIGNOPE, at: 1s }\n"))
                .contains("chaos[0].signal: 'SIGNOPE' is not a signal; valid: SIGHUP, SIGINT");
        assertThat(error("  - { fault: pause, target: app, at: 1s, duration: -5s }\n"))
                .contains("chaos[0].duration: '-5s' is negative");
        assertThat(error("  - { fault: pause, target: app, every: 10s, duration: 20s }\n"))
                .contains("chaos[0].duration: duration 20s is longer than every 10s: the fault would overlap itself");
        assertThat(error("  - { fault: pause, target: app, at: 1s }\n"))
                .contains("chaos[0]: pause lasts: give its 'duration', e.g. 10s");
        assertThat(error("  - { fault: kill, target: app, at: 1s, duration: 5s }\n"))
                .contains("chaos[0].duration: kill is instant: 'duration' does not apply");
        assertThat(error("  - { fault: kill, target: app }\n"))
                .contains("chaos[0]: give either 'at' (once) or 'every' (repeatedly)");
        assertThat(error("  - { fault: kill, target: app, at: 1s, sigal: TERM }\n"))
                .contains("unknown key 'sigal'; valid keys: fault, target, all, limit, at, every, startAfter, duration, count, signal");
    }

    @Test
    void faultsOnlyActOnTargetsThatSupportThem() throws IOException {
        assertThat(error("  - { fault: stop, target: worker-1, at: 1s, duration: 5s }\n"))
                .contains("chaos[0].target: stop needs a target Stampede starts (command or builtin) or a container; use pause for a process by PID (target worker-1)");
        assertThat(error("  - { fault: kill, target: edge, at: 1s }\n"))
                .contains("kill needs a process or container target");
    }

    @Test
    void targetMistakes() throws IOException {
        Path file = dir.resolve("targets.yaml");
        Files.writeString(file, "targets:\n  app: { builtin: demo, command: [x] }\ntasks: [ { get: / } ]\n");
        Assertions.assertThatThrownBy(() -> PlanFile.read(file))
                .hasMessageContaining("targets.app: a target needs exactly one of builtin, command, pid, pidFile, address, container, containers, image; got builtin and command");
        Files.writeString(file, "targets:\n  app: { builtin: demo, restart: { policy: sometimes } }\ntasks: [ { get: / } ]\n");
        Assertions.assertThatThrownBy(() -> PlanFile.read(file))
                .hasMessageContaining("restart policy is always, on-failure or never, got 'sometimes'");
    }

    @Test
    void aProcessTargetsScopeIsProcessGroupOrTreeAndTreeByDefault() throws IOException {
        Path file = dir.resolve("scope.yaml");
        Files.writeString(file, """
                targets:
                  master: { pid: 1234, scope: group }
                  worker: { pidFile: /run/worker.pid }
                host: http://127.0.0.1:5001
                tasks: [ { get: / } ]
                """);
        assertThat(PlanFile.read(file).toPlan().targets()).extracting(t -> ((TargetSpec.External) t).scope())
                .containsExactly(ProcessScope.GROUP, ProcessScope.TREE);
        Files.writeString(file, "targets:\n  master: { pid: 1234, scope: forest }\ntasks: [ { get: / } ]\n");
        Assertions.assertThatThrownBy(() -> PlanFile.read(file))
                .hasMessage(file + ":2:31: targets.master.scope: scope is process, group or tree, got 'forest'");
        Files.writeString(file, "targets:\n  app: { builtin: demo, scope: tree }\ntasks: [ { get: / } ]\n");
        Assertions.assertThatThrownBy(() -> PlanFile.read(file))
                .hasMessage(file + ":2:32: targets.app.scope: 'scope' applies to a pid or pidFile target;"
                        + " a target Stampede starts always acts as its whole process group");
    }
}
