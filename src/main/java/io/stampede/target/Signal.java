package io.stampede.target;

import io.stampede.StampedeException;
import io.stampede.guardian.Journal;
import io.stampede.guardian.Undo;
import io.stampede.os.Kill;
import io.stampede.os.ProcStat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The POSIX signals faults may send, with their Linux numbers; sent with the system's {@code kill}. */
public enum Signal {
    SIGHUP(1), SIGINT(2), SIGQUIT(3), SIGABRT(6), SIGKILL(9), SIGUSR1(10), SIGSEGV(11), SIGUSR2(12),
    SIGPIPE(13), SIGALRM(14), SIGTERM(15), SIGCONT(18), SIGSTOP(19), SIGTSTP(20);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Reads {@code SIGKILL}, {@code KILL}, {@code kill} or {@code 9}; names the valid ones otherwise. */
    public static Signal parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        for (Signal signal : values()) {
            if (signal.name().equals(name) || signal.name().equals("SIG" + name) || Integer.toString(signal.number).equals(name)) {
                return signal;
            }
        }
        throw new StampedeException.BadInput("'" + text + "' is not a signal; valid: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** The signal a process died of, from a Java exit value (128 + n), or null. */
    public static Signal ofExitValue(int exitValue) {
        for (Signal signal : values()) {
            if (exitValue == 128 + signal.number) {
                return signal;
            }
        }
        return null;
    }

    /** Sends this signal to {@code pid}; false when the process does not exist (any more). */
    public boolean sendTo(long pid) {
        if (this == SIGSTOP || this == SIGTSTP) {
            Journal.record(Undo.Continue.of(pid)); // undone even if Stampede dies
        }
        boolean sent = Kill.process(number, pid);
        if (sent && this == SIGCONT) {
            Journal.continued(pid);
        }
        return sent;
    }

    /**
     * Sends this signal to every process in group {@code pgid} at once ({@code kill -SIG -PGID}); false
     * when the group has no member (any more). Refuses group 0/1 and Stampede's own group.
     */
    public boolean sendToGroup(long pgid) {
        if (pgid <= 1 || pgid == ProcStat.ownGroup()) {
            throw new IllegalArgumentException("process group " + pgid + " is never signalled: it holds init or Stampede");
        }
        boolean stopping = this == SIGSTOP || this == SIGTSTP;
        List<Long> members = stopping || this == SIGCONT ? ProcessScope.group(pgid).pids() : List.of();
        if (stopping) {
            // each member is journalled, so the guardian continues them all should Stampede die
            members.forEach(pid -> Journal.record(Undo.Continue.of(pid)));
        }
        boolean sent = Kill.group(number, pgid);
        if (sent && this == SIGCONT) {
            members.forEach(Journal::continued);
        }
        return sent;
    }
}
