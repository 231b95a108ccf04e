package io.stampede.guardian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The journal file read as it grows, its complete lines parsed as they come: the guardian catches up
 * while Stampede runs, so at its death only the lines written since remain to read (usually none).
 * A last line without its newline is kept until it has one, or read as torn at the end.
 */
final class FileTail {

    private static final int CHUNK = 8192;

    private final Path file;
    private final OpenEntries entries = new OpenEntries();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long offset;
    private boolean seen;
    private boolean unreadable;

    FileTail(Path file) {
        this.file = file;
    }

    /** Reads what was appended since the last call; a missing file is read at the next call. */
    void catchUp() {
        if (unreadable) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            seen = true;
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            for (int n; (n = channel.read(chunk, offset)) > 0; chunk.clear()) {
                offset += n;
                for (int i = 0; i < n; i++) {
                    byte b = chunk.get(i);
                    if (b == '\n') {
                        add();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (NoSuchFileException notYet) {
            // Stampede writes it before the pipe: absent still, or absent for good (read as such at the end)
        } catch (IOException e) {
            unreadable = true;
        }
    }

    /** Everything the file holds now, a torn last line skipped; null when it is missing or unreadable. */
    OpenEntries atEnd() {
        catchUp();
        if (!seen || unreadable) {
            return null;
        }
        add();
        return entries;
    }

    private void add() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isBlank()) {
            return;
        }
        try {
            entries.add(JournalLine.parse(text));
        } catch (RuntimeException torn) {
            // only the last line can be incomplete: the writer died in the middle of it
        }
    }
}
