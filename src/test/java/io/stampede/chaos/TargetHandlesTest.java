package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.events.EventLog;
import io.stampede.os.ProcStat;
import io.stampede.target.DemoService;
import io.stampede.target.ExternalProcess;
import io.stampede.target.ManagedProcess;
import io.stampede.target.PortCheck;
import io.stampede.target.ProcessScope;
import io.stampede.target.Signal;
import io.stampede.target.TargetSpec;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of target acts on itself, with its checks, through the capability a fault asks for. */
@EndToEnd
class TargetHandlesTest {

    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    private static boolean stopped(long pid) {
        return ProcStat.read(pid).map(ProcStat::stopped).orElse(false);
    }

    @Test
    void aProcessByPidIsPausedResumedAndKilledAndASecondKillHasNoEffect() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        try {
            ExternalHandle target = new ExternalHandle("sleeper", new ExternalProcess(new TargetSpec.External("sleeper",
                    OptionalLong.of(sleeper.pid()), (Path) null, null, "/health", ProcessScope.PROCESS)), Fronts.NONE);
            target.checkSignallable();

            Injection pause = Faults.get("pause").create(new FaultParams(Map.of(), "test")).inject(target);
            assertThat(pause.detail()).isEqualTo("pid " + sleeper.pid() + ", SIGSTOP, all stopped");
            assertThat(stopped(sleeper.pid())).isTrue();
            pause.rollback();
            Waiting.await("the sleeper running again").until(() -> !stopped(sleeper.pid()));

            assertThat(target.kill(Signal.SIGKILL)).isEqualTo("pid " + sleeper.pid() + ", SIGKILL, all gone");
            assertThatThrownBy(() -> target.kill(Signal.SIGKILL)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("no effect: ");
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aManagedProcessIsStoppedUntilTheRollbackAndRestarted() throws Exception {
        int port = FreePorts.next();
        URI url = URI.create("http://127.0.0.1:" + port);
        TargetSpec.Managed spec = new TargetSpec.Managed("app", DemoService.childCommand(url), true, url, "/health",
                TargetSpec.RestartPolicy.ALWAYS, Duration.ofMillis(300), OptionalInt.empty());
        try (ManagedProcess process = new ManagedProcess(spec, new EventLog())) {
            process.start(START_WITHIN);
            ManagedHandle target = new ManagedHandle("app", process, Fronts.NONE);
            long first = process.pid();

            Injection stop = target.stop(Duration.ofSeconds(5));
            assertThat(stop.detail()).matches("group " + first + " \\(.*\\) stopped, all gone, port " + port + " refusing");
            assertThat(process.pid()).as("kept down whatever the restart policy").isEqualTo(-1);
            stop.rollback();
            Waiting.await("healthy after the stop's rollback").until(() -> process.healthy() && process.pid() > 0);

            long second = process.pid();
            // a process launched a moment ago may not lead its group yet: then its tree is what is stopped
            assertThat(target.restart(Duration.ofSeconds(5))).matches("(group|tree of) " + second + " \\(.*\\) stopped -> pid \\d+");
            Waiting.await("healthy after the restart").until(() -> process.healthy() && process.pid() != second);
        }
    }

    @Test
    void pausingAMasterAloneWhileItsWorkersAnswerHasNoEffectAndIsUndone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.py"), "from flask import Flask\napp = Flask(__name__)\n"
                + "@app.route('/health')\ndef health():\n    return 'OK'\n");
        int port = FreePorts.next();
        URI url = URI.create("http://127.0.0.1:" + port);
        Process gunicorn = new ProcessBuilder("setsid", "gunicorn", "-w", "2", "-b", "127.0.0.1:" + port, "--chdir", dir.toString(),
                "app:app").redirectErrorStream(true).redirectOutput(dir.resolve("gunicorn.log").toFile()).start();
        try {
            Waiting.await("gunicorn's two workers answering").ignoreExceptions()
                    .until(() -> gunicorn.descendants().count() == 2 && PortCheck.answers(url));
            ExternalHandle master = new ExternalHandle("master", new ExternalProcess(new TargetSpec.External("master",
                    OptionalLong.of(gunicorn.pid()), (Path) null, url, "/health", ProcessScope.PROCESS)), Fronts.NONE);
            assertThatThrownBy(master::pause).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("no effect: pid " + gunicorn.pid() + ", SIGSTOP, all stopped, but " + url
                            + " still answers: 2 descendants outside scope process keep running: ")
                    .hasMessageEndingWith("; continued again");
            Waiting.await("the master running again").until(() -> !stopped(gunicorn.pid()));
        } finally {
            new ProcessBuilder("kill", "-KILL", "--", "-" + gunicorn.pid()).start().waitFor(); // the group this test created
        }
    }

    @Test
    void aFaultOnATargetWithoutItsCapabilitySaysWhy() {
        Fault pause = Faults.get("pause").create(new FaultParams(Map.of(), "test"));
        assertThatThrownBy(() -> pause.inject(new AddressHandle("db"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("pause needs a process or container target (command, builtin, pid, pidFile, container, image)");
    }
}
