package io.stampede.guardian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guardian: a small second JVM that reads the journal from its stdin, a pipe whose other end
 * only Stampede holds. The kernel closes that end whatever ends Stampede, SIGKILL included, so
 * end-of-file is the one sure sign of its death, and the guardian blocks on it (no polling): it then
 * undoes what is still open, newest first, says so on stderr, removes the journal file and exits. After an {@code end} line
 * (a clean end of the run) it exits without touching anything.
 *
 * <p>It runs in a session of its own ({@code setsid}), so Ctrl-C in the terminal or a signal to
 * Stampede's process group leaves it to do its work, with a small heap and the serial collector:
 * see {@link #JVM_OPTIONS} and the README's design notes for what it costs.
 */
public final class Guardian {

    /**
     * It idles on a pipe and wakes once for a few milliseconds of work, so: the interpreter only (no
     * compiler threads or code cache to fill), a small heap, the serial collector, the JDK's class-data
     * archive. Measured by {@code bench/guardian/cost.sh}: 48 MB RSS (30 MB PSS) against 79 MB with defaults.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms2m", "-Xmx16m", "-Xss256k", "-Xint",
            "-XX:ReservedCodeCacheSize=4m", "-XX:-UsePerfData", "-Xshare:auto");
    /** The one line the guardian prints on stdout, once its JVM is up and about to read the journal. */
    static final String READY = "ready";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private Guardian() {
    }

    /** Starts a guardian for the journal {@code file}; its stdin is the pipe Stampede writes the journal to. */
    static Process start(Path file) throws IOException {
        return start(file, ProcessBuilder.Redirect.INHERIT);
    }

    /** The same, with what it says going to {@code said} (Stampede's stderr, where the user sees it, by default). */
    static Process start(Path file, ProcessBuilder.Redirect said) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        Proc owner = Proc.current();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Guardian.class.getName(), file.toString(),
                Long.toString(owner.pid()), Long.toString(owner.startTicks())));
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(said)
                .start();
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Proc owner = new Proc(Long.parseLong(args[1]), Long.parseLong(args[2]));
        System.out.println(READY);
        System.out.close(); // nothing else goes there
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Rollback rollback = new Rollback(true);
        // the file as well: Stampede writes it first, so it holds what died before reaching this pipe
        // (all of it, when Stampede died while starting this guardian to replace one that had died);
        // read as it grows, and each change readied as it arrives, so that the death leaves only the undo
        FileTail tail = new FileTail(file);
        OpenEntries piped = OpenEntries.read(in, undo -> {
            rollback.prepare(undo);
            tail.catchUp();
        });
        if (piped.ended()) {
            return;
        }
        long since = System.nanoTime();
        OpenEntries written = tail.atEnd();
        boolean ours = written != null && owner.equals(written.owner());
        boolean another = written != null && written.owner() != null && !ours; // never another Stampede's journal
        OpenEntries entries = ours ? piped.merge(written) : piped;
        if (entries.ended()) {
            return;
        }
        List<String> undone = rollback.undo(entries.open());
        if (!rollback.failed() && !another) {
            Files.deleteIfExists(file); // otherwise the next start of Stampede tries again
        }
        if (!undone.isEmpty()) {
            System.err.println("stampede: guardian: Stampede (pid " + owner.pid() + ") ended before undoing its changes; undone in "
                    + (System.nanoTime() - since) / 1_000_000 + " ms:\n  " + String.join("\n  ", undone));
        }
    }

    /** This boot's ID: start times in a journal from another boot name no process of this one. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
