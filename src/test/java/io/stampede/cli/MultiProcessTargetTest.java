package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.EndToEnd;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real servers are several processes (gunicorn: a master and its workers, often behind a shell):
 * process faults act on all of them, say which pids they hit and whether they took effect, and no
 * process of the target outlives the run.
 */
@EndToEnd
class MultiProcessTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Pattern PIDS = Pattern.compile("process(?:es)?: ([\\d ]+)\\)");

    @TempDir
    Path dir;

    @BeforeEach
    void flaskApp() throws IOException {
        assumeThat(onPath("gunicorn")).as("gunicorn installed (run-tests installs it with python3-flask)").isTrue();
        Files.writeString(dir.resolve("app.py"), """
                from flask import Flask
                app = Flask(__name__)
                @app.route("/")
                def index():
                    return "hello"
                @app.route("/health")
                def health():
                    return "OK"
                """);
    }

    @Test
    void pauseStopAndRestartActOnTheMasterAndEveryWorker() throws Exception {
        int port = freePort();
        Path plan = plan("""
                targets:
                  app: { command: [gunicorn, -w, "2", -b, "127.0.0.1:%d", --chdir, "%s", "app:app"], url: "http://127.0.0.1:%d" }
                load: { users: 5, spawnRate: 100, runTime: 16s, wait: { constant: 50ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: pause, target: app, at: 2s, duration: 5s }
                  - { fault: stop, target: app, at: 8s, duration: 1s }
                  - { fault: restart, target: app, at: 12s }
                """.formatted(port, dir, port));
        List<Long> named = new ArrayList<>();
        try (StampedeProcess run = StampedeProcess.start(dir, "run", "--headless", plan.toString(), "--results", results())) {
            // the pause lasts 5 s so that a loaded machine still finds every process stopped here
            run.await("the pause", LIMIT, () -> run.stdout().contains("pause#1 injected on app"));
            List<Long> paused = pids(run.stdout(), "pause#1 injected on app");
            assertThat(paused).hasSize(3); // master and 2 workers, all in its group
            assertThat(paused).allMatch(pid -> state(pid) == 'T');
            assertThat(run.waitFor(LIMIT)).as(run.stderr()).isZero();
            named.addAll(paused);
        }
        List<JsonNode> events = events();
        assertThat(detail(events, "FAULT_INJECTED", "app"))
                .matches("group (\\d+) \\(3 processes: \\1 \\d+ \\d+\\), SIGSTOP, all stopped, for 5s");
        List<String> faults = events.stream().filter(e -> e.get("kind").asText().equals("FAULT_INJECTED"))
                .map(e -> e.get("detail").asText()).toList();
        assertThat(faults).hasSize(3);
        assertThat(faults.get(1)).matches("group (\\d+) \\(3 processes: \\1 \\d+ \\d+\\) stopped, all gone, port " + port
                + " refusing, for 1s");
        // (the workers a master started after the stop's rollback may not all be up yet on a busy machine)
        assertThat(faults.get(2)).matches("group (\\d+) \\(\\d process(es)?: \\1[\\d ]*\\) stopped -> pid \\d+");
        assertThat(events).noneMatch(e -> e.get("kind").asText().equals("FAULT_FAILED"));
        for (String fault : faults.subList(1, 3)) {
            named.addAll(pids(fault, ""));
        }
        events.stream().filter(e -> e.get("kind").asText().equals("TARGET_STARTED"))
                .forEach(e -> named.add(Long.parseLong(e.get("detail").asText().replace("pid ", ""))));
        // users' requests hang for the whole pause: the worst second's p99 shows it
        JsonNode summary = JSON.readTree(resultsFolder().resolve("summary.json").toFile());
        double worstP99 = 0;
        for (JsonNode point : summary.get("points")) {
            worstP99 = Math.max(worstP99, point.get("p99Millis").asDouble());
        }
        assertThat(worstP99).isGreaterThanOrEqualTo(2500);
        assertNothingLeft(named, port);
    }

    @Test
    void aKillThroughAShellWrapperTakesTheServiceDownAndBackAndNothingOutlivesTheRun() throws Exception {
        int port = freePort();
        // no exec, and a command after gunicorn: the shell stays gunicorn's parent, as in most wrapper scripts
        Path plan = plan("""
                targets:
                  app:
                    command: [bash, -c, "gunicorn -w 2 -b 127.0.0.1:%d --chdir '%s' app:app; echo gunicorn ended"]
                    url: "http://127.0.0.1:%d"
                    restart: { policy: always, delay: 500ms }
                load: { users: 5, spawnRate: 100, runTime: 9s, wait: { constant: 50ms } }
                tasks: [ { get: / } ]
                chaos:
                  - { fault: kill, target: app, at: 3s }
                """.formatted(port, dir, port));
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "--headless", plan.toString(), "--results", results());
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        List<JsonNode> events = events();
        JsonNode kill = event("FAULT_INJECTED");
        assertThat(kill.get("detail").asText()).matches("group (\\d+) \\(4 processes: \\1 \\d+ \\d+ \\d+\\), SIGKILL, all gone");
        long killedAt = kill.get("epochMillis").asLong();
        assertThat(events).anyMatch(e -> e.get("kind").asText().equals("TARGET_EXITED")
                && e.get("detail").asText().contains("killed by SIGKILL"));
        assertThat(events).anyMatch(e -> e.get("kind").asText().equals("TARGET_HEALTHY") && e.get("epochMillis").asLong() > killedAt);
        assertThat(events.stream().filter(e -> e.get("kind").asText().equals("TARGET_STARTED")).count()).isEqualTo(2);
        assertThat(events).noneMatch(e -> e.get("detail").asText().contains("starting anyway"));
        JsonNode summary = JSON.readTree(resultsFolder().resolve("summary.json").toFile());
        assertThat(summary.at("/totals/failures").asLong()).isGreaterThan(0);
        JsonNode points = summary.get("points");
        assertThat(points.get(points.size() - 2).get("failures").asLong()).as("healthy again at the end").isZero();

        List<Long> named = new ArrayList<>(pids(kill.get("detail").asText(), ""));
        events.stream().filter(e -> e.get("kind").asText().equals("TARGET_STARTED"))
                .forEach(e -> named.add(Long.parseLong(e.get("detail").asText().replace("pid ", ""))));
        assertNothingLeft(named, port);
    }

    @Test
    void processTargetsArePausedByScopeAndAFaultWithoutEffectSaysSo() throws Exception {
        int port = freePort();
        Process gunicorn = new ProcessBuilder("setsid", "gunicorn", "-w", "2", "-b", "127.0.0.1:" + port, "--chdir",
                dir.toString(), "app:app").redirectErrorStream(true).redirectOutput(dir.resolve("gunicorn.log").toFile()).start();
        Process shell = new ProcessBuilder("setsid", "bash", "-c", "sleep 300 & sleep 300 & wait").start();
        Process doomed = new ProcessBuilder("sleep", "300").start();
        try {
            Waiting.await("gunicorn's two workers").atMost(LIMIT).until(() -> gunicorn.descendants().count() == 2 && !refuses(port));
            Waiting.await("the shell's two children").atMost(LIMIT).until(() -> shell.descendants().count() == 2);
            Path plan = plan("""
                    targets:
                      web: { pid: %d, scope: tree, url: "http://127.0.0.1:%d" }
                      master: { pid: %d, scope: process, url: "http://127.0.0.1:%d" }
                      shell: { pid: %d, scope: group }
                      doomed: { pid: %d, scope: process }
                    load: { users: 2, spawnRate: 100, runTime: 8s, wait: { constant: 100ms } }
                    tasks: [ { get: / } ]
                    chaos:
                      - { fault: pause, target: web, at: 1s, duration: 3s }
                      - { fault: pause, target: shell, at: 1s, duration: 3s }
                      - { fault: kill, target: doomed, at: 1s }
                      - { fault: kill, target: doomed, at: 3s }
                      - { fault: pause, target: master, at: 5s, duration: 2s }
                    """.formatted(gunicorn.pid(), port, gunicorn.pid(), port, shell.pid(), doomed.pid()));
            List<Long> web;
            List<Long> group;
            try (StampedeProcess run = StampedeProcess.start(dir, "run", "--headless", plan.toString(), "--results", results())) {
                run.await("both pauses", LIMIT, () -> run.stdout().contains("injected on web") && run.stdout().contains("injected on shell"));
                web = pids(run.stdout(), "injected on web");
                group = pids(run.stdout(), "injected on shell");
                assertThat(web).hasSize(3).allMatch(pid -> state(pid) == 'T');
                assertThat(group).hasSize(3).allMatch(pid -> state(pid) == 'T');
                assertThat(run.waitFor(LIMIT)).as(run.stderr()).isZero();
            }
            assertThat(web).first().isEqualTo(gunicorn.pid());
            assertThat(group).first().isEqualTo(shell.pid());
            assertThat(web).allMatch(pid -> state(pid) != 'T');
            assertThat(group).allMatch(pid -> state(pid) != 'T');

            List<JsonNode> events = events();
            assertThat(detail(events, "FAULT_INJECTED", "web")).startsWith("tree of " + gunicorn.pid() + " (3 processes: ")
                    .endsWith("SIGSTOP, all stopped, for 3s");
            assertThat(detail(events, "FAULT_INJECTED", "shell")).startsWith("group " + shell.pid() + " (3 processes: ")
                    .endsWith("SIGSTOP, all stopped, for 3s");
            assertThat(detail(events, "FAULT_INJECTED", "doomed")).isEqualTo("pid " + doomed.pid() + ", SIGKILL, all gone");
            // a second kill of the dead process, and a pause of the master alone while its workers answer
            // (on a busy machine the two kills may fire together: then the second finds it gone before its signal)
            assertThat(detail(events, "FAULT_FAILED", "doomed"))
                    .isIn("no effect: no process running", "no effect: pid " + doomed.pid() + " gone before SIGKILL");
            assertThat(detail(events, "FAULT_FAILED", "master"))
                    .startsWith("no effect: pid " + gunicorn.pid() + ", SIGSTOP, all stopped, but http://127.0.0.1:" + port + " still answers: "
                            + "2 descendants outside scope process keep running: ");
            assertThat(events).noneMatch(e -> e.get("kind").asText().equals("FAULT_INJECTED") && e.get("target").asText().equals("master"));
            assertThat(state(gunicorn.pid())).isNotEqualTo('T');
            JsonNode summary = JSON.readTree(resultsFolder().resolve("summary.json").toFile());
            List<String> judged = new ArrayList<>();
            summary.at("/verdict/faults").forEach(f -> judged.add(f.get("target").asText()));
            assertThat(judged).as("a fault without effect is not judged as one the service absorbed")
                    .containsExactlyInAnyOrder("web", "shell", "doomed");
        } finally {
            for (Process p : List.of(gunicorn, shell)) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor(); // the groups this test created
            }
            doomed.destroyForcibly();
        }
    }

    @Test
    void aScopeThatHoldsStampedesOwnGroupIsRefused() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "300").start(); // shares the group Stampede is started in
        try {
            Path plan = plan("""
                    targets:
                      sleeper: { pid: %d, scope: group }
                    host: http://127.0.0.1:1
                    tasks: [ { get: / } ]
                    """.formatted(sleeper.pid()));
            StampedeProcess.Result result = StampedeProcess.inProcess("run", "--headless", plan.toString(), "--no-results");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).matches("(?s)stampede: target sleeper: scope group: group \\d+ is Stampede's own process group\\s*");
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void assertNothingLeft(List<Long> named, int port) throws IOException {
        assertThat(named).isNotEmpty().allMatch(pid -> state(pid) == 'Z' || state(pid) == '-');
        assertThat(refuses(port)).as("port %d free", port).isTrue();
        // and no process at all still runs with this test's port on its command line
        List<String> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String command = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (command.contains("127.0.0.1:" + port) && state(pid) != 'Z' && pid != ProcessHandle.current().pid()) {
                        left.add(pid + " " + command);
                    }
                } catch (IOException gone) {
                    // exited while listing
                }
            }
        }
        assertThat(left).isEmpty();
    }

    private static List<Long> pids(String text, String after) {
        String from = text.substring(text.indexOf(after));
        Matcher m = PIDS.matcher(from);
        assertThat(m.find()).as(from).isTrue();
        return Arrays.stream(m.group(1).split(" ")).map(Long::parseLong).toList();
    }

    /** The state letter in /proc/PID/stat, or '-' when there is no such process. */
    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '-';
        }
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return e instanceof ConnectException;
        }
    }


    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program)));
    }

    private Path plan(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String results() {
        return dir.resolve("results").toString();
    }

    private Path resultsFolder() throws IOException {
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            return folders.findFirst().orElseThrow();
        }
    }

    private List<JsonNode> events() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(resultsFolder().resolve("events.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private JsonNode event(String kind) throws IOException {
        return events().stream().filter(e -> e.get("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static String detail(List<JsonNode> events, String kind, String target) {
        return events.stream().filter(e -> e.get("kind").asText().equals(kind) && e.get("target").asText().equals(target))
                .map(e -> e.get("detail").asText()).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " on " + target));
    }
}
