package io.stampede.guardian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The rollback journal: every change Stampede makes to something outside itself (a stopped process,
 * a child, a paused or stopped or created container, a kernel network rule) is written here before
 * it is made, and marked done when Stampede undoes it. Each line goes to the {@link Guardian}'s
 * stdin and to a file in {@link #directory()}; when Stampede dies by any signal the guardian reads
 * the end of its pipe and undoes what is still open, and when both die, the next start of Stampede
 * does ({@link Leftovers}). Nothing runs until the first change: a run without one costs nothing.
 *
 * <pre>
 * Journal.record(new Undo.UnpauseContainer(id));   // before pausing
 * Journal.done(new Undo.UnpauseContainer(id));     // after unpausing
 * </pre>
 */
public final class Journal {

    private static final System.Logger LOG = System.getLogger(Journal.class.getName());

    /** How long the first change waits for a guardian still starting (a cold JVM on a busy machine takes seconds). */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    /** Guardians that died during one run before Stampede stops replacing them (one that cannot start would loop). */
    static final int MAX_REPLACEMENTS = 5;

    private static final Object LOCK = new Object();
    private static final Map<Long, Undo> OPEN = new LinkedHashMap<>();
    private static long nextId = 1;
    private static Path file;
    private static Process guardian;
    private static OutputStream pipe;
    private static boolean warned;
    private static int replacements;
    private static CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);

    private Journal() {
    }

    /** Where journals are kept: {@code $XDG_CACHE_HOME/stampede/journals}, or {@code ~/.cache/stampede/journals}. */
    public static Path directory() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("stampede").resolve("journals");
    }

    /**
     * Starts the guardian now, when a run is about to start targets or inject faults, so that it is
     * up and waiting before the first change (a cold JVM takes most of a second on a busy machine).
     */
    public static void prepare() {
        synchronized (LOCK) {
            if (pipe == null) {
                begin();
            }
        }
    }

    /** Writes {@code undo} as open, before the change is made; starts the guardian at the first. Null is ignored. */
    public static void record(Undo undo) {
        if (undo == null) {
            return;
        }
        synchronized (LOCK) {
            if (pipe == null) {
                begin();
            }
            long id = nextId++;
            OPEN.put(id, undo);
            write(JournalLine.open(id, undo));
            if (!(undo instanceof Undo.StopChild || undo instanceof Undo.RemoveContainer)) {
                awaitReady(); // a fault waits for a guardian still starting; starting the targets does not
            }
        }
    }

    /** Marks every open entry equal to {@code undo} done: Stampede undid it itself. */
    public static void done(Undo undo) {
        if (undo != null) {
            doneWhere(undo::equals);
        }
    }

    /** Marks done what a SIGCONT to {@code pid} undid: every open SIGSTOP of it. */
    public static void continued(long pid) {
        doneWhere(u -> u instanceof Undo.Continue c && c.process().pid() == pid);
    }

    /**
     * At the end of a run: drops entries with nothing left to undo (their process ended); when none
     * remains open, tells the guardian to exit and removes the file. Otherwise both stay until
     * Stampede exits, and the guardian undoes the rest then.
     */
    public static void runEnded() {
        doneWhere(Undo::moot);
        synchronized (LOCK) {
            if (pipe == null || !OPEN.isEmpty()) {
                return;
            }
            write(JournalLine.ending());
            try {
                pipe.close();
            } catch (IOException ignored) {
                // the guardian is gone: nothing to tell it
            }
            pipe = null;
            guardian = null;
            delete();
        }
    }

    /**
     * Before a change is made, its undo must be in the hands of a guardian that runs: a guardian still
     * starting when Stampede dies would start its undo seconds late. Only the first change can wait.
     */
    private static void awaitReady() {
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            warn("the guardian did not start within " + READY_TIMEOUT.toSeconds() + " s; going on without waiting");
            ready.complete(null);
        } catch (ExecutionException e) {
            ready.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void doneWhere(Predicate<Undo> match) {
        synchronized (LOCK) {
            for (Iterator<Map.Entry<Long, Undo>> it = OPEN.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Undo> e = it.next();
                if (match.test(e.getValue())) {
                    it.remove();
                    write(JournalLine.done(e.getKey()));
                }
            }
        }
    }

    private static void begin() {
        if (file == null) {
            file = newFile();
        }
        startGuardian();
    }

    /**
     * A file no other journal has: named by PID and start time, as a PID alone is reused (in a container
     * Stampede may have the same PID at every start, and a leftover journal kept for a retry must not get
     * the next run's lines appended to it).
     */
    private static Path newFile() {
        Proc self = Proc.current();
        String name = "journal-" + ProcessHandle.current().pid() + (self != null ? "-" + self.startTicks() : "");
        Path candidate = directory().resolve(name + ".jsonl");
        for (int n = 2; taken(candidate); n++) {
            candidate = directory().resolve(name + "-" + n + ".jsonl");
        }
        return candidate;
    }

    /** Starts a guardian and tells it what is open; also after a guardian died under us. */
    private static void startGuardian() {
        try {
            guardian = Guardian.start(file);
            pipe = guardian.getOutputStream();
            Process starting = guardian;
            // a guardian that dies while the run goes on is replaced at once, not at the next write:
            // Stampede's own death in between would otherwise leave everything to the next start
            starting.onExit().thenRun(() -> replace(starting));
            ready = new CompletableFuture<>();
            CompletableFuture<Void> readied = ready;
            Thread.ofVirtual().name("guardian-ready").start(() -> {
                try (var out = new BufferedReader(new InputStreamReader(starting.getInputStream(), StandardCharsets.UTF_8))) {
                    out.readLine(); // "ready", or the end when it could not start
                } catch (IOException ignored) {
                    // the same: waiting is over
                }
                readied.complete(null);
            });
        } catch (IOException e) {
            warn("cannot start the guardian (" + e.getMessage() + "): changes are undone on a normal end only");
            pipe = OutputStream.nullOutputStream();
            return;
        }
        JournalLine header = JournalLine.header(Proc.current(), Guardian.bootId(), Proc.of(guardian.pid()));
        List<JournalLine> lines = new ArrayList<>(List.of(header));
        OPEN.forEach((id, undo) -> lines.add(JournalLine.open(id, undo)));
        lines.forEach(Journal::write);
    }

    /** The file, or a claimed copy of it ({@code NAME.undoing-...}), is there. */
    private static boolean taken(Path candidate) {
        String name = candidate.getFileName().toString();
        try (var files = Files.list(candidate.getParent())) {
            return files.map(f -> f.getFileName().toString()).anyMatch(f -> f.equals(name) || f.startsWith(name + "."));
        } catch (IOException noDirectoryYet) {
            return false;
        }
    }

    private static void write(JournalLine line) {
        String text = line.json() + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            warn("cannot write the journal " + file + " (" + e.getMessage() + "): only the guardian holds it");
        }
        try {
            pipe.write(bytes);
            pipe.flush();
        } catch (IOException guardianGone) {
            if (line.owner() == null) {
                replace(guardian);
            }
        }
    }

    /** Starts another guardian when {@code ended} is still the one Stampede writes to, and the journal is open. */
    private static void replace(Process ended) {
        synchronized (LOCK) {
            if (ended != guardian || pipe == null) {
                return; // already replaced, or the run ended cleanly and let it go
            }
            if (replacements >= MAX_REPLACEMENTS) {
                warn("the guardian ended " + replacements + " times; the next start of Stampede undoes what is left");
                pipe = OutputStream.nullOutputStream();
                return;
            }
            replacements++;
            LOG.log(System.Logger.Level.WARNING, "the guardian (pid " + ended.pid() + ") ended during the run; starting another");
            startGuardian();
        }
    }

    private static void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a journal whose owner ended cleanly says "end": the next start ignores it
        }
    }

    private static void warn(String message) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }
}
