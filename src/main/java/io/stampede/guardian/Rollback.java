package io.stampede.guardian;

import io.stampede.docker.ContainerUndo;
import io.stampede.os.Kill;
import io.stampede.os.ProcStat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Undoes what a journal left open, newest first, touching only what each entry names: a process
 * only while it is still the one recorded (same start time), a container only by its ID or name.
 * Children get SIGTERM together and SIGKILL together after {@link #CHILD_GRACE}, so many children
 * cost one grace, not one each.
 */
final class Rollback {

    /** How long a child has after SIGTERM before SIGKILL: short, as the undo should be over well within a second. */
    static final Duration CHILD_GRACE = Duration.ofMillis(1000);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final boolean sameBoot;
    private final List<String> said = new ArrayList<>();
    private final List<Terminated> terminated = new ArrayList<>();

    /** A child sent SIGTERM, and whether its whole group was. */
    private record Terminated(Proc process, boolean group) {
        /**
         * The child, or for a group any live member (a group's ID is not reused while it has one). Not
         * {@code kill -0 -PGID}: that counts zombies, and a child whose parent Stampede died stays one
         * until init reaps it, which made every undo wait out the whole grace and SIGKILL a corpse.
         */
        boolean remains() {
            return process.alive() || (group && !ProcStat.groupMembers(process.pid()).isEmpty());
        }
    }
    private ContainerUndo docker;
    private KillShell signals;
    private boolean signalsStarted;
    private boolean dockerPrepared;
    private boolean processesPrepared;
    private boolean failed;

    /** @param sameBoot false for a journal from before a reboot: its processes are long gone, whatever their PIDs now */
    Rollback(boolean sameBoot) {
        this.sameBoot = sameBoot;
    }

    /**
     * Readies what undoing {@code undo} will need while there is time, the first time a kind is seen:
     * the shell that sends signals, the code that reads {@code /proc} and starts {@code nsenter}, or
     * the connection to the Docker engine (loading those classes cold took most of a second on a busy
     * machine). After Stampede's death only the undo itself remains.
     */
    void prepare(Undo undo) {
        boolean container = undo instanceof Undo.UnpauseContainer || undo instanceof Undo.StartContainer
                || undo instanceof Undo.RemoveContainer;
        synchronized (this) {
            if (container ? dockerPrepared : processesPrepared) {
                return;
            }
            if (container) {
                dockerPrepared = true;
            } else {
                processesPrepared = true;
            }
        }
        Thread.ofPlatform().daemon().name("guardian-prepare").start(() -> {
            try {
                if (container) {
                    docker();
                } else {
                    // each step once on the guardian itself, as the undo takes them: alive, signal 0, a command
                    Proc self = Proc.current();
                    if (self != null && self.alive()) {
                        signals().process(0, self.pid());
                    }
                    run(List.of("true"));
                }
            } catch (RuntimeException e) {
                // undo says so when it needs what failed here
            }
        });
    }

    /**
     * Undoes {@code open} (oldest first as given) newest first, containers to be removed before all
     * else; returns one line per thing undone or failed.
     */
    List<String> undo(List<Undo> open) {
        // containers to be removed go first: starting or unpausing one only to remove it costs a second
        // or more (its unpause or start then finds it gone, which is nothing to undo)
        List<Undo> ordered = new ArrayList<>(open.stream().filter(u -> !(u instanceof Undo.RemoveContainer)).toList());
        ordered.addAll(open.stream().filter(u -> u instanceof Undo.RemoveContainer).toList());
        open = ordered;
        Set<Undo> seen = new HashSet<>();
        for (int i = open.size() - 1; i >= 0; i--) {
            if (!seen.add(open.get(i))) {
                continue; // journalled twice (a pause stops a process alone and with its group): undone once
            }
            try {
                String what = undo(open.get(i));
                if (what != null) {
                    said.add(what);
                }
            } catch (RuntimeException e) {
                failed = true;
                said.add("could not undo " + open.get(i) + ": " + e.getMessage());
            }
        }
        awaitChildren();
        closeSignals();
        return List.copyOf(said);
    }

    /** True when something could not be undone (the Docker engine did not answer, ...): keep the journal for the next start. */
    boolean failed() {
        return failed;
    }

    private String undo(Undo undo) {
        return switch (undo) {
            case Undo.Continue c -> live(c.process()) && kill(Kill.SIGCONT, c.process().pid(), false)
                    ? "SIGCONT to pid " + c.process().pid() : null;
            case Undo.StopChild c -> {
                if (!live(c.process())) {
                    yield null;
                }
                boolean group = c.ownGroup();
                kill(Kill.SIGCONT, c.process().pid(), group);
                kill(Kill.SIGTERM, c.process().pid(), group);
                terminated.add(new Terminated(c.process(), group));
                yield "SIGCONT and SIGTERM to child pid " + c.process().pid() + (group ? " and its process group" : "");
            }
            case Undo.UnpauseContainer c -> docker().unpause(c.container());
            case Undo.StartContainer c -> docker().start(c.container());
            case Undo.RemoveContainer c -> docker().remove(c.container());
            case Undo.InNetwork n -> live(n.process()) ? inNetwork(n) : null;
        };
    }

    private boolean live(Proc p) {
        return sameBoot && p.alive();
    }

    private void awaitChildren() {
        long deadline = System.nanoTime() + CHILD_GRACE.toNanos();
        while (terminated.stream().anyMatch(Terminated::remains) && System.nanoTime() < deadline) {
            sleep(POLL);
        }
        for (Terminated c : terminated) {
            if (c.remains()) {
                kill(Kill.SIGKILL, c.process().pid(), c.group());
                said.add("SIGKILL to child pid " + c.process().pid() + " after " + CHILD_GRACE.toMillis() + " ms");
            }
        }
    }

    private String inNetwork(Undo.InNetwork n) {
        List<String> line = new ArrayList<>(List.of("nsenter", "-t", Long.toString(n.process().pid()), "-n"));
        line.addAll(n.command());
        int code = run(line);
        String command = String.join(" ", n.command());
        // a rule already gone (undone by Stampede just before it died) makes the delete fail: nothing to undo
        return code == 0 ? command + " in the network namespace of pid " + n.process().pid() : null;
    }

    private synchronized ContainerUndo docker() {
        if (docker == null) {
            docker = new ContainerUndo();
        }
        return docker;
    }

    /** {@code kill -N PID}, or {@code kill -N -PGID} for a group; false when nothing got it. */
    private boolean kill(int signal, long pid, boolean group) {
        KillShell shell = signals();
        if (shell == null) {
            return group ? Kill.group(signal, pid) : Kill.process(signal, pid);
        }
        return group ? shell.group(signal, pid) : shell.process(signal, pid);
    }

    /** The shell that sends signals, started at the first need (by {@link #prepare} in the guardian); null if none starts. */
    private synchronized KillShell signals() {
        if (!signalsStarted) {
            signalsStarted = true;
            signals = KillShell.start();
        }
        return signals;
    }

    private synchronized void closeSignals() {
        if (signals != null) {
            signals.close();
            signals = null;
        }
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
