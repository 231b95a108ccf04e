package io.stampede.target;

import io.stampede.os.ProcStat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The processes one fault acts on, taken before signalling (see {@link ProcessScope}): it signals
 * them all and checks that the signal took effect, so a fault can say what it hit and whether it
 * worked instead of reporting a frozen master with answering workers as "no impact".
 *
 * <pre>{@code
 * ProcessSet set = ProcessScope.TREE.resolve(pid);
 * set.signal(Signal.SIGSTOP);
 * List<String> running = set.awaitStopped(ProcessSet.EFFECT_WAIT);   // empty: every process is in state T
 * String detail = set.describe();   // "tree of 4242 (3 processes: 4242 4250 4251)"
 * }</pre>
 *
 * @param scope how the set was chosen
 * @param root  the target's PID, or the group id for {@link ProcessScope#GROUP}
 * @param pgid  the process group signalled with {@code kill -SIG -PGID}, or -1 to signal each PID
 * @param pids  the processes, root (or group leader) first
 */
public record ProcessSet(ProcessScope scope, long root, long pgid, List<Long> pids) {

    /** How long a fault waits for its signal to show (state T, or gone) before it reports no effect. */
    public static final Duration EFFECT_WAIT = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(10);

    public ProcessSet {
        pids = List.copyOf(pids);
    }

    /** No process: what a fault finds when none runs. */
    public static ProcessSet empty(ProcessScope scope, long root) {
        return new ProcessSet(scope, root, -1, List.of());
    }

    public boolean isEmpty() {
        return pids.isEmpty();
    }

    /**
     * Why this set may not be signalled (it holds PID 1, Stampede itself or its parent, or is
     * Stampede's own process group), or null when it may.
     */
    public String unsafe() {
        ProcessHandle self = ProcessHandle.current();
        long parent = self.parent().map(ProcessHandle::pid).orElse(-1L);
        if (pgid > 0 && pgid == ProcStat.ownGroup()) {
            return label() + " is Stampede's own process group";
        }
        for (long pid : pids) {
            if (pid == 1) {
                return label() + " includes PID 1 (init)";
            }
            if (pid == self.pid()) {
                return label() + " includes Stampede itself (PID " + pid + ")";
            }
            if (pid == parent) {
                return label() + " includes Stampede's parent (PID " + pid + ")";
            }
        }
        return null;
    }

    /**
     * Sends {@code signal} to the group (when there is one) and to each listed process outside it,
     * root first; true when it reached at least one. Refuses an {@link #unsafe()} set.
     */
    public boolean signal(Signal signal) {
        String unsafe = unsafe();
        if (unsafe != null) {
            throw new IllegalStateException(unsafe);
        }
        boolean reached = pgid > 0 && signal.sendToGroup(pgid);
        for (long pid : pids) {
            if (pgid <= 0 || ProcStat.read(pid).map(s -> s.pgrp() != pgid).orElse(false)) {
                reached |= signal.sendTo(pid);
            }
        }
        return reached;
    }

    /** The listed processes still alive (a zombie counts as gone). */
    public List<Long> alive() {
        return pids.stream().filter(pid -> ProcStat.read(pid).filter(s -> !s.gone()).isPresent()).toList();
    }

    /** Waits up to {@code within} until every listed process is gone; returns those still alive. */
    public List<Long> awaitGone(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Long> alive = alive();
        while (!alive.isEmpty() && System.nanoTime() < deadline && pause()) {
            alive = alive();
        }
        return alive;
    }

    /**
     * Waits up to {@code within} until every listed process that is still alive is stopped (state T);
     * returns the others as {@code "4250 (S)"}, empty when all stopped.
     */
    public List<String> awaitStopped(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> running = running();
        while (!running.isEmpty() && System.nanoTime() < deadline && pause()) {
            running = running();
        }
        return running;
    }

    private List<String> running() {
        List<String> running = new ArrayList<>();
        for (long pid : pids) {
            Optional<ProcStat> stat = ProcStat.read(pid);
            if (stat.isPresent() && !stat.get().gone() && !stat.get().stopped()) {
                running.add(pid + " (" + stat.get().state() + ")");
            }
        }
        return running;
    }

    /** Live descendants of a {@code process} scope's process that are not stopped: what the narrow scope missed. */
    public List<Long> runningOutside() {
        if (scope != ProcessScope.PROCESS) {
            return List.of(); // a group or tree holds its descendants already: no second pass over /proc
        }
        Map<Long, ProcStat> all = ProcStat.all();
        return ProcStat.descendants(pids, all).stream().filter(d -> !pids.contains(d) && !all.get(d).stopped()).toList();
    }

    /** {@code group 4242 (3 processes: 4242 4250 4251)}, {@code tree of 4242 (...)}, {@code pid 4242}. */
    public String describe() {
        if (scope == ProcessScope.PROCESS && pids.size() == 1) {
            return label();
        }
        return label() + " (" + pids.size() + (pids.size() == 1 ? " process: " : " processes: ") + join(pids) + ")";
    }

    private String label() {
        return switch (scope) {
            case PROCESS -> "pid " + root;
            case GROUP -> "group " + root;
            case TREE -> "tree of " + root;
        };
    }

    /** PIDs as {@code "4242 4250"}. */
    public static String join(List<?> pids) {
        return pids.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
