package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.EndToEnd;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends with one clear message, exit code 2 (3 when the run cannot happen), no stack trace.
 * Most cases go through {@link Main#execute}, the path {@code main} hands its exit code to, in this
 * JVM: a refusal reads its input and stops, so a JVM start per case would cost more than the case.
 * A few run as real processes, to prove the exit code and stderr a user sees.
 */
@EndToEnd
class BadInputTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** For a process that compiles a Java scenario before it refuses the run, on a machine at load 50 and more. */
    private static final Duration REFUSAL_LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    /** A real {@code stampede} process. */
    private StampedeProcess.Result process(String... args) throws Exception {
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, args);
        assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        return result;
    }

    /** The same command line through Main's exit-code path in this JVM. */
    private static StampedeProcess.Result stampede(String... args) throws InterruptedException {
        return StampedeProcess.inProcess(args);
    }

    /** Each command in this JVM, in order. */
    private static List<StampedeProcess.Result> together(String[]... commands) throws InterruptedException {
        List<StampedeProcess.Result> results = new ArrayList<>();
        for (String[] command : commands) {
            results.add(stampede(command));
        }
        return results;
    }

    private void assertBadInput(StampedeProcess.Result result, String message) {
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).contains(message);
    }

    @Test
    void missingPlanFile() throws Exception {
        assertBadInput(process("run", "no-such-plan.yaml"), "no-such-plan.yaml: plan file not found");
    }

    @Test
    void missingScenarioFile() throws Exception {
        assertBadInput(stampede("run", "-f", "NoSuch.java", "-H", "http://127.0.0.1:1"), "-f/--file: file not found: NoSuch.java");
    }

    @Test
    void badFlagValuesNameTheFlag() throws Exception {
        String[] base = {"run", "-f", "examples/WebsiteUser.java", "-H", "http://127.0.0.1:5001"};
        List<StampedeProcess.Result> results = together(concat(base, "-u", "0"), concat(base, "-u", "-3"), concat(base, "-r", "0"),
                concat(base, "-t", "soon"), new String[] {"run", "-f", "examples/WebsiteUser.java", "-H", "127.0.0.1:5001"},
                new String[] {"run", "--no-such-flag"});
        assertBadInput(results.get(0), "-u/--users: users must be at least 1, got 0");
        assertBadInput(results.get(1), "-u/--users: users must be at least 1, got -3");
        assertBadInput(results.get(2), "-r/--spawn-rate: spawn rate must be greater than 0, got 0");
        assertBadInput(results.get(3), "-t/--run-time: 'soon' is not a duration");
        assertBadInput(results.get(4), "-H/--host: '127.0.0.1:5001' needs a scheme: http://127.0.0.1:5001");
        assertBadInput(results.get(5), "Unknown option: '--no-such-flag'");
    }

    @Test
    void aBadExpectWorkersMaxWaitIsOneLine() throws Exception {
        String[] base = {"run", "-f", "examples/WebsiteUser.java", "-H", "http://127.0.0.1:5001", "--headless", "--no-results"};
        List<StampedeProcess.Result> results = together(concat(base, "--master", "--expect-workers-max-wait", "soon"),
                concat(base, "--master", "--expect-workers-max-wait", "0s"), concat(base, "--master", "--expect-workers-max-wait", "-5s"),
                concat(base, "--expect-workers-max-wait", "30s"));
        assertBadInput(results.get(0), "stampede: --expect-workers-max-wait: 'soon' is not a duration");
        assertBadInput(results.get(1), "stampede: --expect-workers-max-wait: must be more than 0, got 0s");
        assertBadInput(results.get(2), "stampede: --expect-workers-max-wait: '-5s' is negative");
        assertBadInput(results.get(3), "stampede: --expect-workers, --expect-workers-max-wait, --master-bind-host and"
                + " --master-bind-port need --master");
        for (StampedeProcess.Result result : results) {
            assertThat(result.stderr()).hasLineCount(1);
        }
    }

    @Test
    void planFileErrorsNameFileLineAndField() throws Exception {
        Path plan = dir.resolve("bad.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:5001\nload:\n  users: many\ntasks: [ { get: / } ]\n");
        assertBadInput(stampede("run", plan.toString()), plan + ":3:10: load.users: users must be a whole number, got 'many'");
        Files.writeString(plan, "host: http://127.0.0.1:5001\nlaod: { users: 1 }\n");
        assertBadInput(stampede("run", plan.toString()), plan + ":2:7: unknown key 'laod'; valid keys: name, host, targets, load");
    }

    @Test
    void aRequestsVersionIsNamedWithItsTaskAndStep() throws Exception {
        Path plan = dir.resolve("version.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:5001\ntasks:\n  - { get: /, version: \"3\" }\n"
                + "  - steps:\n      - { get: /a, version: http/3 }\n");
        StampedeProcess.Result result = stampede("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(
                "stampede: " + plan + ":3:24: tasks[0].version: expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '3'\n"
                + "stampede: " + plan + ":5:29: tasks[1].steps[0].version: expected \"1.1\", \"2\" (or h2, h2c) or \"auto\","
                + " got 'http/3'\n");
    }

    @Test
    void aPortOutOfRangeGetsOneMessageWhereverItIsWritten() throws Exception {
        String range = "port 99999 is out of range 1..65535";
        Path plan = dir.resolve("ports.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:99999\ntargets:\n  app: { address: \"127.0.0.1:99999\" }\ntasks: [ { get: / } ]\n");
        List<StampedeProcess.Result> results = together(
                new String[] {"run", "-f", "examples/WebsiteUser.java", "-H", "http://127.0.0.1:99999", "--headless", "--no-results"},
                new String[] {"run", plan.toString(), "--headless", "--no-results", "--web-port", "99999"},
                new String[] {"run", "-f", "examples/WebsiteUser.java", "-H", "ftp://x"},
                new String[] {"demo", "--service-port", "99999"},
                new String[] {"target", "--port", "99999"},
                new String[] {"proxy", "--port", "99999"});
        assertThat(results.get(0).stderr()).isEqualTo("stampede: -H/--host: " + range + "\n");
        StampedeProcess.Result result = results.get(1);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + plan + ":1:7: host: " + range + "\n"
                + "stampede: " + plan + ":3:19: targets.app.address: " + range + "\n"
                + "stampede: --web-port: port 99999 is out of range 0..65535\n");
        assertBadInput(results.get(2), "stampede: -H/--host: 'ftp://x' has the scheme ftp; Stampede speaks http:// and https://");
        assertBadInput(results.get(3), "stampede: --service-port: port 99999 is out of range 0..65535");
        assertBadInput(results.get(4), "stampede: --port: port 99999 is out of range 0..65535");
        assertBadInput(results.get(5), "stampede: --port: port 99999 is out of range 0..65535");
    }

    @Test
    void anUnclosedIpv6AddressIsNamedWhereverItIsWritten() throws Exception {
        String unclosed = "opens an IPv6 address with '[' but does not close it";
        Path plan = dir.resolve("ipv6.yaml");
        Files.writeString(plan, """
                host: "http://[::1:5001"
                targets:
                  app: { address: "[::1" }
                http:
                  tls: { hosts: { "[::1": { insecure: true } } }
                tasks: [ { get: / } ]
                """);
        String[] run = {"run", "-f", "examples/WebsiteUser.java", "--dry-run", "-H"};
        List<StampedeProcess.Result> results = together(new String[] {"run", plan.toString(), "--dry-run"},
                concat(run, "http://[::1"), concat(run, "http://::1:5001"), concat(run, "http://[::1]:5001", "--web-host", "[::1"),
                new String[] {"worker", "--master-host", "[::1"}, new String[] {"proxy", "--host", "[::1"},
                new String[] {"target", "--host", "::1]"});
        assertThat(results.get(0).exitCode()).isEqualTo(2);
        assertThat(results.get(0).stderr()).isEqualTo("stampede: " + plan + ":1:7: host: 'http://[::1:5001' " + unclosed + "\n"
                + "stampede: " + plan + ":3:19: targets.app.address: '[::1' " + unclosed + "\n"
                + "stampede: " + plan + ":5:27: http.tls.hosts.[::1: a host is name or name:port (as in the URL), got '[::1'\n");
        assertBadInput(results.get(1), "stampede: -H/--host: 'http://[::1' " + unclosed + "\n");
        assertBadInput(results.get(2), "stampede: -H/--host: 'http://::1:5001': an IPv6 address goes in brackets, e.g. [::1]:8080\n");
        assertBadInput(results.get(3), "stampede: --web-host: '[::1' " + unclosed + "\n");
        assertBadInput(results.get(4), "stampede: --master-host: '[::1' " + unclosed + "\n");
        assertBadInput(results.get(5), "stampede: --host: '[::1' " + unclosed + "\n");
        assertBadInput(results.get(6), "stampede: --host: '::1]' is not an IPv6 address\n");
    }

    @Test
    void aTaskWithStepsRefusesWhatGoesOnEachRequest() throws Exception {
        Path plan = dir.resolve("steps.yaml");
        Files.writeString(plan, """
                host: http://127.0.0.1:5001
                tasks:
                  - name: login flow
                    headers: { Authorization: Bearer x }
                    steps: [ { post: /login, body: "" }, { get: /profile } ]
                  - batch: [ { get: /css }, { get: /js } ]
                    expect: { status: 200 }
                """);
        StampedeProcess.Result result = stampede("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + plan + ":4:14: tasks[0].headers: 'headers' goes on each request of"
                + " a task with steps, not on the task (headers every request sends: http.headers)\n"
                + "stampede: " + plan + ":7:13: tasks[1].expect: 'expect' goes on each request of a task with batch, not on the task\n");
        Files.writeString(plan, """
                host: http://127.0.0.1:5001
                http: { headers: { Authorization: Bearer x } }
                tasks:
                  - name: login flow
                    steps: [ { post: /login, body: "", headers: { X-Step: "1" } }, { get: /profile, expect: { status: 200 } } ]
                """);
        StampedeProcess.Result accepted = stampede("run", plan.toString(), "--dry-run");
        assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    }

    @Test
    void aWaitWithTheOpenModelIsRefused() throws Exception {
        Path plan = dir.resolve("open.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:5001\nload: { users: 5, wait: { constant: 1s } }\ntasks: [ { get: / } ]\n");
        assertBadInput(stampede("run", plan.toString(), "--dry-run", "--arrival-rate", "10"), "stampede: " + plan
                + ":2:25: load.wait: a wait paces the users of the closed model; with arrivalRate the clock starts each task");
    }

    @Test
    void resultsThatCouldNotBeWrittenAreRefusedAtStart() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "");
        String[] base = {"run", "-f", "examples/WebsiteUser.java", "-H", "http://127.0.0.1:5001", "--headless"};
        List<StampedeProcess.Result> results = together(concat(base, "--results", file.toString()),
                concat(base, "--csv", file.resolve("lab").toString()), concat(base, "--name", "n".repeat(300)));
        StampedeProcess.Result result = results.get(0);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: --results: " + file + " is a file, not a folder; results go in a folder\n");
        result = results.get(1);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: --csv: " + file + " is a file, not a folder; results go in a folder\n");
        result = results.get(2);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: --name: a run name is at most 200 characters (it names the results"
                + " folder, and a file name is at most 255 bytes), got 300\n");
    }

    @Test
    void hostileSizesAreRefusedBeforeTheyAreRead() throws Exception {
        Path plan = dir.resolve("huge.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:5001\ntasks: [ " + "{ get: / }, ".repeat(1_000_000) + "{ get: / } ]\n");
        StampedeProcess.Result result = stampede("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + plan
                + ": the plan file is 11.4 MiB (12,000,050 bytes); a plan file is at most 1 MiB\n");
    }

    @Test
    void everyLineOfAMessageStartsWithStampede() throws Exception {
        Path plan = dir.resolve("threshold.yaml");
        Files.writeString(plan, "host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\nthresholds:\n  http_req_duration: [\"p(95)<abc\"]\n");
        StampedeProcess.Result result = process("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).hasSizeGreaterThan(1).allMatch(line -> line.startsWith("stampede: "));
    }

    @Test
    void compileErrorsInTheScenarioFile() throws Exception {
        Path scenario = dir.resolve("Typo.java");
        Files.writeString(scenario, "import io.stampede.api.*;\npublic class Typo extends User {\n  @Task public void go() { http().get(\"/\") }\n}\n");
        assertBadInput(stampede("run", "-f", scenario.toString(), "-H", "http://127.0.0.1:5001"), scenario + ":3:");
    }

    @Test
    void unreachableHostCannotBeRun() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        StampedeProcess.Result result = process("run", "-f", "examples/WebsiteUser.java",
                "-H", "http://127.0.0.1:" + closedPort, "-t", "5s", "--no-results", "--headless");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("cannot reach http://127.0.0.1:" + closedPort + ": Connection refused");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /**
     * A real process under {@code ulimit -n 400}, started as every child of these tests is (C1, the serial
     * collector, the shared class archive): a JVM with both compilers and no archive, compiling the
     * scenario, took most of a minute at load 50.
     */
    @Test
    void moreUsersThanOpenFilesStopsAtOnceWithOneMessage() throws Exception {
        DemoService service = new DemoService(
                DemoOptions.defaults().withPort(0));
        service.start();
        try (StampedeProcess process = StampedeProcess.startWrapped(List.of("sh", "-c", "ulimit -n 400 && exec \"$@\"", "sh"), dir,
                Map.of(), "run", "-f", "examples/WebsiteUser.java", "-H", service.baseUrl(), "-u", "1000", "-r", "1000", "-t", "30s",
                "--headless", "--no-results")) {
            StampedeProcess.Result result = process.finish(REFUSAL_LIMIT);
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
            assertThat(result.stderr()).contains("1000 users need about").contains("but this process may open 400 (ulimit -n")
                    .doesNotContain("\tat ");
        } finally {
            service.close();
        }
    }
}
