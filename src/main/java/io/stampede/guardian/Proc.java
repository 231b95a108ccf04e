package io.stampede.guardian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        String[] fields = stat(pid);
        return fields == null ? null : new Proc(pid, Long.parseLong(fields[19]));
    }

    public static Proc current() {
        return of(ProcessHandle.current().pid());
    }

    /** True while this very process runs (a zombie has ended: it holds no port and no lock). */
    public boolean alive() {
        String[] fields = stat(pid);
        return fields != null && Long.parseLong(fields[19]) == startTicks && !fields[0].equals("Z");
    }

    /** Its process group, or -1 when it is gone. */
    public static long groupOf(long pid) {
        String[] fields = stat(pid);
        return fields == null ? -1 : Long.parseLong(fields[2]);
    }

    /** Its state letter (R, S, T, Z, ...), or null when it is gone. */
    public static String stateOf(long pid) {
        String[] fields = stat(pid);
        return fields == null ? null : fields[0];
    }

    /** The fields after the command name (which may hold spaces and parentheses): [0] is field 3, the state. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
