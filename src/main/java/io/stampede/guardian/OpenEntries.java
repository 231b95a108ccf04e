package io.stampede.guardian;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A journal read back, line by line: what is still open, in the order it was made, who owned it and
 * every guardian it was handed to (a guardian that died during the run is replaced, and each
 * replacement writes a header of its own).
 */
final class OpenEntries {

    private final Map<Long, Undo> open = new LinkedHashMap<>();
    private final Set<Long> done = new HashSet<>();
    private final List<Proc> guardians = new ArrayList<>();
    private Proc owner;
    private String boot;
    private boolean ended;
    private Consumer<Undo> opened = undo -> { };

    /** Reads lines until the end of {@code in} or an {@code end} line; a torn last line (a write cut by death) is skipped. */
    static OpenEntries read(BufferedReader in) throws IOException {
        return read(in, undo -> { });
    }

    /** The same, handing each entry to {@code opened} as it arrives. */
    static OpenEntries read(BufferedReader in, Consumer<Undo> opened) throws IOException {
        OpenEntries entries = new OpenEntries();
        entries.opened = opened;
        String line;
        while (!entries.ended && (line = in.readLine()) != null) {
            if (!line.isBlank()) {
                try {
                    entries.add(JournalLine.parse(line));
                } catch (RuntimeException torn) {
                    // only the last line can be incomplete: the writer died in the middle of it
                }
            }
        }
        return entries;
    }

    void add(JournalLine line) {
        if (line.owner() != null) {
            owner = line.owner();
            boot = line.boot();
        }
        if (line.guardian() != null && !guardians.contains(line.guardian())) {
            guardians.add(line.guardian());
        }
        if (line.open() != null && !done.contains(line.open())) {
            open.put(line.open(), line.undo());
            opened.accept(line.undo());
        }
        if (line.done() != null) {
            done.add(line.done());
            open.remove(line.done());
        }
        if (Boolean.TRUE.equals(line.end())) {
            ended = true;
        }
    }

    /**
     * This journal and {@code other}, another copy of the same owner's (the pipe and the file): an
     * entry is open when either copy opened it and neither marked it done. Stampede writes each line
     * to the file first, so the file may know of a change the pipe never carried (Stampede died between
     * the two writes, or a replacement guardian started just before its death); the pipe holds what a
     * file write that failed did not.
     */
    OpenEntries merge(OpenEntries other) {
        OpenEntries merged = new OpenEntries();
        merged.owner = owner != null ? owner : other.owner;
        merged.boot = boot != null ? boot : other.boot;
        merged.done.addAll(done);
        merged.done.addAll(other.done);
        for (Map<Long, Undo> entries : List.of(other.open, open)) {
            entries.forEach((id, undo) -> {
                if (!merged.done.contains(id)) {
                    merged.open.put(id, undo);
                }
            });
        }
        // in the order the changes were made: IDs rise with time
        List<Map.Entry<Long, Undo>> sorted = new ArrayList<>(merged.open.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        merged.open.clear();
        sorted.forEach(e -> merged.open.put(e.getKey(), e.getValue()));
        merged.guardians.addAll(guardians);
        other.guardians.stream().filter(g -> !merged.guardians.contains(g)).forEach(merged.guardians::add);
        merged.ended = ended || other.ended;
        return merged;
    }

    List<Undo> open() {
        return new ArrayList<>(open.values());
    }

    Proc owner() {
        return owner;
    }

    /** The guardian of the last header: the one Stampede handed the journal to last. */
    Proc guardian() {
        return guardians.isEmpty() ? null : guardians.get(guardians.size() - 1);
    }

    /** Every guardian a header named, first to last. */
    List<Proc> guardians() {
        return List.copyOf(guardians);
    }

    String boot() {
        return boot;
    }

    boolean ended() {
        return ended;
    }
}
