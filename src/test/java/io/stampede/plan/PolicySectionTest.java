package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.ledger.LedgerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's ledger, error-budget policy and SLO periods, and their messages word for word. */
class PolicySectionTest {

    private static final String HEAD = """
            host: http://127.0.0.1:5001
            tasks: [{ get: / }]
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + yaml);
        return file;
    }

    private LedgerSpec ledger(String yaml) throws IOException {
        PlanDraft draft = PlanFile.read(write(yaml));
        draft.toPlan();
        return draft.ledger();
    }

    private String error(String yaml) throws IOException {
        Path file = write(yaml);
        try {
            PlanFile.draft(file).toPlan();
        } catch (StampedeException.BadInput e) {
            assertThat(e.exitCode()).isEqualTo(2);
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected a bad-input error for:\n" + yaml);
    }

    @Test
    void readsTheLedgerBesideThePlanThePolicyAndEachSlosPeriod() throws IOException {
        LedgerSpec spec = ledger("""
                ledger: budgets/lab.db
                policy: { minBudgetLeft: 25% }
                slos:
                  - { name: availability, objective: 99%, period: 4w }
                  - { name: fast, objective: 95%, latencyBelow: 300ms }
                  - { objective: 90%, period: 36h }
                """);
        assertThat(spec.file().orElseThrow().value()).isEqualTo(dir.resolve("budgets/lab.db"));
        assertThat(spec.file().orElseThrow().where()).isEqualTo(dir.resolve("plan.yaml") + ":3:9: ledger");
        assertThat(spec.policy().orElseThrow().minBudgetLeftPercent()).isEqualTo(25.0);
        assertThat(spec.period("availability")).isEqualTo(Duration.ofDays(28));
        assertThat(spec.period("fast")).as("the default").isEqualTo(LedgerSpec.DEFAULT_PERIOD).isEqualTo(Duration.ofDays(30));
        assertThat(spec.period("slo-3")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void aPlanWithoutThemHasNoLedgerAndNoPolicy() throws IOException {
        LedgerSpec spec = ledger("slos: [{ name: availability, objective: 99% }]\n");
        assertThat(spec.file()).isEmpty();
        assertThat(spec.policy()).isEmpty();
    }

    @Test
    void aBadPeriodIsNamedWithItsPlace() throws IOException {
        assertThat(error("slos: [{ name: a, objective: 99%, period: 30 days }]\n"))
                .isEqualTo("plan.yaml:3:43: slos[0].period: a period is a whole number of minutes, hours, days or weeks,"
                        + " e.g. 30d, 4w, 24h, got '30 days'");
        assertThat(error("slos: [{ name: a, objective: 99%, period: 30s }]\n"))
                .isEqualTo("plan.yaml:3:43: slos[0].period: a period is a whole number of minutes, hours, days or weeks,"
                        + " e.g. 30d, 4w, 24h, got '30s'");
        assertThat(error("slos: [{ name: a, objective: 99%, period: 0d }]\n"))
                .isEqualTo("plan.yaml:3:43: slos[0].period: a period is between 1m and 400d, got '0d'");
    }

    @Test
    void aPolicyShareOutOfRangeIsNamedWithItsPlace() throws IOException {
        String slos = "slos: [{ name: a, objective: 99% }]\n";
        assertThat(error("policy: { minBudgetLeft: 150% }\n" + slos))
                .isEqualTo("plan.yaml:3:26: policy.minBudgetLeft: minBudgetLeft is a share of the budget from 0% to 100%, got 150%");
        assertThat(error("policy: { minBudgetLeft: -5% }\n" + slos))
                .isEqualTo("plan.yaml:3:26: policy.minBudgetLeft: minBudgetLeft is a share of the budget from 0% to 100%, got -5%");
        assertThat(error("policy: { minBudgetLeft: half }\n" + slos))
                .isEqualTo("plan.yaml:3:26: policy.minBudgetLeft: minBudgetLeft is a share of the budget such as 50%, got 'half'");
        assertThat(error("policy: { minBudgetleft: 50% }\n" + slos))
                .isEqualTo("plan.yaml:3:26: policy: unknown key 'minBudgetleft'; valid keys: minBudgetLeft");
    }

    @Test
    void aPolicyNeedsSlos() throws IOException {
        assertThat(error("policy: { minBudgetLeft: 50% }\n"))
                .isEqualTo("plan.yaml:3:9: policy: an error-budget policy needs SLOs (slos:) whose budget it keeps");
    }
}
