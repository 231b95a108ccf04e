package io.stampede.os;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal by its Linux number with the system's {@code kill}, to one process or to a whole
 * process group. Nothing is journalled here: the guardian, which undoes faults after a crash, uses it
 * as it is, and target's {@code Signal} journals a stop before sending one.
 */
public final class Kill {

    /** The Linux numbers of the signals the guardian sends itself. */
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGCONT = 18;

    private static final long COMMAND_TIMEOUT_SECONDS = 5;

    private Kill() {
    }

    /** {@code kill -N -- PID}; false when the process does not exist (any more). */
    public static boolean process(int signal, long pid) {
        return kill(signal, Long.toString(pid));
    }

    /** {@code kill -N -- -PGID}; false when the group has no member (any more). */
    public static boolean group(int signal, long pgid) {
        return kill(signal, "-" + pgid);
    }

    private static boolean kill(int signal, String who) {
        try {
            Process kill = new ProcessBuilder(List.of("kill", "-" + signal, "--", who))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run 'kill': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
