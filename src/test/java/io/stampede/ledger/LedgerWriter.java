package io.stampede.ledger;

import io.stampede.input.Located;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A process that records runs into a ledger, for {@link LedgerConcurrencyTest}: it says it is ready,
 * waits for the go file, then records its runs one transaction each, as many runs ending at once do.
 *
 * <p>Arguments: ledger file, run id prefix, number of runs, ready file, go file.
 */
public final class LedgerWriter {

    /** How long a writer waits for the go file before giving up: far beyond any start-up. */
    private static final Duration GO_WAIT = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 5;

    private LedgerWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path ledgerFile = Path.of(args[0]);
        String prefix = args[1];
        int runs = Integer.parseInt(args[2]);
        Path ready = Path.of(args[3]);
        Path go = Path.of(args[4]);
        Files.createFile(ready);
        long deadline = System.nanoTime() + GO_WAIT.toNanos();
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.exit(4);
            }
            Thread.sleep(POLL_MILLIS);
        }
        for (int i = 0; i < runs; i++) {
            // a process per run, as Stampede opens the ledger for each run's record
            try (Ledger ledger = Ledger.open(new Located<>(ledgerFile, "--ledger"))) {
                Instant now = Instant.now();
                ledger.record(new RunEntry(prefix + "-" + i, prefix, now.minusSeconds(5), now, "fail", List.of(
                        new SloSpend("availability", Duration.ofDays(30), 99, 100, 1.0, 1),
                        new SloSpend("fast", Duration.ofDays(30), 95, 100, 5.0, 2))));
            }
        }
    }
}
