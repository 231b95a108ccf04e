package io.stampede.guardian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * At the start of a command that may change things: undoes what an earlier Stampede left open in
 * its journal when neither it nor its guardian runs any more (both killed, or a machine crash), and
 * says what it undid. A journal whose owner or guardian still runs is theirs and is not touched.
 */
public final class Leftovers {

    private static final String CLAIMED = ".undoing-";

    private Leftovers() {
    }

    /** Checks every journal in {@link Journal#directory()}; prints one paragraph per leftover undone. */
    public static void undo(PrintStream err) {
        undo(Journal.directory(), err);
    }

    static void undo(Path dir, PrintStream err) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> journals;
        try (Stream<Path> files = Files.list(dir)) {
            journals = files.filter(Leftovers::unclaimed).toList();
        } catch (IOException e) {
            return;
        }
        String boot = Guardian.bootId();
        for (Path journal : journals) {
            try {
                undo(journal, boot, err);
            } catch (IOException | RuntimeException e) {
                err.println("stampede: cannot read the leftover journal " + journal + ": " + e.getMessage());
            }
        }
    }

    private static void undo(Path journal, String boot, PrintStream err) throws IOException {
        OpenEntries entries;
        try (BufferedReader in = Files.newBufferedReader(journal)) {
            entries = OpenEntries.read(in);
        } catch (NoSuchFileException gone) {
            return;
        }
        boolean sameBoot = boot.equals(entries.boot());
        // every guardian it was handed to: the last header may not be written yet when a replacement runs
        if (sameBoot && (running(entries.owner()) || entries.guardians().stream().anyMatch(Leftovers::running))) {
            return;
        }
        // claim it: of two Stampedes starting at once, only the one whose rename succeeds undoes it
        String name = journal.getFileName().toString();
        Path original = journal.resolveSibling(name.contains(CLAIMED) ? name.substring(0, name.indexOf(CLAIMED)) : name);
        Proc self = Proc.current();
        Path claimed = original.resolveSibling(original.getFileName() + CLAIMED + self.pid() + "-" + self.startTicks());
        try {
            Files.move(journal, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | AtomicMoveNotSupportedException taken) {
            return;
        }
        Rollback rollback = new Rollback(sameBoot);
        List<String> undone = entries.ended() ? List.of() : rollback.undo(entries.open());
        if (rollback.failed()) {
            Files.move(claimed, original, StandardCopyOption.ATOMIC_MOVE); // the next start tries again
        } else {
            Files.deleteIfExists(claimed);
        }
        if (!undone.isEmpty()) {
            long owner = entries.owner() != null ? entries.owner().pid() : -1;
            err.println("stampede: an earlier Stampede (pid " + owner + ") and its guardian ended before undoing their changes"
                    + " (journal " + original + "); undone now:\n  " + String.join("\n  ", undone));
        }
    }

    /**
     * A journal, or one claimed by a start that died while undoing it ({@code journal-PID-TICKS.jsonl.undoing-PID-TICKS}):
     * the claimant is named by start time too, or a later process on its PID would keep the claim forever.
     */
    private static boolean unclaimed(Path file) {
        String name = file.getFileName().toString();
        int claim = name.indexOf(CLAIMED);
        if (claim < 0) {
            return name.endsWith(".jsonl");
        }
        String[] claimant = name.substring(claim + CLAIMED.length()).split("-");
        try {
            return claimant.length != 2 || !new Proc(Long.parseLong(claimant[0]), Long.parseLong(claimant[1])).alive();
        } catch (NumberFormatException e) {
            return true; // not a claim this code makes: nobody is undoing it
        }
    }

    private static boolean running(Proc p) {
        return p != null && p.alive();
    }
}
