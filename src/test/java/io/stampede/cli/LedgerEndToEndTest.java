package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget ledger and its policy, from real runs against the demo service: runs spend budget, the
 * policy refuses the run after the budget ran low, two runs record at once, {@code stampede budget}
 * shows what each spent, and a bad ledger or policy is bad input.
 */
class LedgerEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    /**
     * A plan whose one user asks for {@code missing} of every 20 paths a page that does not exist
     * (404, a failure), in order: the share of bad requests is known by construction, whatever
     * the machine's speed. The demo service is its target, paused once.
     */
    private Path plan(String name, int port, int missing, String runTime) throws IOException {
        StringBuilder tasks = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            tasks.append(i < missing ? "      - { get: /missing }\n" : "      - { get: / }\n");
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                targets:
                  app: { builtin: demo, url: "http://127.0.0.1:%d" }
                load: { users: 2, spawnRate: 20, runTime: %s, wait: { constant: 10ms } }
                users:
                  - name: Reader
                    sequential: true
                    tasks:
                %s\
                chaos:
                  - { fault: pause, target: app, at: 1s, duration: 100ms }
                ledger: budget.db
                policy: { minBudgetLeft: 50%% }
                slos:
                  - { name: availability, objective: 75%%, period: 7d }
                """.formatted(name, port, runTime, tasks));
        return file;
    }

    private StampedeProcess.Result run(Path plan) throws Exception {
        return StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", dir.resolve("results").toString());
    }

    private List<StampedeProcess.Result> together(String[]... commands) throws Exception {
        return StampedeProcess.runTogether(dir, LIMIT, commands);
    }

    /** Each run's summary.json, by results folder name: the run's id in the ledger. */
    private Map<String, JsonNode> summaries() throws IOException {
        Map<String, JsonNode> summaries = new TreeMap<>();
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            for (Path folder : folders.toList()) {
                summaries.put(folder.getFileName().toString(), JSON.readTree(folder.resolve("summary.json").toFile()));
            }
        }
        return summaries;
    }

    @Test
    void threeRunsSpendTheBudgetAndThePolicyRefusesTheFourthBeforeItStarts() throws Exception {
        int port = freePort();
        // 5% bad against 25% allowed: a fifth of its budget, 80% left after two such runs
        Path light = plan("light", port, 1, "3s");
        // every request bad, four times its budget, over as long as both light runs: under 50% left after it
        // unless it made fewer than a tenth of their requests
        Path heavy = plan("heavy", port, 20, "6s");
        // one after another: a 3 s run side by side with another on a loaded machine may make no request at all
        for (Path plan : List.of(light, light, heavy)) {
            StampedeProcess.Result result = run(plan);
            assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(plan == heavy ? 1 : 0);
            assertThat(result.stdout()).contains("pause#1 injected on app", "Budget ledger " + dir.resolve("budget.db") + ": recorded run ");
        }
        Map<String, JsonNode> summaries = summaries();
        assertThat(summaries).hasSize(3);
        double allowed = 0;
        long spent = 0;
        long lightSpent = 0;
        for (Map.Entry<String, JsonNode> summary : summaries.entrySet()) {
            allowed += summary.getValue().at("/verdict/slos/0/errorBudget").asDouble();
            long bad = summary.getValue().at("/verdict/slos/0/budgetSpent").asLong();
            spent += bad;
            lightSpent += summary.getKey().startsWith("light-") ? bad : 0;
        }
        assertThat(lightSpent).as("the light runs spent budget too").isPositive();

        // three readers of the ledger, side by side: the refused run and both forms of the table
        String ledger = dir.resolve("budget.db").toString();
        List<StampedeProcess.Result> readers = together(
                new String[] {"run", "--headless", light.toString(), "--results", dir.resolve("results").toString()},
                new String[] {"budget", "--ledger", ledger},
                new String[] {"budget", "--ledger", ledger, "--json"});
        StampedeProcess.Result refused = readers.get(0);
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(3);
        assertThat(refused.stderr()).contains(String.format(Locale.ROOT, "stampede: error-budget policy: SLO 'availability' has"
                + " %.2f%% of its budget left over the last 7d (%d bad of %.1f allowed requests in 3 runs), below minBudgetLeft 50%%"
                + " (%s:32:26: policy.minBudgetLeft); the run is refused: nothing was started or injected",
                100 * (allowed - spent) / allowed, spent, allowed, light));
        assertThat(refused.stdout()).doesNotContain("target app started", "injected");
        assertThat(summaries()).as("no results folder for the refused run").hasSize(3);

        StampedeProcess.Result table = readers.get(1);
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        String[] lines = table.stdout().split("\n");
        assertThat(lines[0]).isEqualTo("Budget ledger " + dir.resolve("budget.db") + ": 3 runs");
        assertThat(lines[2]).isEqualTo(String.format(Locale.ROOT, "availability (objective 75.00%%, period 7d): %.2f%% left,"
                + " %d bad of %.1f allowed in 3 runs", 100 * (allowed - spent) / allowed, spent, allowed));
        assertThat(lines[3]).matches("  run +ended \\(UTC\\) +plan +verdict +requests +allowed bad +bad +of period budget");
        assertThat(lines[4]).as("newest first").matches("  heavy-\\S+ +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +heavy +fail .*");
        assertThat(lines[5]).matches("  light-\\S+ .* light +pass .*");
        assertThat(lines[6]).matches("  light-\\S+ .* light +pass .*");

        StampedeProcess.Result json = readers.get(2);
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        JsonNode slo = JSON.readTree(json.stdout()).at("/slos/0");
        assertThat(slo.get("slo").asText()).isEqualTo("availability");
        assertThat(slo.get("period").asText()).isEqualTo("7d");
        assertThat(slo.get("bad").asLong()).isEqualTo(spent);
        JsonNode runs = slo.get("runs");
        assertThat(runs).hasSize(3);
        for (JsonNode recorded : runs) { // the verdict's own numbers, never recomputed
            JsonNode verdict = summaries.get(recorded.get("id").asText()).at("/verdict/slos/0");
            assertThat(recorded.get("bad").asLong()).isEqualTo(verdict.get("budgetSpent").asLong());
            assertThat(recorded.get("allowedBad").asDouble()).isEqualTo(verdict.get("errorBudget").asDouble());
            assertThat(recorded.get("requests").asLong()).isEqualTo(verdict.get("total").asLong());
        }
    }

    @Test
    void twoRunsEndingTogetherAreBothRecorded() throws Exception {
        DemoService service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
        try {
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    name: together
                    host: %s
                    load: { users: 2, spawnRate: 20, runTime: 3s, wait: { constant: 10ms } }
                    tasks: [{ get: / }]
                    slos: [{ name: availability, objective: 99%% }]
                    """.formatted(service.baseUrl()));
            String ledger = dir.resolve("shared.db").toString();
            try (StampedeProcess first = StampedeProcess.start(dir, "run", "--headless", plan.toString(), "--no-results", "--ledger", ledger);
                 StampedeProcess second = StampedeProcess.start(dir, "run", "--headless", plan.toString(), "--no-results", "--ledger", ledger)) {
                assertThat(first.waitFor(LIMIT)).as(first.stdout() + first.stderr()).isZero();
                assertThat(second.waitFor(LIMIT)).as(second.stdout() + second.stderr()).isZero();
            }
            StampedeProcess.Result json = StampedeProcess.run(dir, LIMIT, "budget", "--ledger", ledger, "--json");
            JsonNode budget = JSON.readTree(json.stdout());
            assertThat(budget.get("runs").asInt()).isEqualTo(2);
            assertThat(budget.at("/slos/0/period").asText()).as("the default period").isEqualTo("30d");
            assertThat(budget.at("/slos/0/runs")).hasSize(2)
                    .allSatisfy(run -> assertThat(run.get("id").asText()).startsWith("together-"));
        } finally {
            service.close();
        }
    }

    @Test
    void aBadLedgerOrPolicyIsBadInputAndNothingRuns() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                host: http://127.0.0.1:%d
                tasks: [{ get: / }]
                policy: { minBudgetLeft: 50%% }
                slos: [{ name: availability, objective: 99%% }]
                """.formatted(freePort()));
        StampedeProcess.Result dryRun = StampedeProcess.run(dir, LIMIT, "run", "--dry-run", plan.toString(), "--ledger",
                dir.resolve("dry.db").toString());
        assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout()).contains("Budget ledger: " + dir.resolve("dry.db") + " (periods: availability 30d)\n"
                + "Error-budget policy: the run is refused while an SLO has less than 50.00% of its budget left over its period");
        assertThat(dir.resolve("dry.db")).as("a dry run opens nothing").doesNotExist();

        StampedeProcess.Result noLedger = StampedeProcess.inProcess("run", "--headless", plan.toString());
        assertThat(noLedger.exitCode()).isEqualTo(2);
        assertThat(noLedger.stderr()).contains("stampede: " + plan + ":3:26: policy.minBudgetLeft: an error-budget policy"
                + " needs a ledger: 'ledger: FILE' in the plan or --ledger FILE");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database, only words, and enough of them to fill SQLite's header page\n".repeat(20));
        StampedeProcess.Result notADatabase = StampedeProcess.inProcess("run", "--headless", plan.toString(), "--ledger", text.toString());
        assertThat(notADatabase.exitCode()).isEqualTo(2);
        assertThat(notADatabase.stderr()).contains("stampede: --ledger: the ledger " + text
                + " is not a SQLite database (a ledger is a file Stampede made, e.g. budget.db)");

        StampedeProcess.Result unwritable = StampedeProcess.inProcess("run", "--headless", plan.toString(),
                "--ledger", text.resolve("budget.db").toString());
        assertThat(unwritable.exitCode()).isEqualTo(2);
        assertThat(unwritable.stderr()).contains("stampede: --ledger: the ledger " + text.resolve("budget.db")
                + " cannot be opened or created (does its folder exist, and may it be written?)");

        Files.writeString(plan, Files.readString(plan).replace("objective: 99% }", "objective: 99%, period: 30 days }"));
        StampedeProcess.Result badPeriod = StampedeProcess.inProcess("run", "--headless", plan.toString(), "--ledger",
                dir.resolve("b.db").toString());
        assertThat(badPeriod.exitCode()).isEqualTo(2);
        assertThat(badPeriod.stderr()).contains("stampede: " + plan + ":4:54: slos[0].period: a period is a whole number");
        assertThat(noLedger.stdout() + notADatabase.stdout() + unwritable.stdout() + badPeriod.stdout()).doesNotContain("Aggregated");

        StampedeProcess.Result missing = StampedeProcess.inProcess("budget", "--ledger", dir.resolve("none.db").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("stampede: --ledger: " + dir.resolve("none.db")
                + ": no such ledger (a run with --ledger FILE creates it)");
        assertThat(dir.resolve("none.db")).doesNotExist();
    }
}
