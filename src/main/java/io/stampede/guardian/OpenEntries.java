package io.stampede.guardian;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A journal read back, line by line: what is still open, in the order it was made, and who owned it. */
final class OpenEntries {

    private final Map<Long, Undo> open = new LinkedHashMap<>();
    private Proc owner;
    private Proc guardian;
    private String boot;
    private boolean ended;
    private java.util.function.Consumer<Undo> opened = undo -> { };

    /** Reads lines until the end of {@code in} or an {@code end} line; a torn last line (a write cut by death) is skipped. */
    static OpenEntries read(BufferedReader in) throws IOException {
        return read(in, undo -> { });
    }

    /** The same, handing each entry to {@code opened} as it arrives. */
    static OpenEntries read(BufferedReader in, java.util.function.Consumer<Undo> opened) throws IOException {
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
        if (line.guardian() != null) {
            guardian = line.guardian();
        }
        if (line.open() != null) {
            open.put(line.open(), line.undo());
            opened.accept(line.undo());
        }
        if (line.done() != null) {
            open.remove(line.done());
        }
        if (Boolean.TRUE.equals(line.end())) {
            ended = true;
        }
    }

    List<Undo> open() {
        return new ArrayList<>(open.values());
    }

    Proc owner() {
        return owner;
    }

    Proc guardian() {
        return guardian;
    }

    String boot() {
        return boot;
    }

    boolean ended() {
        return ended;
    }
}
