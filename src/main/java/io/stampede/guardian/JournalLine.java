package io.stampede.guardian;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of the journal (JSON Lines), one of: a header naming the owner (the Stampede process),
 * the boot it runs in and its guardian; a change about to be made ({@code open} with its undo); a
 * change undone by Stampede itself ({@code done}); the run's clean {@code end}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JournalLine(Proc owner, String boot, Proc guardian, Long open, Undo undo, Long done, Boolean end) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JournalLine header(Proc owner, String boot, Proc guardian) {
        return new JournalLine(owner, boot, guardian, null, null, null, null);
    }

    static JournalLine open(long id, Undo undo) {
        return new JournalLine(null, null, null, id, undo, null, null);
    }

    static JournalLine done(long id) {
        return new JournalLine(null, null, null, null, null, id, null);
    }

    static JournalLine ending() {
        return new JournalLine(null, null, null, null, null, null, true);
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JournalLine parse(String line) {
        try {
            return JSON.readValue(line, JournalLine.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
