package io.stampede.ledger;

import static io.stampede.testing.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.input.Located;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes that write one ledger at the same moment lose nothing: every run and every spend is there. */
class LedgerConcurrencyTest {

    private static final int WRITERS = 4;
    private static final int RUNS_EACH = 25;
    private static final Duration PROCESS_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void writersAtOnceLoseNothing() throws Exception {
        Path ledgerFile = dir.resolve("budget.db");
        Path go = dir.resolve("go");
        List<Process> writers = new ArrayList<>();
        List<Path> ready = new ArrayList<>();
        try {
            for (int w = 0; w < WRITERS; w++) {
                Path readyFile = dir.resolve("ready-" + w);
                ready.add(readyFile);
                writers.add(new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                        "-cp", System.getProperty("java.class.path"), LedgerWriter.class.getName(),
                        ledgerFile.toString(), "writer" + w, String.valueOf(RUNS_EACH), readyFile.toString(), go.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("writer-" + w + ".log").toFile())
                        .start());
            }
            await("every writer started").until(() -> ready.stream().allMatch(Files::exists));
            Files.createFile(go); // all at once, on a file none of them has created yet
            for (int w = 0; w < WRITERS; w++) {
                Process writer = writers.get(w);
                assertThat(writer.waitFor(PROCESS_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("writer %d ended", w).isTrue();
                assertThat(writer.exitValue()).as(Files.readString(dir.resolve("writer-" + w + ".log"))).isZero();
            }
        } finally {
            writers.forEach(Process::destroyForcibly);
        }
        try (Ledger ledger = Ledger.open(new Located<>(ledgerFile, "--ledger"))) {
            assertThat(ledger.runCount()).isEqualTo(WRITERS * RUNS_EACH);
            SloBudget availability = ledger.budget("availability", Duration.ofDays(30), Instant.now().plusSeconds(60));
            assertThat(availability.runs()).hasSize(WRITERS * RUNS_EACH);
            assertThat(availability.runs()).extracting(SloBudget.Spent::run).doesNotHaveDuplicates()
                    .allMatch(id -> id.matches("writer[0-3]-\\d+")); // no "-2": no run written twice
            assertThat(availability.spent()).isEqualTo(WRITERS * RUNS_EACH);
            assertThat(ledger.budget("fast", Duration.ofDays(30), Instant.now().plusSeconds(60)).spent())
                    .isEqualTo(2L * WRITERS * RUNS_EACH);
        }
    }
}
