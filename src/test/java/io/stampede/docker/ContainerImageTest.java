package io.stampede.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stampede.StampedeException;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Stampede's image built offline by deploy/build-image.sh (a jlink'd runtime on an empty root, no base
 * image pulled) runs as the manifests run it: as uid 10001 on a read-only root with /tmp and the results
 * writable, the plan mounted read-only; a Java scenario compiles in it and loads a service on the host's loopback;
 * and deploy/compose.yaml runs a coordinator and three workers of it to one verdict.
 */
@Execution(ExecutionMode.CONCURRENT) // One image for the class; each test its own container or compose project and service: two at a time.
class ContainerImageTest {

    static final Path BUILD = Path.of("deploy/build-image.sh");
    static final Path COMPOSE = Path.of("deploy/compose.yaml");
    private static final Pattern FINISHED = Pattern.compile("(\\d+) requests, (\\d+) failures");
    static final Path CLASSPATH_FILE = Path.of("target/runtime-classpath.txt");
    static final long BUILD_TIMEOUT_SECONDS = 900;
    static final long RUN_TIMEOUT_SECONDS = 300;
    static final String TAG = "stampede:test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    record Result(int code, String output) {
    }

    @BeforeAll
    static void buildImage() throws Exception {
        try {
            DockerEngine.connect();
        } catch (StampedeException e) {
            String why = "the image test needs a Docker engine (./run-tests starts one in CI): " + e.getMessage();
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        String classpath = "target/classes:" + Files.readString(CLASSPATH_FILE).strip();
        ProcessBuilder build = new ProcessBuilder("bash", BUILD.toString(), TAG);
        build.environment().put("STAMPEDE_CLASSPATH", classpath);
        Result built = run(build, BUILD_TIMEOUT_SECONDS);
        assertThat(built.code()).as(built.output()).isZero();
    }

    @AfterAll
    static void removeImage() throws Exception {
        run(new ProcessBuilder("docker", "rmi", "-f", TAG), RUN_TIMEOUT_SECONDS);
    }

    @Test
    void printsItsVersion() throws Exception {
        Result version = run(new ProcessBuilder("docker", "run", "--rm", "--network", "none", TAG, "--version"), RUN_TIMEOUT_SECONDS);
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(version.output().lines()).as(version.output()).anyMatch(line -> line.startsWith("stampede "));
    }

    @Test
    void runsAJavaScenarioHeadlessAgainstALoopbackService(@TempDir Path dir) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        String container = "stampede-image-test-" + System.nanoTime();
        try {
            Path plan = Files.createDirectories(dir.resolve("plan"));
            Files.writeString(plan.resolve("plan.yaml"), "host: http://127.0.0.1:" + service.getAddress().getPort() + "\n"
                    + "scenario: Shop.java\nload: { users: 2, spawnRate: 2, runTime: 3s }\n");
            Files.writeString(plan.resolve("Shop.java"), """
                    import io.stampede.api.Task;
                    import io.stampede.api.User;
                    public class Shop extends User {
                        @Task public void index() { http().get("/"); }
                    }
                    """);
            Path results = Files.createDirectories(dir.resolve("results"));
            Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("rwxrwxrwx")); // the image's user writes there
            List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--name", container, "--network", "host",
                    "--read-only", "--tmpfs", "/tmp", "--user", "10001:10001", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
                    "-v", plan + ":/etc/stampede/plan:ro", "-v", results + ":/work/results", TAG,
                    "run", "/etc/stampede/plan/plan.yaml", "--headless", "--results", "/work/results"));
            Result run = run(new ProcessBuilder(command), RUN_TIMEOUT_SECONDS);
            assertThat(run.code()).as(run.output()).isZero();
            assertThat(requests.get()).as(run.output()).isPositive();
            try (var runs = Files.list(results)) {
                Path only = runs.findFirst().orElseThrow();
                assertThat(only.resolve("summary.json")).exists();
            }
        } finally {
            service.stop(0);
            run(new ProcessBuilder("docker", "rm", "-f", container), RUN_TIMEOUT_SECONDS);
        }
    }

    /**
     * The image's PID 1 waits for what it inherits: a process orphaned in the container (a JVM that starts a child
     * and exits at once, as a target or fault command that leaves one behind) is reaped when it ends, not left a
     * zombie, as it was when the JVM was PID 1 (it waits only for the children it started). The container's
     * processes are read from the host's /proc: the tree under its first process.
     */
    @Test
    void anOrphanedProcessIsReapedNotLeftAZombie(@TempDir Path dir) throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.writeString(tools.resolve("Orphan.java"), """
                public class Orphan {
                    public static void main(String[] args) throws Exception {
                        if (args.length > 0) {
                            Thread.sleep(Long.parseLong(args[0]));
                            return;
                        }
                        new ProcessBuilder("/opt/java/bin/java", "/tools/Orphan.java", "%d").start();
                        Runtime.getRuntime().halt(0); // the child's parent is gone: it goes to the container's PID 1
                    }
                }
                """.formatted(ORPHAN_LIFE.toMillis()));
        Files.setPosixFilePermissions(tools, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tools.resolve("Orphan.java"), PosixFilePermissions.fromString("rw-r--r--"));
        String container = "stampede-image-reap-" + System.nanoTime();
        try {
            // a Stampede that stays: a worker that keeps trying to reach a coordinator that is not there
            Result started = run(new ProcessBuilder("docker", "run", "-d", "--name", container, "--network", "none", "--read-only",
                    "--tmpfs", "/tmp", "--user", "10001:10001", "--cap-drop", "ALL", "-v", tools + ":/tools:ro", TAG, "worker",
                    "--master-host", "127.0.0.1", "--connect-timeout", "600s"), RUN_TIMEOUT_SECONDS);
            assertThat(started.code()).as(started.output()).isZero();
            Result inspected = run(new ProcessBuilder("docker", "inspect", "-f", "{{.State.Pid}}", container), RUN_TIMEOUT_SECONDS);
            assertThat(inspected.code()).as(inspected.output()).isZero();
            long first = Long.parseLong(inspected.output().strip());
            Waiting.await("the worker's JVM").until(() -> processTree(first).stream().anyMatch(process -> process.endsWith(" java")));
            int before = processTree(first).size();

            Result orphaned = run(new ProcessBuilder("docker", "exec", container, "/opt/java/bin/java", "/tools/Orphan.java"),
                    RUN_TIMEOUT_SECONDS);
            assertThat(orphaned.code()).as(orphaned.output()).isZero();
            assertThat(processTree(first)).as("the orphan, under the container's first process").hasSize(before + 1);
            Waiting.await("the orphan ended and reaped").atMost(ORPHAN_LIFE.plus(Waiting.LIMIT))
                    .until(() -> processTree(first).size() == before);
            assertThat(processTree(first)).noneMatch(process -> process.contains(" Z "));
        } finally {
            run(new ProcessBuilder("docker", "rm", "-f", container), RUN_TIMEOUT_SECONDS);
        }
    }

    /** How long the orphan lives once orphaned: long enough to be seen in the tree on a busy machine. */
    private static final Duration ORPHAN_LIFE = Duration.ofSeconds(20);

    /** {@code root} and every process under it, each "pid state name" from the host's /proc, {@code root} first. */
    static List<String> processTree(long root) throws IOException {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, String> described = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue; // ended while listed
                }
                int close = stat.lastIndexOf(')'); // the name may hold spaces and parentheses
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String[] after = stat.substring(close + 2).split(" ");
                long pid = Long.parseLong(entry.getFileName().toString());
                described.put(pid, pid + " " + after[0] + " " + name);
                children.computeIfAbsent(Long.parseLong(after[1]), k -> new ArrayList<>()).add(pid);
            }
        }
        List<String> tree = new ArrayList<>();
        Deque<Long> next = new ArrayDeque<>(List.of(root));
        while (!next.isEmpty()) {
            long pid = next.removeFirst();
            if (described.containsKey(pid)) {
                tree.add(described.get(pid));
            }
            next.addAll(children.getOrDefault(pid, List.of()));
        }
        return tree;
    }

    /**
     * deploy/compose.yaml as the README runs it, with this image: a coordinator and {@code --scale
     * worker=3}, host networking, a plan mounted read-only; the run's verdict is the coordinator's exit
     * code, and three workers took part. Removed after with {@code down -v}, whatever happened.
     */
    @Test
    void composeRunsACoordinatorAndThreeWorkersToOneVerdict(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("docker-compose"), "docker-compose is not installed (./run-tests installs it)");
        AtomicInteger served = new AtomicInteger();
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        service.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        String project = "stampede-compose-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path plan = Files.createDirectories(dir.resolve("plan"));
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("rwxrwxrwx")); // the image's user writes there
        Map<String, String> env = Map.of("STAMPEDE_IMAGE", TAG, "STAMPEDE_CLUSTER_TOKEN", "compose-" + System.nanoTime(),
                "STAMPEDE_WORKERS", "3", "STAMPEDE_PLAN_DIR", plan.toString(), "STAMPEDE_PLAN", "plan.yaml",
                "STAMPEDE_RESULTS_DIR", results.toString(), "STAMPEDE_MASTER_PORT", String.valueOf(freePort()));
        try {
            Files.writeString(plan.resolve("plan.yaml"), "host: http://127.0.0.1:" + service.getAddress().getPort() + "\n"
                    + "scenario: Shop.java\nload: { users: 6, spawnRate: 100, runTime: 5s }\n");
            Files.writeString(plan.resolve("Shop.java"), """
                    import io.stampede.api.*;
                    import java.time.Duration;
                    public class Shop extends User {
                        @Override public WaitTime waitTime() { return WaitTime.constant(Duration.ofMillis(50)); }
                        @Task public void index() { http().get("/"); }
                    }
                    """);
            Result up = run(compose(project, env, "up", "--scale", "worker=3", "--abort-on-container-exit", "--exit-code-from",
                    "coordinator"), RUN_TIMEOUT_SECONDS);
            assertThat(up.code()).as(up.output()).isZero();
            Path folder;
            try (var runs = Files.list(results)) {
                folder = runs.findFirst().orElseThrow(() -> new AssertionError("no results folder\n" + up.output()));
            }
            List<String> finished = Files.readAllLines(folder.resolve("events.jsonl")).stream()
                    .filter(line -> line.contains("\"WORKER_FINISHED\"")).toList();
            assertThat(finished).as(up.output()).hasSize(3);
            long sum = 0;
            for (String line : finished) {
                Matcher counts = FINISHED.matcher(line);
                assertThat(counts.find()).as(line).isTrue();
                assertThat(Long.parseLong(counts.group(1))).as(line).isPositive();
                sum += Long.parseLong(counts.group(1));
            }
            JsonNode summary = new ObjectMapper().readTree(folder.resolve("summary.json").toFile());
            assertThat(summary.at("/totals/requests").asLong()).isEqualTo(sum);
            assertThat((long) served.get()).isGreaterThanOrEqualTo(sum - summary.at("/totals/failures").asLong());
        } finally {
            service.stop(0);
            run(compose(project, env, "down", "-v", "--remove-orphans"), RUN_TIMEOUT_SECONDS);
        }
    }

    private static ProcessBuilder compose(String project, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", COMPOSE.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder;
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    static Result run(ProcessBuilder builder, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail(String.join(" ", builder.command()) + ": no exit within " + timeoutSeconds + " s");
        }
        reader.join();
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
