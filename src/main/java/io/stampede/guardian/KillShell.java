package io.stampede.guardian;

import io.stampede.os.Kill;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sends signals through a {@code sh} started before they are needed, whose builtin {@code kill}
 * signals without a process of its own: after Stampede's death a signal costs a line on a pipe, not
 * the start of a {@code kill} process (a fork and two execs, tens of milliseconds on a busy machine
 * and far more on a loaded one). The shell ends with its stdin: when the guardian exits or dies.
 * When it cannot start or has died, {@link Kill} starts a {@code kill} per signal as before.
 */
final class KillShell implements AutoCloseable {

    private final Process shell;
    private final OutputStream in;
    private final BufferedReader out;

    private KillShell(Process shell) {
        this.shell = shell;
        this.in = shell.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** A shell waiting for its first line; null when none can start (the signals then start {@code kill}). */
    static KillShell start() {
        try {
            return new KillShell(new ProcessBuilder(List.of("sh")).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code kill -N PID}; false when the process does not exist (any more). */
    boolean process(int signal, long pid) {
        return send(signal, Long.toString(pid), () -> Kill.process(signal, pid));
    }

    /** {@code kill -N -PGID}; false when the group has no member (any more). */
    boolean group(int signal, long pgid) {
        return send(signal, "-" + pgid, () -> Kill.group(signal, pgid));
    }

    // dash's kill takes no "--": a negative number after the signal names a group all the same
    private synchronized boolean send(int signal, String who, BooleanSupplier fallback) {
        try {
            in.write(("kill -" + signal + " " + who + "; echo $?\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            String status = out.readLine();
            if (status != null) {
                return status.equals("0");
            }
        } catch (IOException shellGone) {
            // the same as no answer
        }
        return fallback.getAsBoolean();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // it has ended already
        }
        shell.destroy();
    }
}
