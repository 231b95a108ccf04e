package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede chaos}: faults alone against a real process. */
@EndToEnd
class ChaosCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void pausesAProcessForTheDurationThenContinuesIt() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
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
        Process shell = new ProcessBuilder("setsid", "bash", "-c", "sleep 60 & sleep 60 & wait").start();
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
            StampedeProcess.Result bad = StampedeProcess.run(dir, LIMIT, "chaos", "pause", "--pid", Long.toString(shell.pid()),
                    "--scope", "forest", "--duration", "2s");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.stderr()).contains("stampede: --scope is process, group or tree, got 'forest'");
        } finally {
            new ProcessBuilder("kill", "-KILL", "--", "-" + shell.pid()).start().waitFor(); // the group this test created
        }
    }

    @Test
    void killsWithTheGivenSignal() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
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
        StampedeProcess.Result unknown = StampedeProcess.run(dir, LIMIT, "chaos", "explode", "--pid", "123");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown fault 'explode'; valid: bandwidth, crash, down, http-delay, http-error, kill, latency, limit-data, net-delay, net-loss, net-rate, pause, reset-peer, restart, slicer, slow-close, stop, timeout");

        StampedeProcess.Result noProcess = StampedeProcess.run(dir, LIMIT, "chaos", "kill", "--pid", "999999");
        assertThat(noProcess.exitCode()).isEqualTo(2);
        assertThat(noProcess.stderr()).contains("no process with PID 999999");

        StampedeProcess.Result badSignal = StampedeProcess.run(dir, LIMIT, "chaos", "kill", "--pid", "999999", "--signal", "SIGFOO");
        assertThat(badSignal.exitCode()).isEqualTo(2);
        assertThat(badSignal.stderr()).contains("--signal: 'SIGFOO' is not a signal; valid: SIGHUP");

        StampedeProcess.Result self = StampedeProcess.run(dir, LIMIT, "chaos", "pause", "--pid", "1", "--duration", "-1s");
        assertThat(self.exitCode()).isEqualTo(2);
        assertThat(self.stderr()).contains("--duration: '-1s' is negative");
        assertThat(unknown.stderr() + noProcess.stderr() + badSignal.stderr() + self.stderr()).doesNotContain("\tat ");
    }
}
