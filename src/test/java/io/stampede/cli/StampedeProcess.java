package io.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** Runs {@code stampede ...} as a real child process, the way a user does, with its output in files. */
final class StampedeProcess implements AutoCloseable {

    /**
     * What the demo service's child JVM runs with too: the C1 compiler alone and the serial
     * collector. Most of these processes live a few seconds, so JIT and GC threads that pay off in a
     * long run only cost start-up CPU here: a dry run of examples/lab13.yaml took 1.35 s of CPU
     * against 1.86 (mean of 5, /usr/bin/time's user + sys, on a loaded machine). The runs' loads are light.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** Generous for input that is read and refused, on a loaded machine (a scenario compiled first, say). */
    private static final Duration IN_PROCESS_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private StampedeProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static StampedeProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    static StampedeProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return startWrapped(List.of(), workDir, env, args);
    }

    /** The same, started by {@code wrapper} (e.g. {@code ip netns exec NAME}), which must exec the JVM in its place. */
    static StampedeProcess startWrapped(List<String> wrapper, Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        ChildClassData.Launch launch = ChildClassData.launch();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(JVM_OPTIONS);
        command.addAll(launch.options());
        command.add("-cp");
        command.add(launch.classPath());
        command.add("io.stampede.cli.Main");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new StampedeProcess(process, out, err);
    }

    /** Runs to the end (bounded) and returns the exit code. */
    static Result run(Path workDir, Duration limit, String... args) throws Exception {
        return runWithEnv(workDir, limit, Map.of(), args);
    }

    /** Runs with extra environment variables, e.g. {@code DOCKER_HOST}. */
    static Result runWithEnv(Path workDir, Duration limit, Map<String, String> env, String... args) throws Exception {
        try (StampedeProcess p = start(workDir, env, args)) {
            int code = p.waitFor(limit);
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    /**
     * Starts every command at once, then waits for each: independent runs that mostly wait on the
     * clock, or refuse their input at once, take as long as the longest of them, not their sum. The
     * deadline is shared, {@code limit} for each command: on a machine whose cores are all busy the
     * processes only share the CPU, and together get the time they would have had one after another.
     */
    static List<Result> runTogether(Path workDir, Duration limit, String[]... commands) throws Exception {
        long deadline = System.nanoTime() + limit.multipliedBy(commands.length).toNanos();
        List<StampedeProcess> started = new ArrayList<>();
        try {
            for (String[] command : commands) {
                started.add(start(workDir, command));
            }
            List<Result> results = new ArrayList<>();
            for (StampedeProcess process : started) {
                results.add(process.finish(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
            }
            return results;
        } finally {
            started.forEach(StampedeProcess::close);
        }
    }

    /**
     * The same command line through {@link Main#execute}, the exit-code path {@code main} ends with, in
     * this JVM: for input that is refused before anything starts, where a JVM start would cost more than
     * the case. An exception escaping it (a stack trace for the user) fails the test here. Lines end in
     * {@code \n}, as a child's stderr read on Linux does.
     */
    static Result inProcess(String... args) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FutureTask<Integer> command = new FutureTask<>(() -> Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args));
        // bounded as a child is: input that is no longer refused would start a run here, and must fail, not hang
        Thread runner = new Thread(command, "stampede " + String.join(" ", args));
        runner.setDaemon(true);
        runner.start();
        try {
            int code = command.get(IN_PROCESS_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
        } catch (TimeoutException e) {
            runner.interrupt();
            throw new AssertionError("stampede did not end within " + IN_PROCESS_LIMIT + "\nstdout:\n" + out + "\nstderr:\n" + err);
        } catch (ExecutionException e) {
            throw new AssertionError("stampede threw (a user would see a stack trace)", e.getCause());
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Waits for the end (bounded) and returns what it said. */
    Result finish(Duration limit) throws InterruptedException {
        return new Result(waitFor(limit), stdout(), stderr());
    }

    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("stampede did not end within " + limit + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Waits for {@code condition} ({@link Waiting}, its deadline); a timeout fails with this process's output. */
    void await(String what, Callable<Boolean> condition) {
        await(what, Waiting.LIMIT, condition);
    }

    /** The same, within {@code limit}. */
    void await(String what, Duration limit, Callable<Boolean> condition) {
        try {
            Waiting.await(what).atMost(limit).until(condition);
        } catch (ConditionTimeoutException e) {
            throw withOutput(e);
        }
    }

    /** Waits for something the running process does: fails as soon as it ended, with its output. */
    void awaitWhileAlive(String what, Callable<Boolean> condition) {
        awaitWhileAlive(what, Waiting.LIMIT, condition);
    }

    /** The same, within {@code limit}. */
    void awaitWhileAlive(String what, Duration limit, Callable<Boolean> condition) {
        try {
            Waiting.await(what).atMost(limit).failFast("stampede ended", () -> !process.isAlive()).until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw withOutput(e);
        }
    }

    /**
     * Waits until a run writing into {@code results} has counted {@code requests} requests in its
     * summary.json (rewritten every second): a run that is really going, however slowly the JVM and
     * the scenario compiler started on a busy machine.
     */
    static void awaitRequests(Path results, long requests) {
        awaitSummary(results, requests + " requests", summary -> summary.at("/totals/requests").asLong() >= requests);
    }

    /** Waits until the summary.json of the run writing into {@code results} passes {@code check}. */
    static void awaitSummary(Path results, String what, Predicate<JsonNode> check) {
        Waiting.await(what + " in " + results + "/*/summary.json")
                .ignoreExceptionsInstanceOf(IOException.class) // rewritten atomically, but a reader may race the first write
                .until(() -> summary(results).filter(check).isPresent());
    }

    private static Optional<JsonNode> summary(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(results)) {
            Path summary = folders.findFirst().map(f -> f.resolve("summary.json")).orElse(null);
            return summary != null && Files.exists(summary)
                    ? Optional.of(new ObjectMapper().readTree(summary.toFile())) : Optional.empty();
        }
    }

    private AssertionError withOutput(RuntimeException failure) {
        return new AssertionError(failure.getMessage() + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr(), failure);
    }

    Process process() {
        return process;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
