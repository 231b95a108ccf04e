import io.stampede.input.Located;
import io.stampede.ledger.BudgetPolicy;
import io.stampede.ledger.BudgetPolicyCheck;
import io.stampede.ledger.Ledger;
import io.stampede.ledger.LedgerSpec;
import io.stampede.ledger.RunEntry;
import io.stampede.ledger.SloSpend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the ledger costs a run, in one fresh JVM: the first open (driver classes, the native library
 * extracted and loaded, the schema), then an open, a policy check and a record as a run does them,
 * with ROWS runs already in the file. Prints milliseconds; asserts nothing.
 */
public class LedgerCost {
    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args.length > 0 ? args[0] : "1000");
        Path file = Files.createTempDirectory("ledger-cost").resolve("budget.db");
        Located<Path> where = new Located<>(file, "--ledger");
        long t0 = System.nanoTime();
        try (Ledger ledger = Ledger.open(where)) {
            // first open
        }
        long first = System.nanoTime() - t0;
        try (Ledger ledger = Ledger.open(where)) {
            for (int i = 0; i < rows; i++) {
                ledger.record(entry("fill-" + i));
            }
        }
        LedgerSpec spec = new LedgerSpec(Optional.of(where), Map.of(), Optional.of(new BudgetPolicy(50, "bench")));
        int reps = 50;
        long open = 0, check = 0, record = 0;
        for (int i = 0; i < reps; i++) {
            long a = System.nanoTime();
            try (Ledger ledger = Ledger.open(where)) {
                long b = System.nanoTime();
                try {
                    BudgetPolicyCheck.check(ledger, spec, List.of("availability", "fast"), Instant.now());
                } catch (RuntimeException refused) {
                    // the numbers are what count here
                }
                long c = System.nanoTime();
                ledger.record(entry("run-" + i));
                long d = System.nanoTime();
                open += b - a;
                check += c - b;
                record += d - c;
            }
        }
        System.out.printf("first open in a fresh JVM (driver, native library, schema): %.1f ms%n", first / 1e6);
        System.out.printf("with %d runs in the ledger, mean of %d: open %.2f ms, policy check (2 SLOs) %.2f ms, record %.2f ms%n",
                rows, reps, open / 1e6 / reps, check / 1e6 / reps, record / 1e6 / reps);
        System.out.printf("file size: %d KiB%n", Files.size(file) / 1024);
        try (var left = Files.list(file.getParent())) { // the file and SQLite's -wal/-shm beside it
            for (Path p : left.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(file.getParent());
    }

    private static RunEntry entry(String id) {
        Instant now = Instant.now();
        return new RunEntry(id, "bench", now.minusSeconds(60), now, "pass", List.of(
                new SloSpend("availability", Duration.ofDays(30), 99, 10_000, 100, 20),
                new SloSpend("fast", Duration.ofDays(30), 95, 10_000, 500, 70)));
    }
}
