package io.stampede.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code prometheus} package, which run-tests installs) for one test:
 * a free loopback port, a temporary config and storage directory, a 1 s scrape of the given
 * jobs. {@link #close()} kills it by its PID and deletes the directory. Not the Debian service.
 */
public final class PrometheusServer implements AutoCloseable {

    /** How often it scrapes and evaluates. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** One scrape job: a name and a {@code host:port} target. */
    public record Job(String name, String target) {
    }

    private final Process process;
    private final Path dir;
    private final URI url;

    private PrometheusServer(Process process, Path dir, URI url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    public static boolean installed() {
        return Promtool.onPath("prometheus");
    }

    /** Starts it and waits until {@code /-/ready} answers 200 (or fails with its log). */
    public static PrometheusServer start(List<Job> jobs) throws IOException {
        Path dir = Files.createTempDirectory("stampede-prometheus");
        String scrapes = jobs.stream().map(j -> """
                  - job_name: %s
                    static_configs: [ { targets: [ "%s" ] } ]
                """.formatted(j.name(), j.target())).collect(Collectors.joining());
        long seconds = SCRAPE_INTERVAL.toSeconds();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: { scrape_interval: %ds, scrape_timeout: %ds, evaluation_interval: %ds }
                scrape_configs:
                %s""".formatted(seconds, seconds, seconds, scrapes));
        int port = FreePorts.next();
        Process process = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, dir, URI.create("http://127.0.0.1:" + port));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            Waiting.await("Prometheus ready on port " + port).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus exited: " + server.log());
                }
                try {
                    return http.send(HttpRequest.newBuilder(server.url.resolve("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
            // As users run it: a Prometheus that has scraped its targets already (its first scrape comes
            // seconds after start; a run that starts before it would rightly say its count is not exact).
            URI scraped = server.url.resolve("/api/v1/query?query=count(up)");
            Waiting.await("Prometheus's first scrape of its " + jobs.size() + " targets").until(() -> {
                if (jobs.isEmpty()) {
                    return true;
                }
                try {
                    String body = http.send(HttpRequest.newBuilder(scraped).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    return body.contains("\"" + jobs.size() + "\"]"); // the value of count(up), e.g. [1796..., "1"]
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException | Error failed) {
            server.close();
            throw failed;
        } finally {
            JdkHttpClients.stop(http);
        }
        return server;
    }

    /** e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM to its PID: it flushes and exits
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
