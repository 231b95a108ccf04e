package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.http.HttpProtocol;
import io.stampede.input.Located;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan file's {@code http.version} and the {@code --http-version} flag over it. */
class PlanHttpVersionTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("plan.yaml"), yaml);
    }

    @Test
    void versionsAsWrittenQuotedOrNot() throws IOException {
        for (String written : new String[] {"2", "\"2\"", "h2c", "\"1.1\"", "1.1", "auto"}) {
            Plan plan = PlanFile.read(write("host: http://127.0.0.1:5001\nhttp: { version: " + written + " }\n"
                    + "tasks: [ { get: / } ]\n")).toPlan();
            HttpProtocol expected = written.contains("1.1") ? HttpProtocol.HTTP_1_1
                    : written.equals("auto") ? HttpProtocol.AUTO : HttpProtocol.HTTP_2;
            assertThat(plan.http().protocol()).as(written).isEqualTo(expected);
        }
        Plan none = PlanFile.read(write("host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\n")).toPlan();
        assertThat(none.http().protocol()).isEqualTo(HttpProtocol.HTTP_1_1);
    }

    @Test
    void theFlagWinsAndABadValueNamesWhereItWasWritten() throws IOException {
        Path file = write("host: http://127.0.0.1:5001\nhttp: { version: \"3\" }\ntasks: [ { get: / } ]\n");
        PlanDraft draft = PlanFile.read(file);
        assertThatThrownBy(draft::toPlan).isInstanceOf(StampedeException.BadInput.class)
                .hasMessageContaining(file + ":2:18: http.version: expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '3'");
        draft.httpVersion(new Located<>("2", "--http-version"));
        assertThat(draft.toPlan().http().protocol()).isEqualTo(HttpProtocol.HTTP_2);
    }
}
