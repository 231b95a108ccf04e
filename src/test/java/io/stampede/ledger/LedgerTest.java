package io.stampede.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.input.Located;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real SQLite file: what it sums over a period, what it refuses, what it says of a bad file. */
class LedgerTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private Located<Path> file() {
        return new Located<>(dir.resolve("budget.db"), "--ledger");
    }

    private static RunEntry run(String id, Instant ended, long total, double allowed, long spent) {
        return new RunEntry(id, "lab", ended.minusSeconds(60), ended, spent > allowed ? "fail" : "pass",
                List.of(new SloSpend("availability", Duration.ofDays(7), 99, total, allowed, spent)));
    }

    @Test
    void sumsTheRunsThatEndedInThePeriodNewestFirst() {
        try (Ledger ledger = Ledger.open(file())) {
            ledger.record(run("old", NOW.minus(DAY.multipliedBy(8)), 10_000, 100, 100)); // before the 7-day period
            ledger.record(run("a", NOW.minus(DAY.multipliedBy(3)), 10_000, 100, 20));
            ledger.record(run("b", NOW.minus(DAY), 5_000, 50, 40));
            SloBudget week = ledger.budget("availability", Duration.ofDays(7), NOW);
            assertThat(week.runs()).extracting(SloBudget.Spent::run).containsExactly("b", "a");
            assertThat(week.allowed()).isEqualTo(150.0);
            assertThat(week.spent()).isEqualTo(60);
            assertThat(week.leftPercent()).isEqualTo(60.0);
            assertThat(week.objectivePercent()).isEqualTo(99.0);
            assertThat(ledger.budget("availability", Duration.ofDays(30), NOW).runs()).hasSize(3);
            assertThat(ledger.budget("latency", Duration.ofDays(30), NOW).runs()).isEmpty();
            assertThat(ledger.slos()).isEqualTo(Map.of("availability", Duration.ofDays(7)));
            assertThat(ledger.runCount()).isEqualTo(3);
        }
    }

    @Test
    void keepsWhatItRecordedAcrossOpeningsAndGivesATakenIdASuffix() {
        try (Ledger ledger = Ledger.open(file())) {
            assertThat(ledger.record(run("lab-20261207-120000", NOW, 100, 1, 0))).isEqualTo("lab-20261207-120000");
        }
        try (Ledger ledger = Ledger.open(file())) {
            assertThat(ledger.record(run("lab-20261207-120000", NOW, 100, 1, 0))).isEqualTo("lab-20261207-120000-2");
            assertThat(ledger.runCount()).isEqualTo(2);
        }
    }

    @Test
    void thePolicyRefusesWhenAnSloHasLessLeftThanItAsksNamingTheNumbers() {
        LedgerSpec spec = new LedgerSpec(Optional.of(file()), Map.of("availability", Duration.ofDays(7)),
                Optional.of(new BudgetPolicy(50, "plan.yaml:9:26: policy.minBudgetLeft")));
        List<String> slos = List.of("availability");
        try (Ledger ledger = Ledger.open(file())) {
            BudgetPolicyCheck.check(ledger, spec, slos, NOW); // nothing recorded yet: nothing spent
            ledger.record(run("a", NOW.minus(DAY), 10_000, 100, 50));
            BudgetPolicyCheck.check(ledger, spec, slos, NOW); // exactly 50% left
            ledger.record(run("b", NOW.minusSeconds(60), 100, 1, 2));
            assertThatThrownBy(() -> BudgetPolicyCheck.check(ledger, spec, slos, NOW))
                    .isInstanceOf(StampedeException.CannotRun.class)
                    .hasMessage("error-budget policy: SLO 'availability' has 48.51% of its budget left over the last 7d"
                            + " (52 bad of 101.0 allowed requests in 2 runs), below minBudgetLeft 50%"
                            + " (plan.yaml:9:26: policy.minBudgetLeft); the run is refused: nothing was started or injected");
            BudgetPolicyCheck.check(ledger, spec, slos, NOW.plus(DAY.multipliedBy(7))); // both runs left the period
        }
    }

    @Test
    void aFileThatIsNotALedgerIsBadInputNamingWhereItWasGiven() throws IOException {
        Path notADatabase = dir.resolve("notes.txt");
        Files.writeString(notADatabase, "these are not the pages of a database, just some text that is long enough\n".repeat(20));
        assertThatThrownBy(() -> Ledger.open(new Located<>(notADatabase, "plan.yaml:3:9: ledger")))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage("plan.yaml:3:9: ledger: the ledger " + notADatabase
                        + " is not a SQLite database (a ledger is a file Stampede made, e.g. budget.db)");
        assertThatThrownBy(() -> Ledger.open(new Located<>(dir, "--ledger")))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage("--ledger: the ledger " + dir + " is a directory; a ledger is a file, e.g. budget.db");
        Path underAFile = notADatabase.resolve("budget.db");
        assertThatThrownBy(() -> Ledger.open(new Located<>(underAFile, "--ledger")))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage("--ledger: the ledger " + underAFile
                        + " cannot be opened or created (does its folder exist, and may it be written?)");
    }

    @Test
    void periodsAreWrittenAsInPlans() {
        assertThat(Periods.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Periods.parse(" 4W ")).isEqualTo(Duration.ofDays(28));
        assertThat(Periods.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Periods.format(Duration.ofDays(28))).isEqualTo("28d");
        assertThat(Periods.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThatThrownBy(() -> Periods.parse("401d")).hasMessage("a period is between 1m and 400d, got '401d'");
    }
}
