package io.stampede.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's nginx in a temporary folder of its own, for the tests' HTTPS and HTTP/2 services
 * ({@code TlsLab}, {@code H2Lab}): the folder (certificates made there with {@link #openssl}), the
 * configuration around the caller's {@code http { }} body, a start that returns once every port
 * listens, and {@link #close()}, which stops this nginx (by its process) and deletes the folder.
 */
public final class Nginx implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROBE_PAUSE = Duration.ofMillis(50);

    public final Path dir;
    private Process process;

    /** Whether openssl and nginx are installed (run-tests installs them where it may). */
    public static boolean available() {
        return onPath("openssl") && (onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx")));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    /** A new, empty folder named {@code prefix...}; nothing runs yet. */
    public Nginx(String prefix) throws IOException {
        dir = Files.createTempDirectory(prefix);
    }

    /**
     * The lines of a log in the folder, split at spaces, that {@code which} keeps, once there are at least
     * {@code atLeast} of them. nginx writes a request's line after its response has gone, so a client that
     * has just read its response may be ahead of the log: on a busy machine by many milliseconds.
     */
    public List<String[]> awaitLog(String file, Predicate<String[]> which, int atLeast) {
        return Waiting.await(atLeast + " lines in nginx's " + file).until(() -> log(file, which), l -> l.size() >= atLeast);
    }

    /** The lines of a log in the folder, split at spaces, that {@code which} keeps; none before it exists. */
    public List<String[]> log(String file, Predicate<String[]> which) throws IOException {
        Path log = dir.resolve(file);
        return Files.exists(log) ? Files.readAllLines(log).stream().map(l -> l.split(" ")).filter(which).toList() : List.of();
    }

    /** Runs {@code openssl args...} in the folder; its output is in the exception when it fails. */
    public void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + output);
        }
    }

    /**
     * Starts nginx (one worker, in the foreground as a child of this JVM) with {@code http} as the
     * body of its {@code http { }} block, and waits until each of {@code ports} accepts on 127.0.0.1.
     */
    public void start(String http, Collection<Integer> ports) throws IOException, InterruptedException {
        String tmp = dir.resolve("tmp").toString();
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "  client_body_temp_path " + tmp + "/body; proxy_temp_path " + tmp + "/proxy;"
                + " fastcgi_temp_path " + tmp + "/fcgi; uwsgi_temp_path " + tmp + "/uwsgi; scgi_temp_path " + tmp + "/scgi;\n"
                + http + "}\n");
        String command = onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
        process = new ProcessBuilder(command, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        awaitListening(ports);
    }

    private void awaitListening(Collection<Integer> ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (int port : ports) {
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), (int) PROBE_TIMEOUT.toMillis());
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroy();
                        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out"))
                                + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
                    }
                    Thread.sleep(PROBE_PAUSE.toMillis());
                }
            }
        }
    }

    /** Stops this nginx, if started (SIGTERM: its master stops its worker), and deletes the folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
