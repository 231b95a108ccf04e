import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.StatsRecorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A run over the network, measured: (1) the coordinator's CPU per second per worker with FAKE_WORKERS
 * workers in this JVM, each a real WebSocket sending an interval a second of KEYS request names x
 * SAMPLES samples and a heartbeat; (2) the bytes per second one such worker sends and receives;
 * (3) req/s of a closed model with wait 0 against the demo service: one process, then 1, 2, 3
 * worker processes, each pinned to one core with taskset where possible, in one table against the
 * single process. Every process is started and ended here, by its handle.
 */
public class ClusterBench {

    /** WorkerProtocol.VERSION: a coordinator of another version refuses the fake workers, and the bench says so. */
    static final int PROTOCOL = 7;

    static final int FAKE_WORKERS = Integer.getInteger("workers", 50);
    static final int KEYS = 10;
    static final int SAMPLES = 100;
    static final int CPU_SECONDS = Integer.getInteger("cpuSeconds", 20);
    static final int RSS_EVERY_SECONDS = 10;
    /** JVM options for the coordinator alone, space-separated: -DcoordinatorJvm="-Xmx256m -Xlog:gc:file=gc.log". */
    static final String COORDINATOR_JVM = System.getProperty("coordinatorJvm", "");
    static final int LOAD_SECONDS = Integer.getInteger("loadSeconds", 10);
    static final int LOAD_USERS = Integer.getInteger("users", 20);
    /** {@code -Donly=rates} or {@code -Donly=cost}: one part of the bench. */
    static final String ONLY = System.getProperty("only", "");
    static final long TICKS_PER_SECOND = 100;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JAR = "target/stampede.jar";
    static final List<Process> STARTED = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("stampede-cluster-bench-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
        try {
            int targetPort = freePort();
            Process target = stampede(work, "target", "--port", String.valueOf(targetPort));
            String host = "http://127.0.0.1:" + targetPort;
            awaitPort(targetPort);
            Path scenario = work.resolve("BenchUser.java");
            Files.writeString(scenario, """
                    import io.stampede.api.*;
                    public class BenchUser extends User {
                        @Override public WaitTime waitTime() { return WaitTime.none(); }
                        @Task public void index() { http().get("/"); }
                    }
                    """);
            if (!ONLY.equals("rates")) {
                coordinatorCost(work, scenario, host);
            }
            if (!ONLY.equals("cost")) {
                requestRates(work, new Scenario(scenario, host));
            }
            target.destroy();
        } finally {
            STARTED.forEach(Process::destroyForcibly);
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The coordinator with FAKE_WORKERS fake workers: its CPU and memory, and one worker's bytes on the wire. */
    static void coordinatorCost(Path work, Path scenario, String host) throws Exception {
        int port = freePort();
        List<String> jvm = COORDINATOR_JVM.isBlank() ? List.of() : List.of(COORDINATOR_JVM.trim().split("\\s+"));
        Process coordinator = stampede(work, List.of(), jvm, "run", "-f", scenario.toString(), "-H", host, "-u", String.valueOf(FAKE_WORKERS),
                "-r", "1000", "-t", (CPU_SECONDS + 15) + "s", "--headless", "--no-results", "--master", "--expect-workers",
                String.valueOf(FAKE_WORKERS), "--master-bind-port", String.valueOf(port));
        HttpClient http = HttpClient.newHttpClient();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
        List<Fake> fakes = new ArrayList<>();
        for (int i = 0; i < FAKE_WORKERS; i++) {
            fakes.add(new Fake(i, senders));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Fake fake : fakes) {
            while (fake.socket == null) {
                try {
                    fake.socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/stampede/cluster"), fake)
                            .get(5, TimeUnit.SECONDS);
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the coordinator did not listen in time");
                    }
                    Thread.sleep(200);
                }
            }
            fake.send(Map.of("type", "hello", "protocol", PROTOCOL, "token", "", "host", "fake-" + fake.index, "clientCertificate", false));
        }
        while (fakes.stream().anyMatch(f -> !f.going.get())) {
            if (System.nanoTime() > deadline || !coordinator.isAlive()) {
                throw new IllegalStateException("the fake workers were not started in time");
            }
            Thread.sleep(100);
        }
        Thread.sleep(5_000); // past the start
        long cpuBefore = cpuTicks(coordinator.pid());
        long sentBefore = fakes.get(0).sentBytes.get();
        long receivedBefore = fakes.get(0).receivedBytes.get();
        long t0 = System.nanoTime();
        long rssStartKib = rssKib(coordinator.pid());
        long rssPeakKib = rssStartKib;
        for (int second = 0; second < CPU_SECONDS; second++) { // the resident set each second: its peak and its end
            Thread.sleep(1000L);
            long rss = rssKib(coordinator.pid());
            rssPeakKib = Math.max(rssPeakKib, rss);
            if ((second + 1) % RSS_EVERY_SECONDS == 0) { // the curve, to tell a plateau from growth
                System.out.printf("  coordinator RSS at %d s: %d MiB%n", second + 1, rss / 1024);
            }
        }
        long rssEndKib = rssKib(coordinator.pid());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpuTicks(coordinator.pid()) - cpuBefore) / (double) TICKS_PER_SECOND;
        double sent = (fakes.get(0).sentBytes.get() - sentBefore) / seconds;
        double received = (fakes.get(0).receivedBytes.get() - receivedBefore) / seconds;
        System.out.printf("coordinator CPU with %d workers (%d keys x %d samples an interval each): %.1f ms per second in all,"
                        + " %.2f ms per second per worker (%.0f s measured)%n", FAKE_WORKERS, KEYS, SAMPLES,
                cpuSeconds * 1000 / seconds, cpuSeconds * 1000 / seconds / FAKE_WORKERS, seconds);
        System.out.printf("coordinator memory with %d workers: RSS %d MiB as the window began, %d MiB at its end, %d MiB at"
                + " its peak%n", FAKE_WORKERS, rssStartKib / 1024, rssEndKib / 1024, rssPeakKib / 1024);
        System.out.printf("wire per worker: %.0f bytes/s sent (intervals, heartbeats), %.0f bytes/s received (beats);"
                + " WebSocket frame headers not counted%n", sent, received);
        senders.shutdownNow();
        fakes.forEach(f -> f.socket.abort());
        coordinator.destroy();
        coordinator.waitFor(10, TimeUnit.SECONDS);
        http.shutdownNow();
    }

    /**
     * req/s of LOAD_USERS users with wait 0: one process, then 1, 2, 3 workers on this machine, in one
     * table. The process that makes the load (the single process, each worker) is pinned to one core
     * with taskset where there is one: worker i on core i mod the cores, the single process on core 0,
     * so one worker and the single process have the same CPU. The coordinator and the service are not pinned.
     */
    static void requestRates(Path work, Scenario scenario) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean pinned = onPath("taskset");
        System.out.printf("req/s, %d users, wait 0, %d s, demo service on this machine (%d cores; %s):%n", LOAD_USERS, LOAD_SECONDS,
                cores, pinned ? "each load process pinned to one core with taskset" : "not pinned: no taskset");
        System.out.printf("  %-16s %-14s %10s %18s%n", "load from", "cores", "req/s", "vs single process");
        double single = rate(work, scenario, 0, pinned, cores);
        System.out.printf("  %-16s %-14s %10.0f %17.2fx%n", "single process", pinned ? "0" : "any", single, 1.0);
        for (int workers = 1; workers <= 3; workers++) {
            double rate = rate(work, scenario, workers, pinned, cores);
            List<String> used = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                used.add(pinned ? String.valueOf(i % cores) : "any");
            }
            System.out.printf("  %-16s %-14s %10.0f %17.2fx%n", workers + (workers == 1 ? " worker" : " workers"), String.join(",", used),
                    rate, single > 0 ? rate / single : 0);
        }
    }

    /** The bench's scenario file and the service's URL. */
    record Scenario(Path file, String host) {
    }

    static double rate(Path work, Scenario scenario, int workers, boolean pinned, int cores) throws Exception {
        Path results = Files.createTempDirectory(work, "results-");
        List<String> args = new ArrayList<>(List.of("run", "-f", scenario.file().toString(), "-H", scenario.host(), "-u",
                String.valueOf(LOAD_USERS), "-r", "1000", "-t", LOAD_SECONDS + "s", "--headless", "--results", results.toString()));
        int port = freePort();
        if (workers > 0) {
            args.addAll(List.of("--master", "--expect-workers", String.valueOf(workers), "--master-bind-port", String.valueOf(port)));
        }
        Path runErrors = work.resolve("err-" + STARTED.size() + ".txt");
        Process run = workers == 0 && pinned ? stampede(work, List.of("taskset", "-c", "0"), args.toArray(String[]::new))
                : stampede(work, args.toArray(String[]::new));
        List<Process> workerProcesses = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            List<String> wrapper = pinned ? List.of("taskset", "-c", String.valueOf(i % cores)) : List.of();
            workerProcesses.add(stampede(work, wrapper, "worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(port)));
        }
        if (!run.waitFor(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the run did not end");
        }
        for (Process worker : workerProcesses) {
            worker.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> folders = Files.list(results)) {
            Path folder = folders.findFirst().orElseThrow(() -> new IllegalStateException("the run with " + workers
                    + " workers wrote no results: " + readOrEmpty(runErrors)));
            JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
            return summary.at("/totals/requestsPerSecond").asDouble();
        }
    }

    static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** A worker that speaks the protocol's frames and sends realistic intervals. */
    static final class Fake implements WebSocket.Listener {
        final int index;
        final ScheduledExecutorService senders;
        final AtomicBoolean going = new AtomicBoolean();
        final AtomicLong sentBytes = new AtomicLong();
        final AtomicLong receivedBytes = new AtomicLong();
        final Random random;
        volatile WebSocket socket;
        private final StringBuilder text = new StringBuilder();

        Fake(int index, ScheduledExecutorService senders) {
            this.index = index;
            this.senders = senders;
            this.random = new Random(index);
        }

        synchronized void send(Object message) {
            try {
                String frame = JSON.writeValueAsString(message);
                sentBytes.addAndGet(frame.length());
                socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the coordinator is gone: the bench ends
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                receivedBytes.addAndGet(frame.length());
                try {
                    String type = JSON.readTree(frame).path("type").asText();
                    switch (type) {
                        case "assign" -> senders.execute(() -> send(Map.of("type", "ready", "protocol", PROTOCOL)));
                        case "go" -> {
                            going.set(true);
                            senders.scheduleAtFixedRate(this::second, 1000, 1000, TimeUnit.MILLISECONDS);
                        }
                        case "stop" -> senders.execute(() -> send(Map.of("type", "done", "abandoned", List.of())));
                        default -> {
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        /** One second: an interval of KEYS names x SAMPLES samples (1% failures), and a heartbeat. */
        void second() {
            StatsRecorder recorder = new StatsRecorder(1_000);
            recorder.started(System.nanoTime());
            for (int key = 0; key < KEYS; key++) {
                for (int i = 0; i < SAMPLES; i++) {
                    long micros = 200 + (long) (random.nextExponential() * 3_000);
                    recorder.record("GET", "/item/" + key, micros, 1_024, random.nextInt(100) == 0 ? "HTTP 503" : null);
                }
            }
            Map<String, Object> interval = new LinkedHashMap<>();
            interval.put("type", "interval");
            interval.put("interval", IntervalCodec.encode(recorder.takeInterval(System.currentTimeMillis(), 1)));
            interval.put("errors", Map.of());
            send(interval);
            send(Map.of("type", "heartbeat", "cpuPercent", 12.5));
        }
    }

    static Process stampede(Path work, String... args) throws IOException {
        return stampede(work, List.of(), args);
    }

    /** {@code stampede ARGS} started by {@code wrapper} (taskset), which execs the JVM: the handle is the JVM's. */
    static Process stampede(Path work, List<String> wrapper, String... args) throws IOException {
        return stampede(work, wrapper, List.of(), args);
    }

    /** The same, with options {@code jvm} for the JVM. */
    static Process stampede(Path work, List<String> wrapper, List<String> jvm, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvm);
        command.addAll(List.of("-cp", JAR, "io.stampede.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(work.resolve("out-" + STARTED.size() + ".txt").toFile())
                .redirectError(work.resolve("err-" + STARTED.size() + ".txt").toFile()).start();
        STARTED.add(process);
        return process;
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    }

    static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the demo service did not listen");
    }
}
