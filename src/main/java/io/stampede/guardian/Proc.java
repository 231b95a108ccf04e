package io.stampede.guardian;

import io.stampede.os.ProcStat;

/**
 * One process, named so that a reused PID is not mistaken for it: its PID and its start time in
 * clock ticks since boot ({@code /proc/PID/stat}, field 22), which a new process on that PID cannot share.
 *
 * @param pid        the process id
 * @param startTicks when it started, in clock ticks since boot
 */
public record Proc(long pid, long startTicks) {

    /** The live process {@code pid}, or null when there is none. */
    public static Proc of(long pid) {
        return ProcStat.read(pid).map(s -> new Proc(pid, s.startTicks())).orElse(null);
    }

    public static Proc current() {
        return of(ProcessHandle.current().pid());
    }

    /** True while this very process runs (a zombie has ended: it holds no port and no lock). */
    public boolean alive() {
        return ProcStat.read(pid).map(s -> s.startTicks() == startTicks && !s.gone()).orElse(false);
    }

    /** Its process group, or -1 when it is gone. */
    public static long groupOf(long pid) {
        return ProcStat.read(pid).map(ProcStat::pgrp).orElse(-1L);
    }

    /** Its state letter (R, S, T, Z, ...), or null when it is gone. */
    public static String stateOf(long pid) {
        return ProcStat.read(pid).map(s -> String.valueOf(s.state())).orElse(null);
    }
}
