package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.chaos.GuardSpec;
import io.stampede.chaos.HaltCondition;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's halt: and steady: sections, and the mistakes a user can make in them. */
class HaltPlanTest {

    @TempDir
    Path dir;

    private static final String HEAD = """
            host: http://127.0.0.1:5001
            tasks: [ { get: / } ]
            slos:
              - { name: availability, objective: 99% }
              - { name: fast, objective: 95%, latencyBelow: 300ms }
            """;

    private GuardSpec guard(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + yaml);
        return PlanFile.read(file).toPlan().judgement().guard();
    }

    private String error(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, HEAD + yaml);
        try {
            PlanFile.read(file).toPlan();
        } catch (StampedeException.BadInput e) {
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected an error for " + yaml);
    }

    @Test
    void readsEveryKindOfConditionAndTheSteadyState() throws IOException {
        GuardSpec guard = guard("""
                halt:
                  when:
                    - { slo: availability, budgetLeftBelow: 50% }
                    - { slo: fast, burnRateAbove: 10, window: 30s }
                    - { metric: http_req_failed, threshold: "rate<0.2", window: 10s }
                    - { probe: /health, failuresInARow: 2, timeout: 500ms }
                    - { probe: "http://127.0.0.1:9000/ready" }
                    - { prometheus: 'sum(up{job="app"}) < 1', url: "http://127.0.0.1:9090", timeout: 800ms }
                  then: stop
                steady: { hold: 10s, within: 1m }
                """);
        String where = dir.resolve("plan.yaml") + ":";
        assertThat(guard.halt()).containsExactly(
                new HaltCondition.BudgetLeft("availability", 50, where + "8:7: halt.when[0]"),
                new HaltCondition.BurnRate("fast", 10, Duration.ofSeconds(30), where + "9:7: halt.when[1]"),
                new HaltCondition.ThresholdFails("http_req_failed", "rate<0.2", Optional.of(Duration.ofSeconds(10)), where + "10:7: halt.when[2]"),
                new HaltCondition.ProbeFails(URI.create("/health"), 2, Duration.ofMillis(500), where + "11:7: halt.when[3]"),
                new HaltCondition.ProbeFails(URI.create("http://127.0.0.1:9000/ready"), 3, Duration.ofSeconds(1), where + "12:7: halt.when[4]"),
                new HaltCondition.PrometheusQuery("sum(up{job=\"app\"}) < 1", URI.create("http://127.0.0.1:9090"),
                        Duration.ofMillis(800), where + "13:7: halt.when[5]"));
        assertThat(guard.stop()).isTrue();
        assertThat(guard.steady()).contains(new GuardSpec.Steady(Duration.ofSeconds(10), Duration.ofMinutes(1), where + "15:9: steady"));
        assertThat(guard.halt().get(0).describe()).isEqualTo("budgetLeft of availability < 50%");
        assertThat(guard.halt().get(1).describe()).isEqualTo("burnRate of fast > 10 over 30s");
        assertThat(guard.halt().get(2).describe()).isEqualTo("threshold http_req_failed rate<0.2 over 10s");
        assertThat(guard.halt().get(5).describe()).isEqualTo("prometheus 'sum(up{job=\"app\"}) < 1' non-empty");
    }

    @Test
    void aPrometheusConditionNeedsAQueryAndAServer() throws IOException {
        assertThat(error("halt: { when: [ { prometheus: 'up == 0' } ] }\n")).isEqualTo(
                "plan.yaml:6:17: halt.when[0]: 'url' is required with prometheus: the server, e.g. url: http://127.0.0.1:9090");
        assertThat(error("halt: { when: [ { prometheus: ' ', url: http://127.0.0.1:9090 } ] }\n")).startsWith(
                "plan.yaml:6:31: halt.when[0].prometheus: a PromQL query that returns a non-empty result");
        assertThat(error("halt: { when: [ { prometheus: 'up == 0', url: ftp://127.0.0.1 } ] }\n")).startsWith(
                "plan.yaml:6:47: halt.when[0].url: Prometheus's url is an http:// URL: ");
    }

    @Test
    void theExampleLabReadsWithItsGuard() {
        GuardSpec guard = PlanFile.read(Path.of("examples/lab13-halt.yaml")).toPlan().judgement().guard();
        assertThat(guard.halt()).extracting(HaltCondition::describe)
                .containsExactly("budgetLeft of availability < 50%", "probe /health failing 3 in a row");
        assertThat(guard.steady()).map(GuardSpec.Steady::hold).contains(Duration.ofSeconds(10));
    }

    @Test
    void withoutHaltOrSteadyNothingGuardsTheChaos() throws IOException {
        assertThat(guard("")).isEqualTo(GuardSpec.none());
        assertThat(guard("halt: { when: [ { slo: availability, budgetLeftBelow: 20 } ] }\n").stop()).isFalse();
    }

    @Test
    void anUnknownSloIsNamedWithTheKnownOnes() throws IOException {
        assertThat(error("halt: { when: [ { slo: availabilty, budgetLeftBelow: 50% } ] }\n")).isEqualTo(
                "plan.yaml:6:24: halt.when[0].slo: no SLO is named 'availabilty'; the plan's SLOs are [availability, fast]");
    }

    @Test
    void aBadShareAWindowAndAFactorAreRefused() throws IOException {
        assertThat(error("halt: { when: [ { slo: availability, budgetLeftBelow: 150% } ] }\n")).isEqualTo(
                "plan.yaml:6:55: halt.when[0].budgetLeftBelow: a share of the error budget is above 0% and at most 100%, got 150%");
        assertThat(error("halt: { when: [ { slo: availability, budgetLeftBelow: half } ] }\n")).isEqualTo(
                "plan.yaml:6:55: halt.when[0].budgetLeftBelow: a share of the error budget is a percentage such as 50%, got 'half'");
        assertThat(error("halt: { when: [ { slo: fast, burnRateAbove: 2, window: 500ms } ] }\n")).isEqualTo(
                "plan.yaml:6:56: halt.when[0].window: a window is a whole number of seconds, at least 1s (the statistics' resolution), got 500ms");
        assertThat(error("halt: { when: [ { slo: fast, burnRateAbove: 2, window: soon } ] }\n")).startsWith(
                "plan.yaml:6:56: halt.when[0].window: ");
        assertThat(error("halt: { when: [ { slo: fast, burnRateAbove: 0, window: 1m } ] }\n")).isEqualTo(
                "plan.yaml:6:45: halt.when[0].burnRateAbove: a burn rate is a factor above 0 (1 spends the budget exactly), got 0");
        assertThat(error("halt: { when: [ { slo: fast, burnRateAbove: 2 } ] }\n")).isEqualTo(
                "plan.yaml:6:17: halt.when[0]: 'window' is required with burnRateAbove, e.g. window: 30s");
    }

    @Test
    void aConditionHasOneKindAndItsOwnKeys() throws IOException {
        assertThat(error("halt: { when: [ { slo: availability } ] }\n")).isEqualTo(
                "plan.yaml:6:17: halt.when[0]: a halt condition has one of budgetLeftBelow, burnRateAbove, threshold, probe, prometheus");
        assertThat(error("halt: { when: [ { probe: /health, budgetLeftBelow: 5% } ] }\n")).isEqualTo(
                "plan.yaml:6:17: halt.when[0]: a halt condition has one of budgetLeftBelow, burnRateAbove, threshold, probe, prometheus,"
                        + " got probe and budgetLeftBelow"); // as written
        assertThat(error("halt: { when: [ { slo: availability, budgetLeftBelow: 5%, window: 1m } ] }\n")).isEqualTo(
                "plan.yaml:6:67: halt.when[0]: unknown key 'window'; valid keys: slo, budgetLeftBelow");
        assertThat(error("halt: { when: [ { metric: http_req_failed, threshold: \"rate<<0.2\" } ] }\n"))
                .startsWith("plan.yaml:6:55: halt.when[0].threshold: ");
        assertThat(error("halt: { when: [ { probe: \"ftp://127.0.0.1/\" } ] }\n")).startsWith(
                "plan.yaml:6:26: halt.when[0].probe: a probe is a path such as /health or an http:// URL: ");
        assertThat(error("halt: { when: [ { probe: /health, timeout: 5s } ] }\n")).isEqualTo(
                "plan.yaml:6:44: halt.when[0].timeout: a probe's or query's timeout is above 0 and at most 1s (the guard evaluates every 1s), got 5s");
        assertThat(error("halt: { when: [ { slo: availability, budgetLeftBelow: 5% } ], then: pause }\n")).isEqualTo(
                "plan.yaml:6:69: halt.then: 'then' is continue (the users go on, the default) or stop, got 'pause'");
    }

    @Test
    void theSteadyStateNeedsSlosAndADeadlineItCanMeet() throws IOException {
        assertThat(error("steady: { hold: 30s, within: 10s }\n")).isEqualTo(
                "plan.yaml:6:30: steady.within: 'within' (10s) is shorter than 'hold' (30s): the steady state could never be reached");
        assertThat(error("steady: { hold: 10s }\n")).isEqualTo(
                "plan.yaml:6:9: steady: 'within' is required, e.g. steady: { hold: 10s, within: 60s }");
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, "host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\nsteady: { hold: 10s, within: 1m }\n");
        try {
            PlanFile.read(file).toPlan();
            throw new AssertionError("a steady state without SLOs was accepted");
        } catch (StampedeException.BadInput e) {
            assertThat(e.getMessage()).isEqualTo(file + ":3:9: steady: the steady state is every SLO holding: declare them under slos:");
        }
    }
}
