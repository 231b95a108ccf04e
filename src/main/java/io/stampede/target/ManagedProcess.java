package io.stampede.target;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.plan.TargetSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A supervised child process, like a container with a restart policy: started, probed for health
 * on a short fixed interval, restarted by policy after it dies, and stopped for good on
 * {@link #close()}. Every change is an event on the run's timeline.
 */
public final class ManagedProcess implements ProcessTarget, AutoCloseable {

    /** How often health is probed (see {@link HealthMonitor}). */
    public static final Duration HEALTH_PROBE_INTERVAL = HealthMonitor.HEALTH_PROBE_INTERVAL;
    /** How long a stopped process gets after SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int OUTPUT_LINES_KEPT = 20;

    private final TargetSpec.Managed spec;
    private final EventLog events;
    private final HealthMonitor health;
    private final Deque<String> lastOutput = new ArrayDeque<>();
    private final Object lock = new Object();
    private volatile Thread outputReader;
    private volatile Process process;
    private volatile boolean held;      // stopped on purpose (a fault or close): no restart
    private volatile boolean closed;
    private int restarts;
    private volatile java.util.concurrent.CompletableFuture<Void> exitHandled =
            java.util.concurrent.CompletableFuture.completedFuture(null);

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
    public void hold() {
        hold(STOP_GRACE);
    }

    /** Stops the process on purpose, SIGKILL after {@code grace}, until {@link #resume()}. */
    public void hold(Duration grace) {
        held = true;
        terminate(grace);
    }

    /** Starts the process again after {@link #hold()}. */
    public void resume() {
        synchronized (lock) {
            held = false;
            if (!closed && pid() < 0) {
                launch();
            }
        }
    }

    /** Stops and starts the process at once, whatever the restart policy. */
    public void restart() {
        restart(STOP_GRACE);
    }

    /** Stops (SIGKILL after {@code grace}) and starts the process at once, whatever the restart policy. */
    public void restart(Duration grace) {
        hold(grace);
        resume();
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
            try {
                started = new ProcessBuilder(spec.command()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new StampedeException.CannotRun("target " + spec.name() + ": cannot start "
                        + String.join(" ", spec.command()) + ": " + e.getMessage());
            }
            process = started;
            events.emit(Event.target(Event.Kind.TARGET_STARTED, spec.name(), "pid " + started.pid()));
            outputReader = Thread.ofVirtual().name("output-" + spec.name()).start(() -> keepOutput(started));
            exitHandled = started.onExit().thenRun(() -> exited(started));
        }
    }

    private void exited(Process gone) {
        int code = gone.exitValue();
        Signal signal = Signal.ofExitValue(code);
        events.emit(Event.target(Event.Kind.TARGET_EXITED, spec.name(),
                "pid " + gone.pid() + (signal != null ? " killed by " + signal : " exit code " + code)));
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
                synchronized (lock) {
                    if (!closed && !held && pid() < 0) {
                        launch();
                    }
                }
            });
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; a paused process is continued first so it can exit. */
    private void terminate(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        Signal.SIGCONT.sendTo(p.pid());
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
