package io.stampede.target;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.guardian.Journal;
import io.stampede.guardian.Undo;
import io.stampede.os.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A supervised child process, like a container with a restart policy: started, probed for health
 * on a short fixed interval, restarted by policy after it dies, and stopped for good on
 * {@link #close()}. Every change is an event on the run's timeline.
 *
 * <p>Like a container, the target is the whole service, not one PID: it starts in its own session
 * and process group (through util-linux {@code setsid}), so a shell wrapper, a server's master and
 * its workers are one unit. Faults, stop and the end of the run act on the group and on descendants
 * that left it; when the first process dies the rest of its group is killed, as a container's are;
 * and a new process starts only once the old ones are gone and the url's port is free.
 */
public final class ManagedProcess implements ProcessTarget, AutoCloseable {

    /** How often health is probed (see {@link HealthMonitor}). */
    public static final Duration HEALTH_PROBE_INTERVAL = HealthMonitor.HEALTH_PROBE_INTERVAL;
    /** How long a stopped process gets after SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long a start waits for the previous processes to be gone and the port to be free. */
    public static final Duration RELAUNCH_WAIT = Duration.ofSeconds(10);
    private static final int OUTPUT_LINES_KEPT = 20;
    /** util-linux's setsid: Java cannot start a child in a new session by itself. Null when absent. */
    private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);

    private final TargetSpec.Managed spec;
    private final EventLog events;
    private final HealthMonitor health;
    private final Deque<String> lastOutput = new ArrayDeque<>();
    private final Object lock = new Object();
    private volatile Thread outputReader;
    private volatile Process process;
    private volatile ProcessSet previous = ProcessSet.empty(ProcessScope.GROUP, -1); // what the next start waits out
    private volatile boolean held;      // stopped on purpose (a fault or close): no restart
    private volatile boolean closed;
    private int restarts;
    private volatile CompletableFuture<Void> exitHandled =
            CompletableFuture.completedFuture(null);

    public ManagedProcess(TargetSpec.Managed spec, EventLog events) {
        this.spec = spec;
        this.events = events;
        this.health = new HealthMonitor(spec.name(), spec.url().resolve(spec.healthPath()), events);
    }

    @Override
    public String name() {
        return spec.name();
    }

    public URI url() {
        return spec.url();
    }

    @Override
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /**
     * The target's process group: the first process's PID, since {@code setsid} made it a group
     * leader. It outlives that process while other members remain. -1 when none runs (or without setsid).
     */
    @Override
    public long pgid() {
        Process p = process;
        if (p == null || SETSID == null) {
            return -1;
        }
        return p.isAlive() || !ProcStat.groupMembers(p.pid()).isEmpty() ? p.pid() : -1;
    }

    /** The group's members and their descendants outside it, now; without setsid the process and its descendants. */
    @Override
    public ProcessSet processes() {
        Process p = process;
        if (p == null) {
            return ProcessSet.empty(ProcessScope.GROUP, -1);
        }
        if (SETSID == null) {
            return ProcessScope.TREE.resolve(p.pid());
        }
        ProcessSet group = ProcessScope.group(p.pid());
        if (group.isEmpty() && p.isAlive()) {
            // just launched: setsid has not made it a group leader yet, and a fault that acted on the
            // empty group would say "no process running" and leave it be; the process and its tree then
            return ProcessScope.TREE.resolve(p.pid());
        }
        return group;
    }

    /**
     * SIGSTOP to the group first, then the set: nothing leaves a stopped group, so it is the same
     * set, and the pause starts without waiting for a pass over /proc (a timed stall stays its length).
     */
    @Override
    public ProcessSet freeze() {
        long group = pgid();
        if (group <= 0) {
            return ProcessTarget.super.freeze();
        }
        if (!Signal.SIGSTOP.sendToGroup(group)) {
            return ProcessSet.empty(ProcessScope.GROUP, group);
        }
        ProcessSet set = ProcessScope.group(group);
        set.signal(Signal.SIGSTOP); // descendants that left the group
        return set;
    }

    public boolean healthy() {
        return health.healthy();
    }

    /** See {@link HealthMonitor#sampleFast}. */
    public void sampleHealthFast(boolean inEffect) {
        health.sampleFast(inEffect);
    }

    /** Starts the process and the health monitor, and waits until the first healthy probe. */
    public void start(Duration healthyWithin) {
        launch();
        health.start();
        long deadline = System.nanoTime() + healthyWithin.toNanos();
        while (!health.healthy()) {
            Process p = process;
            boolean deadForGood = p != null && !p.isAlive() && spec.restartPolicy() == TargetSpec.RestartPolicy.NEVER;
            if (deadForGood || System.nanoTime() > deadline) {
                if (deadForGood) {
                    awaitOutput(); // what it printed before exiting belongs in the message
                }
                String why = deadForGood ? "exited with code " + p.exitValue()
                        : "was not healthy at " + health.url() + " within " + healthyWithin.toSeconds() + " s";
                close();
                throw new StampedeException.CannotRun("target " + spec.name() + " " + why + lastOutputText());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Stops the process on purpose (no restart) until {@link #resume()}. */
    public ProcessSet hold() {
        return hold(STOP_GRACE);
    }

    /**
     * Stops the target's processes on purpose, SIGKILL after {@code grace}, until {@link #resume()};
     * returns the processes it stopped (empty when none ran), so a caller can check they are gone.
     */
    public ProcessSet hold(Duration grace) {
        held = true;
        return terminate(grace);
    }

    /** Starts the process again after {@link #hold()}, once the old processes are gone and the port is free. */
    public void resume() {
        held = false;
        awaitOldGone();
        synchronized (lock) {
            if (!closed && !held && pid() < 0) {
                launch();
            }
        }
    }

    /** Stops and starts the process at once, whatever the restart policy. */
    public ProcessSet restart() {
        return restart(STOP_GRACE);
    }

    /**
     * Stops (SIGKILL after {@code grace}) and starts the process again as soon as the old processes
     * are gone and the port is free, whatever the restart policy; returns the processes it stopped.
     */
    public ProcessSet restart(Duration grace) {
        ProcessSet stopped = hold(grace);
        resume();
        return stopped;
    }

    @Override
    public void close() {
        closed = true;
        held = true;
        health.close();
        terminate(STOP_GRACE);
        try {
            // the exit event is on the timeline before close returns
            exitHandled.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            Process started;
            List<String> command = new ArrayList<>(spec.command());
            if (SETSID != null && onPath(command.get(0))) {
                // Java's child is never a group leader, so setsid execs in place: the PID stays, and is the group's id.
                // (A program that is not there is left to Java, whose message names it.)
                command.add(0, SETSID);
            }
            try {
                started = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new StampedeException.CannotRun("target " + spec.name() + ": cannot start "
                        + String.join(" ", spec.command()) + ": " + e.getMessage());
            }
            process = started;
            Undo child = Undo.StopChild.of(started.pid());
            Journal.record(child); // stopped by the guardian should Stampede die
            events.emitTarget(Event.Kind.TARGET_STARTED, spec.name(), "pid " + started.pid());
            outputReader = Thread.ofVirtual().name("output-" + spec.name()).start(() -> keepOutput(started));
            exitHandled = started.onExit().thenRun(() -> Journal.done(child)).thenRun(() -> exited(started));
        }
    }

    private void exited(Process gone) {
        int code = gone.exitValue();
        Signal signal = Signal.ofExitValue(code);
        // as in a container whose first process dies: the rest of the group goes too
        String rest = "";
        ProcessSet left = ProcessSet.empty(ProcessScope.GROUP, gone.pid());
        if (SETSID != null && !closed && !held) { // a stop on purpose gives the rest its grace period
            left = ProcessScope.group(gone.pid());
            previous = left;
            if (!left.isEmpty()) {
                rest = "; killing the rest of its group: " + ProcessSet.join(left.pids());
            }
        }
        events.emitTarget(Event.Kind.TARGET_EXITED, spec.name(),
                "pid " + gone.pid() + (signal != null ? " killed by " + signal : " exit code " + code) + rest);
        if (!left.isEmpty()) {
            left.signal(Signal.SIGKILL); // reaches stopped processes too
        }
        if (closed || held || gone != process) {
            return;
        }
        boolean wanted = switch (spec.restartPolicy()) {
            case ALWAYS -> true;
            case ON_FAILURE -> code != 0;
            case NEVER -> false;
        };
        boolean allowed = spec.maxRestarts().isEmpty() || restarts < spec.maxRestarts().getAsInt();
        if (wanted && allowed) {
            restarts++;
            Thread.ofVirtual().name("restart-" + spec.name()).start(() -> {
                sleep(spec.restartDelay());
                awaitOldGone();
                synchronized (lock) {
                    if (!closed && !held && pid() < 0) {
                        launch();
                    }
                }
            });
        }
    }

    /**
     * SIGTERM to every process of the target, then SIGKILL after the grace period; paused processes
     * are continued first so they can exit. The set is taken before any signal, so workers that the
     * master's death hands to init are still reached. Returns that set.
     */
    private ProcessSet terminate(Duration grace) {
        Process p = process;
        ProcessSet set = processes();
        if (p == null || set.isEmpty()) {
            return set;
        }
        previous = set;
        set.signal(Signal.SIGCONT);
        set.signal(Signal.SIGTERM);
        if (!set.awaitGone(grace).isEmpty()) {
            set.signal(Signal.SIGKILL);
            set.awaitGone(STOP_GRACE);
        }
        try {
            p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS); // reaped: its exit is handled
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return set;
    }

    /**
     * Before a start: waits until the previous processes are gone and the url's port refuses
     * connections, so the new process can bind it; past {@link #RELAUNCH_WAIT} it says so and starts anyway.
     */
    private void awaitOldGone() {
        ProcessSet old = previous;
        long deadline = System.nanoTime() + RELAUNCH_WAIT.toNanos();
        List<Long> alive = old.awaitGone(RELAUNCH_WAIT);
        boolean portFree = PortCheck.awaitRefusing(spec.url(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!alive.isEmpty() || !portFree) {
            events.emitTarget(Event.Kind.TARGET_UNHEALTHY, spec.name(), "after " + RELAUNCH_WAIT.toSeconds() + " s, "
                    + (alive.isEmpty() ? "" : "old processes still alive: " + ProcessSet.join(alive) + "; ")
                    + (portFree ? "" : PortCheck.name(spec.url()) + " still accepts connections; ") + "starting anyway");
        }
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, program))) {
                return true;
            }
        }
        return false;
    }

    private void keepOutput(Process p) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lastOutput) {
                    lastOutput.addLast(line);
                    if (lastOutput.size() > OUTPUT_LINES_KEPT) {
                        lastOutput.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private void awaitOutput() {
        Thread reader = outputReader;
        try {
            if (reader != null) {
                reader.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String lastOutputText() {
        List<String> lines;
        synchronized (lastOutput) {
            lines = List.copyOf(lastOutput);
        }
        return lines.isEmpty() ? " (it printed nothing)" : "; its last output:\n  " + String.join("\n  ", lines);
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
