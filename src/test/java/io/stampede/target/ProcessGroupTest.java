package io.stampede.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.os.ProcStat;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target is the whole service: a managed one runs in its own process group, and the process set
 * faults act on is found, signalled and checked as one (a shell wrapper, a master and its workers).
 */
@EndToEnd
class ProcessGroupTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int KILL_SAMPLES = 5;

    @TempDir
    Path dir;

    private static URI freeUrl() throws Exception {
        return URI.create("http://127.0.0.1:" + FreePorts.next());
    }

    private static boolean gone(long pid) {
        return ProcStat.read(pid).map(ProcStat::gone).orElse(true);
    }

    /** A shell that is not replaced by its server (no exec), with a stray child: three processes. */
    private static TargetSpec.Managed wrapped(URI url, Path dir) {
        String server = "python3 -m http.server " + url.getPort() + " --bind 127.0.0.1 --directory " + dir;
        return new TargetSpec.Managed("app", List.of("bash", "-c", "sleep 300 & " + server + "; echo server ended"), false,
                url, "/", TargetSpec.RestartPolicy.ALWAYS, Duration.ofMillis(100), OptionalInt.empty());
    }

    @Test
    void aManagedTargetIsItsOwnGroupAndAKillOrACloseEndsEveryProcessOfIt() throws Exception {
        EventLog events = new EventLog();
        URI url = freeUrl();
        List<Long> all = new ArrayList<>();
        try (ManagedProcess app = new ManagedProcess(wrapped(url, dir), events)) {
            app.start(WAIT);
            long first = app.pid();
            assertThat(app.pgid()).isEqualTo(first);
            assertThat(ProcStat.read(first).orElseThrow().pgrp()).isEqualTo(first);
            Waiting.await("the shell's two children").atMost(WAIT).until(() -> app.processes().pids().size() == 3);
            ProcessSet before = app.processes();
            assertThat(before.describe()).startsWith("group " + first + " (3 processes: " + first + " ");
            all.addAll(before.pids());

            assertThat(app.signal(Signal.SIGKILL)).isTrue();
            assertThat(before.awaitGone(WAIT)).isEmpty();
            Waiting.await("a new healthy process").atMost(WAIT).until(() -> app.healthy() && app.pid() > 0 && app.pid() != first);
            Waiting.await("the new shell's two children").atMost(WAIT).until(() -> app.processes().pids().size() == 3);
            all.addAll(app.processes().pids());
        }
        assertThat(all).allMatch(ProcessGroupTest::gone);
        assertThat(PortCheck.refuses(url)).isTrue();
    }

    @Test
    void theFirstProcessDyingTakesTheRestOfItsGroupAndTheRestartWaitsForThePort() throws Exception {
        EventLog events = new EventLog();
        URI url = freeUrl();
        try (ManagedProcess app = new ManagedProcess(wrapped(url, dir), events)) {
            app.start(WAIT);
            long shell = app.pid();
            Waiting.await("the shell's two children").atMost(WAIT).until(() -> app.processes().pids().size() == 3);
            ProcessSet before = app.processes();
            assertThat(Signal.SIGKILL.sendTo(shell)).isTrue(); // only the wrapper: the server would keep the port
            assertThat(before.awaitGone(WAIT)).isEmpty();
            Waiting.await("a new healthy process").atMost(WAIT).until(() -> app.healthy() && app.pid() > 0 && app.pid() != shell);
        }
        assertThat(events.events()).anyMatch(e -> e.kind() == Event.Kind.TARGET_EXITED
                && e.detail().startsWith("pid ") && e.detail().contains("killed by SIGKILL; killing the rest of its group: "));
        assertThat(events.events()).noneMatch(e -> e.detail().contains("starting anyway"));
    }

    @Test
    void aStartWaitsForThePortAndSaysWhenItStaysTaken() throws Exception {
        EventLog events = new EventLog();
        URI url = freeUrl();
        try (ManagedProcess app = new ManagedProcess(wrapped(url, dir), events)) {
            app.start(WAIT);
            ProcessSet stopped = app.hold();
            assertThat(stopped.pids()).hasSize(3);
            assertThat(stopped.alive()).isEmpty();
            long resumed;
            try (ServerSocket squatter = new ServerSocket(url.getPort(), 50, InetAddress.getLoopbackAddress())) {
                long start = System.nanoTime();
                app.resume(); // the port never frees: it waits out the bound, says so, and starts anyway
                resumed = System.nanoTime() - start;
            }
            assertThat(Duration.ofNanos(resumed)).isGreaterThanOrEqualTo(ManagedProcess.RELAUNCH_WAIT);
            Waiting.await("healthy again once the port is free").atMost(WAIT).until(() -> app.healthy());
        }
        assertThat(events.events()).anyMatch(e -> e.kind() == Event.Kind.TARGET_UNHEALTHY
                && e.detail().equals("after 10 s, port " + url.getPort() + " still accepts connections; starting anyway"));
    }

    @Test
    void aTreeIsPausedAsOneAndChecked() throws Exception {
        Process shell = new ProcessBuilder("setsid", "bash", "-c", "sleep 300 & sleep 300 & wait").start();
        try {
            Waiting.await("two children").atMost(WAIT).until(() -> ProcessScope.TREE.resolve(shell.pid()).pids().size() == 3);
            ProcessSet tree = ProcessScope.TREE.resolve(shell.pid());
            assertThat(tree.unsafe()).isNull();
            assertThat(ProcessScope.GROUP.resolve(shell.pid()).pids()).containsExactlyInAnyOrderElementsOf(tree.pids());
            assertThat(tree.signal(Signal.SIGSTOP)).isTrue();
            assertThat(tree.awaitStopped(WAIT)).isEmpty();
            assertThat(tree.pids()).allMatch(pid -> ProcStat.read(pid).orElseThrow().stopped());
            assertThat(ProcessScope.PROCESS.resolve(shell.pid()).runningOutside()).isEmpty(); // all stopped
            tree.signal(Signal.SIGCONT);
            Waiting.await("all running again").atMost(WAIT).until(() -> tree.pids().stream().noneMatch(pid -> ProcStat.read(pid).orElseThrow().stopped()));
            assertThat(ProcessScope.PROCESS.resolve(shell.pid()).runningOutside()).hasSize(2);
        } finally {
            ProcessScope.GROUP.resolve(shell.pid()).signal(Signal.SIGKILL);
        }
    }

    @Test
    void aSetThatHoldsStampedeItsParentOrInitIsNeverSignalled() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "300").start(); // in this JVM's own group
        try {
            assertThat(ProcessScope.GROUP.resolve(sleeper.pid()).unsafe())
                    .isEqualTo("group " + ProcStat.ownGroup() + " is Stampede's own process group");
            long self = ProcessHandle.current().pid();
            assertThat(ProcessScope.TREE.resolve(self).unsafe()).isEqualTo("tree of " + self + " includes Stampede itself (PID " + self + ")");
            long parent = ProcessHandle.current().parent().orElseThrow().pid();
            assertThat(ProcessScope.TREE.resolve(parent).unsafe()).contains("includes Stampede");
            assertThat(ProcessScope.PROCESS.resolve(1).unsafe()).isEqualTo("pid 1 includes PID 1 (init)");
            assertThat(ProcessScope.PROCESS.resolve(sleeper.pid()).unsafe()).isNull();
            Assertions.assertThatThrownBy(() -> Signal.SIGSTOP.sendToGroup(ProcStat.ownGroup()))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /** Prints how long a SIGKILL to gunicorn's group (master, 2 workers) takes until its port refuses. */
    @Test
    void gunicornGroupKillUntilThePortRefuses() throws Exception {
        assumeThat(onPath("gunicorn")).as("gunicorn installed (run-tests installs it)").isTrue();
        Files.writeString(dir.resolve("app.py"), "from flask import Flask\napp = Flask(__name__)\n"
                + "@app.route('/health')\ndef health():\n    return 'OK'\n");
        URI url = freeUrl();
        TargetSpec.Managed spec = new TargetSpec.Managed("gunicorn", List.of("gunicorn", "-w", "2", "-b",
                "127.0.0.1:" + url.getPort(), "--chdir", dir.toString(), "app:app"), false, url, "/health",
                TargetSpec.RestartPolicy.ALWAYS, Duration.ofMillis(100), OptionalInt.empty());
        List<Long> millis = new ArrayList<>();
        try (ManagedProcess app = new ManagedProcess(spec, new EventLog())) {
            app.start(WAIT);
            for (int i = 0; i < KILL_SAMPLES; i++) {
                long pid = app.pid();
                Waiting.await("master and 2 workers").atMost(WAIT).until(() -> app.healthy() && app.processes().pids().size() == 3);
                ProcessSet set = app.processes();
                long start = System.nanoTime();
                set.signal(Signal.SIGKILL);
                assertThat(PortCheck.awaitRefusing(url, WAIT)).isTrue();
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(set.awaitGone(WAIT)).isEmpty();
                Waiting.await("a new healthy gunicorn").atMost(WAIT).until(() -> app.healthy() && app.pid() > 0 && app.pid() != pid);
            }
        }
        System.out.println("gunicorn (master + 2 workers) group SIGKILL -> port refusing, ms: " + millis);
        assertThat(PortCheck.refuses(url)).isTrue();
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program))) {
                return true;
            }
        }
        return false;
    }
}
