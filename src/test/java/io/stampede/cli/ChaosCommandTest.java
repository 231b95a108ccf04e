package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede chaos}: faults alone against a real process. */
@EndToEnd
class ChaosCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    /**
     * How long the processes the faults act on sleep, in seconds: past every wait here, a JVM's start on a loaded
     * machine included (a 60 s sleeper had ended before a command that took 61 s came to check it). Each
     * test kills its own at the end.
     */
    private static final String SLEEP_SECONDS = "600";

    @TempDir
    Path dir;

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void pausesAProcessForTheDurationThenContinuesIt() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", SLEEP_SECONDS).start();
        try (StampedeProcess chaos = StampedeProcess.start(dir, "chaos", "pause", "--pid", Long.toString(sleeper.pid()),
                "--duration", "2s")) {
            chaos.awaitWhileAlive("the injection", () -> chaos.stdout().contains("injected"));
            assertThat(state(sleeper.pid())).isEqualTo('T');
            assertThat(chaos.waitFor(LIMIT)).isZero();
            assertThat(chaos.stdout()).contains("pause#1 rolled back on pid-" + sleeper.pid());
            assertThat(state(sleeper.pid())).isNotEqualTo('T');
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void pausesAWholeProcessGroupWithScope() throws Exception {
        Process shell = new ProcessBuilder("setsid", "bash", "-c", "sleep " + SLEEP_SECONDS + " & sleep " + SLEEP_SECONDS + " & wait").start();
        try {
            Waiting.await("the shell's two children").until(() -> shell.descendants().count() >= 2);
            List<Long> all = new ArrayList<>(List.of(shell.pid()));
            shell.descendants().map(ProcessHandle::pid).forEach(all::add);
            try (StampedeProcess chaos = StampedeProcess.start(dir, "chaos", "pause", "--pid", Long.toString(shell.pid()),
                    "--scope", "group", "--duration", "2s")) {
                chaos.awaitWhileAlive("the injection", () -> chaos.stdout().contains("injected"));
                assertThat(chaos.stdout()).contains("group " + shell.pid() + " (3 processes: ", "SIGSTOP, all stopped");
                for (long pid : all) {
                    assertThat(state(pid)).isEqualTo('T');
                }
                assertThat(chaos.waitFor(LIMIT)).isZero();
            }
            for (long pid : all) {
                assertThat(state(pid)).isNotEqualTo('T');
            }
            StampedeProcess.Result bad = StampedeProcess.inProcess("chaos", "pause", "--pid", Long.toString(shell.pid()),
                    "--scope", "forest", "--duration", "2s");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.stderr()).contains("stampede: --scope is process, group or tree, got 'forest'");
        } finally {
            new ProcessBuilder("kill", "-KILL", "--", "-" + shell.pid()).start().waitFor(); // the group this test created
        }
    }

    @Test
    void killsWithTheGivenSignal() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", SLEEP_SECONDS).start();
        try {
            StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "chaos", "kill", "--pid",
                    Long.toString(sleeper.pid()), "--signal", "SIGTERM");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.exitValue()).isEqualTo(128 + 15);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void badInputIsExplained() throws Exception {
        StampedeProcess.Result unknown = StampedeProcess.inProcess("chaos", "explode", "--pid", "123");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown fault 'explode'; valid: bandwidth, crash, down, http-delay, http-error, kill, latency, limit-data, net-delay, net-loss, net-rate, pause, reset-peer, restart, slicer, slow-close, stop, timeout");

        StampedeProcess.Result noProcess = StampedeProcess.inProcess("chaos", "kill", "--pid", "999999");
        assertThat(noProcess.exitCode()).isEqualTo(2);
        assertThat(noProcess.stderr()).contains("no process with PID 999999");

        StampedeProcess.Result badSignal = StampedeProcess.inProcess("chaos", "kill", "--pid", "999999", "--signal", "SIGFOO");
        assertThat(badSignal.exitCode()).isEqualTo(2);
        assertThat(badSignal.stderr()).contains("--signal: 'SIGFOO' is not a signal; valid: SIGHUP");

        StampedeProcess.Result self = StampedeProcess.inProcess("chaos", "pause", "--pid", "1", "--duration", "-1s");
        assertThat(self.exitCode()).isEqualTo(2);
        assertThat(self.stderr()).contains("--duration: '-1s' is negative");
        assertThat(unknown.stderr() + noProcess.stderr() + badSignal.stderr() + self.stderr()).doesNotContain("\tat ");
    }

    /**
     * {@code chaos --plan} honours the plan's guard: a probe that fails while the service is paused halts
     * the chaos (the pause rolled back long before its minute) and, with {@code then: stop}, ends the
     * command; what reads the users' requests is left out, each with a line naming where it is written.
     */
    @Test
    void aPlansHaltConditionsGuardTheFaultAndWhatNeedsUsersIsSaidAtTheStart() throws Exception {
        int port = FreePorts.next();
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d", health: /health }
                tasks: [ { get: / } ]
                slos:
                  - { name: availability, objective: 99%% }
                steady: { hold: 2s, within: 10s }
                halt:
                  when:
                    - { slo: availability, budgetLeftBelow: 50%% }
                    - { probe: /health, failuresInARow: 2, timeout: 500ms }
                  then: stop
                """.formatted(port));
        String[] args = {"chaos", "pause", "--plan", plan.toString(), "--target", "app", "--at", "1s", "--duration", "60s"};
        String budget = "stampede: " + plan + ":9:7: halt.when[0]: budgetLeft of availability < 50% reads the users' requests"
                + " (SLO availability counts them): without users it cannot fire, so it does not guard this chaos";
        String steady = "stampede: " + plan + ":6:";
        String probe = "probe http://127.0.0.1:" + port + "/health failing 2 in a row";

        StampedeProcess.Result dry = StampedeProcess.run(dir, LIMIT, withDryRun(args));
        assertThat(dry.exitCode()).as(dry.stderr()).isZero();
        assertThat(dry.stdout()).contains("Chaos guard", "halt when probe /health failing 2 in a row")
                .doesNotContain("steady state first", "budgetLeft");
        assertThat(dry.stderr()).contains(budget, steady, "the faults start at once, unchecked");

        StampedeProcess.Result run = StampedeProcess.run(dir, LIMIT, args);
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero(); // a halt alone fails nothing
        assertThat(run.stderr()).contains(budget, "the faults start at once, unchecked");
        // Ended by the halt, not by the 60 s pause: the rollback names the halt as its cause, and the command
        // ended within LIMIT (60 s), before the pause's own end at 61 s. The command's wall time is no
        // measure of it: a JVM's start takes 10-30 s on a loaded machine.
        assertThat(run.stdout()).containsPattern("chaos halted at 0:\\d\\d by " + probe.replace(".", "\\.") + " \\(\\d failures in a row\\)")
                .contains("pause#1 rolled back on app: chaos halted by " + probe);
    }

    private static String[] withDryRun(String[] args) {
        String[] more = Arrays.copyOf(args, args.length + 1);
        more[args.length] = "--dry-run";
        return more;
    }
}
