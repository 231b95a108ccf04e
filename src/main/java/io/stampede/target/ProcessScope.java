package io.stampede.target;

import io.stampede.os.ProcStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * Which processes a process fault (kill, pause) acts on, around the target's PID. A server is rarely
 * one process: gunicorn, nginx, uwsgi, php-fpm and Node's cluster run a master and workers, and a
 * shell wrapper may stand in front of them; signalling the PID alone leaves the service answering.
 * The set is resolved at each firing (workers come and go) and taken before any signal is sent.
 */
public enum ProcessScope {
    /** The one process. */
    PROCESS,
    /** Its process group ({@code kill -SIG -PGID}), plus descendants of members that left the group. */
    GROUP,
    /** The process and all its descendants: a master and its workers, nothing else of a shell's job. */
    TREE;

    /** The plan's spelling: {@code process}, {@code group}, {@code tree}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the plan's spelling; null when it is none of them. */
    private static ProcessScope parse(String text) {
        for (ProcessScope scope : values()) {
            if (scope.key().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        return null;
    }

    /**
     * Reads the plan's spelling, any case.
     *
     * @throws IllegalArgumentException naming the three, with the value given
     */
    public static ProcessScope of(String text) {
        ProcessScope scope = parse(text);
        if (scope == null) {
            throw new IllegalArgumentException("scope is process, group or tree, got '" + text + "'");
        }
        return scope;
    }

    /** The processes in this scope around {@code pid} now; empty when {@code pid} no longer runs. */
    public ProcessSet resolve(long pid) {
        ProcStat root = ProcStat.read(pid).filter(s -> !s.gone()).orElse(null);
        if (root == null) {
            return ProcessSet.empty(this, pid);
        }
        return switch (this) {
            case PROCESS -> new ProcessSet(this, pid, -1, List.of(pid));
            case TREE -> new ProcessSet(this, pid, -1, withDescendants(List.of(pid), ProcStat.all()));
            case GROUP -> group(root.pgrp());
        };
    }

    /** Group {@code pgid}'s members and their descendants outside it; what a managed target's faults hit. */
    public static ProcessSet group(long pgid) {
        SortedMap<Long, ProcStat> all = ProcStat.all();
        List<Long> members = all.values().stream().filter(s -> s.pgrp() == pgid && !s.gone()).map(ProcStat::pid).toList();
        return new ProcessSet(GROUP, pgid, pgid, withDescendants(members, all));
    }

    /** {@code roots} first, in order, then their live descendants. */
    private static List<Long> withDescendants(List<Long> roots, SortedMap<Long, ProcStat> all) {
        List<Long> set = new ArrayList<>(roots);
        set.addAll(ProcStat.descendants(roots, all));
        return set;
    }
}
