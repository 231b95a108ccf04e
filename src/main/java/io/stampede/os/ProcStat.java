package io.stampede.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One line of Linux's {@code /proc/PID/stat}: the fields process faults need (state, parent,
 * group). The command name sits in parentheses and may hold spaces, so fields count from the last ')'.
 *
 * <p>Process faults read it to find a service's processes and check their state; the guardian reads
 * it to tell a process from a later one on a reused PID (by its start time).
 *
 * @param state      'R' running, 'S' sleeping, 'D' disk wait, 'T' stopped, 't' traced, 'Z' zombie, ...
 * @param startTicks when it started, in clock ticks since boot (field 22): a later process on the same PID differs
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long startTicks) {

    /** The process as it is now, or empty when there is none (a zombie is still there: see {@link #gone()}). */
    public static Optional<ProcStat> read(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Long.parseLong(fields[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stopped by SIGSTOP (or held by a tracer): it runs no code until continued. */
    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** Dead and only waiting for its parent to reap it ('Z', 'X'). */
    public boolean gone() {
        return state == 'Z' || state == 'X';
    }

    /** Every process whose group is {@code pgid}, in PID order. */
    public static List<Long> groupMembers(long pgid) {
        return all().values().stream().filter(s -> s.pgrp() == pgid && !s.gone()).map(ProcStat::pid).toList();
    }

    /** Every process now, by PID in PID order: one pass over /proc, from which groups and trees are found. */
    public static SortedMap<Long, ProcStat> all() {
        SortedMap<Long, ProcStat> all = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).forEach(pid -> read(pid).ifPresent(s -> all.put(pid, s)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return all;
    }

    /** The live descendants of {@code roots} in {@code all}, not counting the roots, parents before children. */
    public static List<Long> descendants(Collection<Long> roots, Map<Long, ProcStat> all) {
        Map<Long, List<Long>> children = new HashMap<>();
        all.values().forEach(s -> children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s.pid()));
        Set<Long> seen = new LinkedHashSet<>(roots);
        ArrayDeque<Long> queue = new ArrayDeque<>(roots);
        List<Long> found = new ArrayList<>();
        while (!queue.isEmpty()) {
            for (long child : children.getOrDefault(queue.poll(), List.of())) {
                if (seen.add(child)) {
                    queue.add(child);
                    if (!all.get(child).gone()) {
                        found.add(child);
                    }
                }
            }
        }
        return found;
    }

    /** The process group Stampede itself runs in: never signalled. */
    public static long ownGroup() {
        return read(ProcessHandle.current().pid()).map(ProcStat::pgrp).orElse(-1L);
    }
}
