package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.api.WaitTime;
import io.stampede.engine.LoadModel;
import io.stampede.engine.Scenario;
import io.stampede.http.HttpProtocol;
import io.stampede.input.Located;
import io.stampede.slo.SloSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Plan plan(String yaml) throws IOException {
        return PlanFile.read(write(yaml)).toPlan();
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
    void readsTheLabPlan() throws IOException {
        Plan plan = plan("""
                name: lab-13
                host: http://127.0.0.1:5001
                load:
                  users: 100
                  spawnRate: 10
                  runTime: 5m
                  wait: { between: [1s, 5s] }
                tasks:
                  - { weight: 3, get: / }
                  - { weight: 1, get: /health, expect: { status: 200, body: OK } }
                """);
        assertThat(plan.name()).isEqualTo("lab-13");
        assertThat(plan.host()).isEqualTo("http://127.0.0.1:5001");
        assertThat(plan.load()).isEqualTo(new LoadModel.Closed(100, 10, List.of()));
        assertThat(plan.runTime()).contains(Duration.ofMinutes(5));
        Scenario.Declared declared = (Scenario.Declared) plan.scenario();
        Scenario.UserSpec user = declared.users().get(0);
        assertThat(user.waitTime()).isEqualTo(WaitTime.between(Duration.ofSeconds(1), Duration.ofSeconds(5)));
        assertThat(user.tasks()).extracting(Scenario.TaskSpec::name, Scenario.TaskSpec::weight)
                .containsExactly(Tuple.tuple("/", 3), Tuple.tuple("/health", 1));
        Scenario.RequestSpec health = (Scenario.RequestSpec) user.tasks().get(1).steps().get(0);
        assertThat(health.expect().status()).containsExactly(200);
        assertThat(health.expect().bodyContains()).isEqualTo("OK");
    }

    @Test
    void flagsOverridePlanValuesAndBothGiveTheSamePlan() throws IOException {
        PlanDraft draft = PlanFile.read(write("""
                host: http://127.0.0.1:5001
                load: { users: 100, spawnRate: 10 }
                tasks: [ { get: / } ]
                """));
        draft.users(new Located<>("5", "-u/--users"));
        Plan plan = draft.toPlan();
        assertThat(((LoadModel.Closed) plan.load()).users()).isEqualTo(5);
        assertThat(((LoadModel.Closed) plan.load()).spawnRate()).isEqualTo(10);
    }

    @Test
    void stagesSetTheRunTimeWhenNoneIsGiven() throws IOException {
        Plan plan = plan("""
                host: http://127.0.0.1:5001
                load:
                  stages:
                    - { duration: 10s, users: 10, spawnRate: 5 }
                    - { duration: 20s, users: 50 }
                tasks: [ { get: / } ]
                """);
        assertThat(plan.runTime()).contains(Duration.ofSeconds(30));
        assertThat(((LoadModel.Closed) plan.load()).stages()).hasSize(2);
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> PlanFile.read(dir.resolve("nope.yaml")))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessageEndingWith("nope.yaml: plan file not found");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() throws IOException {
        assertThat(error("host: http://x\nload: { users: 1\ntasks: []\n"))
                .startsWith("plan.yaml:3:").contains("not valid YAML");
    }

    @Test
    void unknownKeyNamesTheValidKeys() throws IOException {
        assertThat(error("""
                host: http://127.0.0.1:5001
                load:
                  usres: 10
                tasks: [ { get: / } ]
                """)).isEqualTo("plan.yaml:3:10: load: unknown key 'usres'; valid keys: users, spawnRate, runTime, wait, stages, arrivalRate, maxConcurrency, preAllocated, latencyFrom");
    }

    @Test
    void wrongTypeNamesTheField() throws IOException {
        assertThat(error("""
                host: http://127.0.0.1:5001
                load: { users: lots }
                tasks: [ { get: / } ]
                """)).isEqualTo("plan.yaml:2:16: load.users: users must be a whole number, got 'lots'");
        assertThat(error("""
                host: http://127.0.0.1:5001
                tasks: { get: / }
                """)).isEqualTo("plan.yaml:2:8: tasks: expected a list, got a mapping");
    }

    @Test
    void zeroOrNegativeUsersAndZeroSpawnRate() throws IOException {
        assertThat(error("host: http://127.0.0.1:5001\nload: { users: 0 }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:16: load.users: users must be at least 1, got 0");
        assertThat(error("host: http://127.0.0.1:5001\nload: { users: -5 }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:16: load.users: users must be at least 1, got -5");
        assertThat(error("host: http://127.0.0.1:5001\nload: { spawnRate: 0 }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:20: load.spawnRate: spawn rate must be greater than 0, got 0");
    }

    @Test
    void unparseableDuration() throws IOException {
        assertThat(error("host: http://127.0.0.1:5001\nload: { runTime: 5 minutes }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:18: load.runTime: '5 minutes' is not a duration (examples: 250ms, 1s, 2m, 1h)");
        assertThat(error("host: http://127.0.0.1:5001\nload: { wait: { between: [5s, 1s] } }\ntasks: [ { get: / } ]\n"))
                .contains("load.wait.between: the upper bound 1s is below the lower bound 5s");
    }

    @Test
    void hostWithoutScheme() throws IOException {
        assertThat(error("host: 127.0.0.1:5001\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:1:7: host: '127.0.0.1:5001' needs a scheme: http://127.0.0.1:5001");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        assertThat(error("host: localhost\nload: { users: 0, spawnRate: 0 }\ntasks: [ { get: / } ]\n").lines())
                .hasSize(3);
    }

    @Test
    void problemsInEverySectionAreReportedTogetherInFileOrder() throws IOException {
        assertThat(error("""
                host: http://127.0.0.1:99999
                slos:
                  - { name: a }
                load:
                  users: many
                tasks:
                  - { get: nope }
                  - { get: /, weight: -1 }
                  - { get: / }
                """)).isEqualTo("""
                plan.yaml:1:7: host: port 99999 is out of range 1..65535
                plan.yaml:3:5: slos[0]: 'objective' is required, e.g. objective: 99.5%
                plan.yaml:5:10: load.users: users must be a whole number, got 'many'
                plan.yaml:7:12: tasks[0].get: path must start with '/', got 'nope'
                plan.yaml:8:23: tasks[1].weight: must be 0 or more, got -1""");
    }

    @Test
    void everyBadTargetChaosEntryAndSloIsReportedNotJustTheFirst() throws IOException {
        String message = error("""
                host: http://127.0.0.1:5001
                targets:
                  a: { pid: 1234, color: red }
                  b: { address: "127.0.0.1:99999" }
                slos:
                  - { name: a }
                  - { name: b, objective: 150% }
                tasks: [ { get: / } ]
                """);
        assertThat(message.lines()).hasSize(4);
        assertThat(message.lines().map(l -> l.substring(0, l.indexOf(": ")))).containsExactly(
                "plan.yaml:3:26", "plan.yaml:4:17", "plan.yaml:6:5", "plan.yaml:7:27");

        String chaos = error("""
                host: http://127.0.0.1:5001
                targets: { app: { builtin: demo } }
                chaos:
                  - { fault: explode, target: app, at: 1s }
                  - { fault: kill, target: nobody, at: 1s }
                  - { fault: kill, target: app, at: 1s }
                tasks: [ { get: / } ]
                """);
        assertThat(chaos.lines()).hasSize(2);
        assertThat(chaos).contains("plan.yaml:4:", "unknown fault 'explode'", "plan.yaml:5:", "nobody");
    }

    @Test
    void aLatencySloSaysWhatAFailedRequestIs() throws IOException {
        Plan plan = plan("""
                host: http://127.0.0.1:5001
                tasks: [ { get: / } ]
                slos:
                  - { name: fast, objective: 95%, latencyBelow: 200ms }
                  - { name: fast-or-bad, objective: 95%, latencyBelow: 200ms, failures: bad }
                """);
        assertThat(plan.judgement().slos()).extracting(SloSpec::failures)
                .containsExactly(SloSpec.FailedRequests.EXCLUDE, SloSpec.FailedRequests.BAD);
        assertThat(error("""
                host: http://127.0.0.1:5001
                tasks: [ { get: / } ]
                slos:
                  - { name: fast, objective: 95%, latencyBelow: 200ms, failures: good }
                """)).isEqualTo("plan.yaml:4:66: slos[0].failures: 'failures' is 'exclude' (failed requests left out,"
                + " the default) or 'bad', got 'good'");
        assertThat(error("""
                host: http://127.0.0.1:5001
                tasks: [ { get: / } ]
                slos:
                  - { name: up, objective: 95%, failures: bad }
                """)).isEqualTo("plan.yaml:4:43: slos[0].failures: 'failures' applies to a latency SLO (with latencyBelow);"
                + " an availability SLO counts every failure as bad");
    }

    @Test
    void numbersTooLargeAreCalledSo() throws IOException {
        assertThat(error("host: http://h\nload: { users: 99999999999 }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:16: load.users: users must be at most 2147483647, got 99999999999");
        assertThat(error("host: http://h\nload: { users: " + "9".repeat(100) + " }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:16: load.users: users must be at most 2147483647, got a 100-digit number");
    }

    @Test
    void targetAddressesAndUrlsAreCheckedAsHostsAre() throws IOException {
        assertThat(error("targets:\n  app: { address: \"127.0.0.1:99999\" }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:19: targets.app.address: port 99999 is out of range 1..65535");
        assertThat(error("targets:\n  app: { builtin: demo, url: \"http://127.0.0.1:70000\" }\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:2:30: targets.app.url: port 70000 is out of range 1..65535");
    }

    @Test
    void weightsThatLeaveNothingToRunNameTheirLine() throws IOException {
        assertThat(error("host: http://h\ntasks: [ { get: /, weight: 0 }, { get: /h, weight: 0 } ]\n"))
                .isEqualTo("plan.yaml:2:8: tasks: every task has weight 0: a user would have nothing to run");
        assertThat(error("host: http://h\nusers:\n  - { name: a, weight: 0, tasks: [ { get: / } ] }\n"))
                .isEqualTo("plan.yaml:3:3: users: every user has weight 0: no user would run");
    }

    @Test
    void requestMistakes() throws IOException {
        assertThat(error("host: http://h\ntasks: [ { weight: 1 } ]\n"))
                .contains("tasks[0]: a request needs one of get, post, put, delete, patch, head, options");
        assertThat(error("host: http://h\ntasks: [ { get: health } ]\n"))
                .contains("tasks[0].get: path must start with '/', got 'health'");
        assertThat(error("host: http://h\ntasks: [ { get: /, expect: { status: 999 } } ]\n"))
                .contains("an HTTP status is between 100 and 599, got 999");
        assertThat(error("host: http://h\n")).contains("nothing to run");
    }

    @Test
    void aBatchIsATaskOrAStepOfRequestsEachWithItsOwnNameAndVersion() throws IOException {
        Plan plan = plan("""
                host: http://127.0.0.1:5001
                tasks:
                  - batch:
                      - { get: /css, name: css }
                      - { get: /js, version: "2", expect: { status: 200 } }
                  - name: flow
                    steps:
                      - { get: /login, version: "1.1" }
                      - batch: [ { get: /a }, { get: /b } ]
                """);
        List<Scenario.TaskSpec> tasks = ((Scenario.Declared) plan.scenario()).users().get(0).tasks();
        assertThat(tasks.get(0).name()).isEqualTo("batch 1");
        Scenario.BatchSpec page = (Scenario.BatchSpec) tasks.get(0).steps().get(0);
        assertThat(page.names()).containsExactly("css", "/js");
        assertThat(page.requests().get(1).version()).isEqualTo(HttpProtocol.HTTP_2);
        assertThat(page.requests().get(0).version()).isNull();
        assertThat(((Scenario.RequestSpec) tasks.get(1).steps().get(0)).version()).isEqualTo(HttpProtocol.HTTP_1_1);
        assertThat(tasks.get(1).steps().get(1).names()).containsExactly("/a", "/b");
    }

    @Test
    void batchMistakesNameTheirField() throws IOException {
        assertThat(error("host: http://h\ntasks: [ { get: /, batch: [ { get: /a } ] } ]\n"))
                .isEqualTo("plan.yaml:2:10: tasks[0]: a task has either a request (get:, post:, ...) or 'batch', not both");
        assertThat(error("host: http://h\ntasks: [ { batch: [] } ]\n"))
                .isEqualTo("plan.yaml:2:19: tasks[0].batch: needs at least one request");
        assertThat(error("host: http://h\ntasks: [ { batch: [ { get: /a, weight: 2 } ] } ]\n"))
                .startsWith("plan.yaml:2:40: tasks[0].batch[0]: unknown key 'weight'; valid keys: name, headers, body,");
        assertThat(error("host: http://h\ntasks: [ { steps: [ { batch: [ { get: /a } ], name: x } ] } ]\n"))
                .isEqualTo("plan.yaml:2:21: tasks[0].steps[0]: a batch step has 'batch' alone; each request in it has its"
                        + " own name, headers, expect, ...");
        assertThat(error("host: http://h\ntasks: [ { batch: [ { get: /a } ], version: \"2\" } ]\n"))
                .isEqualTo("plan.yaml:2:45: tasks[0].version: 'version' goes on each request of a task with batch, not on"
                        + " the task");
    }

    @Test
    void aTaskWithStepsRefusesWhatGoesOnEachRequest() throws IOException {
        assertThat(error("host: http://h\ntasks: [ { steps: [ { get: /a } ], headers: { X-A: \"1\" } } ]\n"))
                .isEqualTo("plan.yaml:2:45: tasks[0].headers: 'headers' goes on each request of a task with steps, not on"
                        + " the task (headers every request sends: http.headers)");
        assertThat(error("host: http://h\ntasks:\n  - steps: [ { post: /a } ]\n    body: x\n"))
                .isEqualTo("plan.yaml:4:11: tasks[0].body: 'body' goes on each request of a task with steps, not on the task");
        assertThat(error("host: http://h\ntasks:\n  - steps: [ { get: /a } ]\n    expect: { status: 200 }\n"))
                .isEqualTo("plan.yaml:4:13: tasks[0].expect: 'expect' goes on each request of a task with steps, not on"
                        + " the task");
        assertThat(error("host: http://h\ntasks:\n  - batch: [ { get: /a } ]\n    headers: { X-A: \"1\" }\n"))
                .startsWith("plan.yaml:4:14: tasks[0].headers: 'headers' goes on each request of a task with batch");
    }

    @Test
    void aWaitIsRefusedWithTheOpenModelItWouldNotPace() throws IOException {
        assertThat(error("""
                host: http://h
                load: { arrivalRate: 5, wait: { constant: 1s } }
                users:
                  - { name: a, wait: { pacing: 2s }, tasks: [ { get: / } ] }
                  - { name: b, tasks: [ { get: / } ] }
                """)).isEqualTo("plan.yaml:2:31: load.wait: a wait paces the users of the closed model; with arrivalRate the"
                + " clock starts each task (remove the wait, or give users instead)\n"
                + "plan.yaml:4:22: users[0].wait: a wait paces the users of the closed model; with arrivalRate the clock"
                + " starts each task (remove the wait, or give users instead)");
        Plan closed = plan("host: http://h\nload: { users: 2, wait: { constant: 1s } }\ntasks: [ { get: / } ]\n");
        assertThat(((Scenario.Declared) closed.scenario()).users().get(0).waitTime()).isEqualTo(WaitTime.constant(Duration.ofSeconds(1)));
    }

    @Test
    void eachStepCarriesItsOwnHeadersBodyAndExpect() throws IOException {
        Plan plan = plan("""
                host: http://127.0.0.1:5001
                http: { headers: { Accept: text/plain } }
                tasks:
                  - steps:
                      - { post: /login, headers: { X-A: "1" }, body: hi, expect: { status: 201 } }
                      - { get: /profile }
                """);
        List<Scenario.Step> steps = ((Scenario.Declared) plan.scenario()).users().get(0).tasks().get(0).steps();
        Scenario.RequestSpec login = (Scenario.RequestSpec) steps.get(0);
        assertThat(login.headers()).containsExactly(Map.entry("X-A", "1"));
        assertThat(login.body()).isEqualTo("hi");
        assertThat(login.expect().status()).containsExactly(201);
        Scenario.RequestSpec profile = (Scenario.RequestSpec) steps.get(1);
        assertThat(profile.headers()).isEmpty();
        assertThat(profile.body()).isNull();
        assertThat(plan.http().headers()).containsExactly(Map.entry("Accept", "text/plain"));
    }

    @Test
    void theOpenModel() throws IOException {
        Plan plan = plan("""
                host: http://127.0.0.1:5001
                load:
                  arrivalRate: 50
                  maxConcurrency: 200
                  stages: [ { duration: 10s, arrivalRate: 100 }, { duration: 5s, arrivalRate: 0 } ]
                tasks: [ { get: / } ]
                """);
        LoadModel.Open open = (LoadModel.Open) plan.load();
        assertThat(open.maxConcurrency()).isEqualTo(200);
        assertThat(open.rateAt(Duration.ZERO)).isEqualTo(50.0);
        assertThat(open.rateAt(Duration.ofSeconds(5))).isEqualTo(75.0);   // halfway up the first ramp
        assertThat(open.rateAt(Duration.ofMillis(12_500))).isEqualTo(50.0); // halfway down the second
        assertThat(open.rateAt(Duration.ofSeconds(15))).isNegative();      // the stages are over
        assertThat(plan.runTime()).contains(Duration.ofSeconds(15));
        assertThat(error("host: http://h\nload: { users: 5, arrivalRate: 10 }\ntasks: [ { get: / } ]\n"))
                .contains("users/spawnRate (closed model) and arrivalRate (open model) do not mix");
        assertThat(error("host: http://h\nload: { arrivalRate: 10, latencyFrom: later }\ntasks: [ { get: / } ]\n"))
                .contains("load.latencyFrom: latencyFrom is intended or actual, got 'later'");
        assertThat(error("host: http://h\nload: { arrivalRate: 0 }\ntasks: [ { get: / } ]\n"))
                .contains("the arrival rate is 0 throughout");
    }
}
