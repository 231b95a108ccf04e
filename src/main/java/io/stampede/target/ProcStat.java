package io.stampede.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One line of Linux's {@code /proc/PID/stat}: the fields process faults need (state, parent,
 * group). The command name sits in parentheses and may hold spaces, so fields count from the last ')'.
 *
 * @param state 'R' running, 'S' sleeping, 'D' disk wait, 'T' stopped, 't' traced, 'Z' zombie, ...
 */
record ProcStat(long pid, char state, long ppid, long pgrp) {

    /** The process as it is now, or empty when there is none (a zombie is still there: see {@link #gone()}). */
    static Optional<ProcStat> read(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stopped by SIGSTOP (or held by a tracer): it runs no code until continued. */
    boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** Dead and only waiting for its parent to reap it ('Z', 'X'). */
    boolean gone() {
        return state == 'Z' || state == 'X';
    }

    /** Every process whose group is {@code pgid}, in PID order. */
    static List<Long> groupMembers(long pgid) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).sorted()
                    .forEach(pid -> read(pid).filter(s -> s.pgrp() == pgid && !s.gone()).ifPresent(s -> members.add(pid)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return members;
    }

    /** The process group Stampede itself runs in: never signalled. */
    static long ownGroup() {
        return read(ProcessHandle.current().pid()).map(ProcStat::pgrp).orElse(-1L);
    }
}
