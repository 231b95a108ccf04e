package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.engine.Runner;
import io.stampede.http.ConnectTo;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The flags {@code run} and {@code demo} share, with Locust's names and meanings. Values stay text
 * here: {@link PlanDraft#toPlan()} checks them, with the same messages as for plan-file values.
 */
final class RunOptions {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "A Java scenario file (User classes) compiled at start-up, or a YAML plan file.")
    Path file;

    @Option(names = {"-H", "--host"}, paramLabel = "URL", description = "Base URL of the service, e.g. http://127.0.0.1:5001.")
    String host;

    @Option(names = {"-u", "--users"}, paramLabel = "N", description = "Peak number of concurrent users.")
    String users;

    @Option(names = {"-r", "--spawn-rate"}, paramLabel = "RATE", description = "Users started (or stopped) per second.")
    String spawnRate;

    @Option(names = {"-t", "--run-time"}, paramLabel = "TIME", description = "Stop after this long, e.g. 30s, 5m, 1h.")
    String runTime;

    @Option(names = "--arrival-rate", paramLabel = "RATE",
            description = "Open model: start this many iterations per second, whether or not earlier ones finished.")
    String arrivalRate;

    @Option(names = "--max-concurrency", paramLabel = "N",
            description = "Open model: at most this many users at once; iterations beyond are dropped and counted (default: 1000).")
    String maxConcurrency;

    @Option(names = "--latency-from", paramLabel = "intended|actual",
            description = "With a schedule (open model, constant pacing): measure latency from the intended start (default) or the actual one.")
    String latencyFrom;

    @Option(names = "--http-version", paramLabel = "1.1|2|auto",
            description = "HTTP/1.1 (default), HTTP/2 (ALPN h2 on https, h2c prior knowledge on http), or auto (what TLS negotiates).")
    String httpVersion;

    @Option(names = "--processes", paramLabel = "N",
            description = "Run the users in N worker processes (-1: one per CPU core), as Locust's --processes;"
                    + " the web UI, the faults and the results stay in this one.")
    Integer processes;

    @Option(names = "--master", description = "Coordinate workers on other machines (stampede worker) that connect"
            + " over WebSocket; the web UI, the faults and the results stay here.")
    boolean master;

    @Option(names = "--expect-workers", paramLabel = "N",
            description = "With --master: start when N workers are ready (default: 1); more may join later.")
    Integer expectWorkers;

    @Option(names = "--expect-workers-max-wait", paramLabel = "TIME",
            description = "With --master: how long to wait for the --expect-workers workers before giving up (default: 120s), as Locust's.")
    String expectWorkersMaxWait;

    @Option(names = "--master-bind-host", paramLabel = "HOST",
            description = "With --master: the address workers connect to (default: 127.0.0.1; another than loopback needs --cluster-token).")
    String masterBindHost;

    @Option(names = "--master-bind-port", paramLabel = "PORT", description = "With --master: the port workers connect to (default: 5557).")
    Integer masterBindPort;

    @Option(names = "--cluster-token", paramLabel = "TOKEN",
            description = "With --master: the secret every worker must present; or set env " + SecretFlag.CLUSTER_TOKEN_ENV
                    + SecretFlag.HELP + ".")
    String clusterToken;

    /** Set by a coordinator on the processes it starts: this one is worker i of n. */
    @Option(names = "--worker", hidden = true, paramLabel = "I/N")
    String worker;

    @Option(names = "--headless", description = "No web UI: run at once and show progress on the console.")
    boolean headless;

    @Option(names = "--web-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address of the web UI (default: ${DEFAULT-VALUE}); another than loopback needs --web-auth.")
    String webHost;

    @Option(names = "--web-port", paramLabel = "PORT",
            description = "Port of the web UI (default: 8089, or a free one when 8089 is taken).")
    Integer webPort;

    @Option(names = "--web-auth", paramLabel = "TOKEN",
            description = "A token the web UI requires (Authorization: Bearer TOKEN, or as a basic-auth password); or set env "
                    + SecretFlag.WEB_AUTH_ENV + SecretFlag.HELP + ".")
    String webAuth;

    @Option(names = "--autostart", description = "Start the run at once, without waiting for the web UI's Start button.")
    boolean autostart;

    @Option(names = "--csv", paramLabel = "PREFIX",
            description = "Also write Locust's PREFIX_stats.csv, PREFIX_stats_history.csv and PREFIX_failures.csv.")
    String csvPrefix;

    @Option(names = "--csv-full-history", description = "Accepted for Locust compatibility: the history always has every request name.")
    boolean csvFullHistory;

    @Option(names = {"-T", "--tags"}, paramLabel = "TAG", split = ",", description = "Run only tasks with one of these tags.")
    List<String> tags;

    @Option(names = {"-E", "--exclude-tags"}, paramLabel = "TAG", split = ",", description = "Skip tasks with any of these tags.")
    List<String> excludeTags;

    @Option(names = "--stop-timeout", paramLabel = "TIME",
            description = "On stop, let users finish their current task for up to this long (default: stop at once).")
    String stopTimeout;

    @Option(names = "--connect-timeout", paramLabel = "TIME", description = "TCP connect timeout (default: 5s).")
    String connectTimeout;

    @Option(names = "--timeout", paramLabel = "TIME", description = "Response timeout (default: 60s).")
    String responseTimeout;

    @Option(names = {"--insecure-skip-tls-verify", "--insecure"},
            description = "Accept any TLS certificate for any host, as k6's flag (warned on the console and in the results).")
    boolean insecure;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Trust the CAs in this PEM file (or PKCS#12/JKS trust store) instead of the JDK's.")
    Path caFile;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "Client certificate for mutual TLS: PEM (with --client-key) or PKCS#12 holding the key too.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "The client certificate's PEM PKCS#8 private key.")
    Path clientKey;

    @Option(names = "--client-cert-password", paramLabel = "PASSWORD",
            description = "The PKCS#12 client certificate's password; or set env " + SecretFlag.CLIENT_CERT_PASSWORD_ENV
                    + SecretFlag.HELP + ".")
    String clientCertPassword;

    @Option(names = "--connect-to", paramLabel = "HOST1:PORT1:HOST2:PORT2",
            description = "Connect to HOST2:PORT2 for requests to HOST1:PORT1, keeping the URL's host for the Host header,"
                    + " SNI and the certificate check, as curl's flag (an empty PORT1: any port; an empty PORT2: the same)."
                    + " Repeatable; wins over the plan's hosts: for the same host.")
    List<String> connectTo;

    @Option(names = "--results", paramLabel = "DIR", description = "Folder for the run's results folder (default: results).")
    Path resultsDir;

    @Option(names = "--no-results", description = "Write no results folder.")
    boolean noResults;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the run (results folder prefix).")
    String name;

    @Option(names = "--exit-code-on-error", paramLabel = "CODE",
            description = "Exit code when a request failed or scenario code threw and nothing else judges the run"
                    + " (no SLO, threshold or fault), as Locust's (default: 1).")
    String exitCodeOnError;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Record each run's error budget spent per SLO in this SQLite file (created when missing);"
                    + " the plan's policy reads it before a run.")
    Path ledger;

    @Option(names = "--dry-run", description = "Print the targets and the fault schedule, start and inject nothing.")
    boolean dryRun;

    /** Lays the flags over a draft (from a plan file or empty): flags win. */
    void applyTo(PlanDraft draft) {
        if (host != null) draft.host(new Located<>(host, "-H/--host"));
        if (users != null) draft.users(new Located<>(users, "-u/--users"));
        if (spawnRate != null) draft.spawnRate(new Located<>(spawnRate, "-r/--spawn-rate"));
        if (runTime != null) draft.runTime(new Located<>(runTime, "-t/--run-time"));
        // A flag of one load model switches a plan written for the other (flags win); two flags of
        // different models stay, and PlanDraft reports the conflict.
        // Stages of the model switched away from go with it.
        if (arrivalRate != null) {
            draft.arrivalRate(new Located<>(arrivalRate, "--arrival-rate"));
            if (users == null) draft.users(null);
            if (spawnRate == null) draft.spawnRate(null);
            if (users == null && spawnRate == null) {
                draft.stages(draft.stages().stream().filter(st -> st.value().arrivalRate() != null).toList());
            }
        } else if (users != null || spawnRate != null) {
            draft.arrivalRate(null);
            draft.maxConcurrency(null);
            draft.preAllocated(null);
            draft.stages(draft.stages().stream().filter(st -> st.value().arrivalRate() == null).toList());
        }
        if (maxConcurrency != null) draft.maxConcurrency(new Located<>(maxConcurrency, "--max-concurrency"));
        if (latencyFrom != null) draft.latencyFrom(new Located<>(latencyFrom, "--latency-from"));
        if (httpVersion != null) draft.httpVersion(new Located<>(httpVersion, "--http-version"));
        if (stopTimeout != null) draft.stopTimeout(new Located<>(stopTimeout, "--stop-timeout"));
        if (connectTimeout != null) draft.connectTimeout(new Located<>(connectTimeout, "--connect-timeout"));
        if (responseTimeout != null) draft.responseTimeout(new Located<>(responseTimeout, "--timeout"));
        draft.tls(new TlsDraft(located(caFile, "--ca-file"), null, insecure ? new Located<>("true", "--insecure") : null,
                located(clientCert, "--client-cert"), located(clientKey, "--client-key"),
                clientCertPassword == null ? null : new Located<>(clientCertPassword, "--client-cert-password"), null, null));
        if (connectTo != null) {
            List<ConnectTo.Entry> entries = new ArrayList<>();
            for (String entry : connectTo) {
                String where = "--connect-to " + Problems.quoted(entry);
                try {
                    entries.add(ConnectTo.parseCurl(entry, where));
                } catch (IllegalArgumentException bad) {
                    throw new StampedeException.BadInput("--connect-to: " + bad.getMessage());
                }
            }
            draft.connectTo(entries);
        }
        if (clientCertPassword == null && presentsClientCertificate(draft.tls())) { // the environment's, as the flag's
            Located<String> password = SecretFlag.CLIENT_CERT_PASSWORD.value(null);
            if (password != null) {
                draft.tls(new TlsDraft(null, null, null, null, null, password, null, null));
            }
        }
        if (csvPrefix != null) draft.csvPrefix(new Located<>(csvPrefix, "--csv"));
        if (resultsDir != null) draft.resultsDir(new Located<>(resultsDir, "--results"));
        if (name != null) draft.name(new Located<>(name, "--name"));
        if (exitCodeOnError != null) draft.exitCodeOnError(new Located<>(exitCodeOnError, "--exit-code-on-error"));
        if (tags != null) draft.tags(new LinkedHashSet<>(trimmed(tags)));
        if (excludeTags != null) draft.excludeTags(new LinkedHashSet<>(trimmed(excludeTags)));
        if (ledger != null) draft.ledger(draft.ledger().withFile(new Located<>(ledger, "--ledger")));
        if (noResults) draft.noResults(true);
        if (headless) draft.headless(true);
        Located<String> token = SecretFlag.WEB_AUTH.value(webAuth);
        draft.web(new Plan.Web(webHost, webPort == null ? 0 : webPort, webPort != null, token == null ? null : token.value()));
    }

    /** Whether the run or one of its hosts presents a client certificate: only then does a password mean anything. */
    private static boolean presentsClientCertificate(TlsDraft tls) {
        return tls.cert() != null || tls.hosts().stream().anyMatch(host -> host.tls().cert() != null);
    }

    private static Located<Path> located(Path file, String flag) {
        return file == null ? null : new Located<>(file, flag);
    }

    /**
     * Where the users run: null for this process, else the worker processes to start, each this
     * program again with the same arguments.
     */
    Runner.Workforce workers(List<String> originalArgs, Plan plan) {
        if (master) {
            return cluster(plan);
        }
        if (expectWorkers != null || expectWorkersMaxWait != null || masterBindHost != null || masterBindPort != null) {
            throw new StampedeException.BadInput("--expect-workers, --expect-workers-max-wait, --master-bind-host and"
                    + " --master-bind-port need --master");
        }
        if (processes == null || processes == 1) {
            return null;
        }
        int count = processes == -1 ? Runtime.getRuntime().availableProcessors() : processes;
        if (count < 1 || count > MAX_PROCESSES) {
            throw new StampedeException.BadInput("--processes: expected 1 to " + MAX_PROCESSES
                    + ", or -1 for one per CPU core; got " + processes);
        }
        if (count == 1) {
            return null;
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        // the same JVM options, but not those that would make workers write one file together or
        // listen on one port: the launcher's class-data recording, a debugger agent
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.startsWith("-XX:ArchiveClassesAtExit") && !arg.startsWith("-agentlib:jdwp"))
                .toList();
        command.addAll(workerMemoryOptions(inherited, Runtime.version().feature()));
        command.addAll(inherited);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(originalArgs);
        return new Runner.Workers(command, count);
    }

    /** The workers that will dial in, checked: a token for any address but loopback, one client certificate at most. */
    private Runner.Cluster cluster(Plan plan) {
        if (processes != null && processes != 1) {
            throw new StampedeException.BadInput("--master and --processes: choose one (run several stampede worker on a machine instead)");
        }
        int expect = expectWorkers == null ? 1 : expectWorkers;
        if (expect < 1 || expect > MAX_EXPECTED_WORKERS) {
            throw new StampedeException.BadInput("--expect-workers: expected 1 to " + MAX_EXPECTED_WORKERS + ", got " + expect);
        }
        Duration maxWait = expectWorkersMaxWait(expectWorkersMaxWait);
        String bindHost = masterBindHost == null ? DEFAULT_MASTER_BIND_HOST : masterBindHost;
        int port = masterBindPort == null ? DEFAULT_MASTER_PORT : masterBindPort;
        if (port < 0 || port > 65_535) {
            throw new StampedeException.BadInput("--master-bind-port: expected 0 to 65535, got " + port);
        }
        String token = clusterToken(clusterToken);
        if (token == null && !loopback(bindHost)) {
            throw new StampedeException.BadInput("--master-bind-host " + bindHost + ": workers on other machines need a"
                    + " shared secret: give --cluster-token or set " + SecretFlag.CLUSTER_TOKEN_ENV + " (or bind a loopback address: 127.0.0.1, localhost or ::1)");
        }
        Tls tls = plan.http().tls();
        if (Stream.concat(Stream.of(tls), tls.hosts().values().stream()).map(Tls::clientCertificate).flatMap(Optional::stream)
                .distinct().count() > 1) {
            throw new StampedeException.BadInput("--master: the plan's hosts present different client certificates;"
                    + " a worker presents one, its own (stampede worker --client-cert): run with --processes instead");
        }
        return new Runner.Cluster(bindHost, port, expect, token, plan.scenario(), null).waitingAtMost(maxWait);
    }

    /** {@code --expect-workers-max-wait}, checked: more than 0; the default when not given. */
    static Duration expectWorkersMaxWait(String flag) {
        if (flag == null) {
            return Runner.Cluster.DEFAULT_EXPECT_WAIT;
        }
        Duration wait;
        try {
            wait = Durations.parse(flag);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--expect-workers-max-wait: " + e.getMessage());
        }
        if (wait.isZero()) {
            throw new StampedeException.BadInput("--expect-workers-max-wait: must be more than 0, got " + flag);
        }
        return wait;
    }

    /** The flag's token, else the environment's; null when neither gives one. */
    static String clusterToken(String flag) {
        Located<String> token = SecretFlag.CLUSTER_TOKEN.value(flag);
        return token == null ? null : token.value();
    }

    /** Whether {@code host} names this machine's loopback: nobody else can connect there. */
    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new StampedeException.BadInput("--master-bind-host: unknown host " + host);
        }
    }

    /**
     * JVM options that keep a worker's memory close to what its users hold, placed before the
     * inherited ones, which win: a GC or an initial heap chosen by the user is left alone.
     *
     * <p>Why: workers run side by side on the same cores and each holds thousands of idle users, so
     * its heap is mostly long-lived and its allocation is modest. The JVM's defaults assume one JVM
     * per machine: an initial heap of 1/64 of the RAM that fills with garbage before the first full
     * collection, and G1's threads and regions. With the Serial collector, a small initial heap that
     * grows by need and 20-40% kept free, and freed native memory given back, 16,000 users waiting
     * 10-30 s take 186 MiB instead of 393 (bench/compare/RESULTS.md, "100,000 users").
     *
     * <p>Serial stays the default although its pauses stop the users: on one shared core the
     * concurrent collectors measured no better and cost more memory (README, "Waiting users and the
     * old generation"). ZGC chosen by the user is the generational one on every JDK: 21 and 22 need
     * {@code -XX:+ZGenerational} for it (23 made it the default, 24 removed the other), and a
     * single-generation ZGC marks every waiting user's objects in each cycle.
     */
    static List<String> workerMemoryOptions(List<String> inherited, int javaFeatureVersion) {
        List<String> options = new ArrayList<>();
        if (inherited.stream().noneMatch(arg -> arg.matches("-XX:\\+Use\\w*GC"))) {
            options.add("-XX:+UseSerialGC");
        } else if (javaFeatureVersion < 23 && inherited.contains("-XX:+UseZGC")
                && inherited.stream().noneMatch(arg -> arg.contains("ZGenerational"))) {
            options.add("-XX:+ZGenerational");
        }
        if (inherited.stream().noneMatch(arg -> arg.startsWith("-Xms") || arg.startsWith("-XX:InitialHeapSize"))) {
            options.add("-Xms32m");
        }
        if (inherited.stream().noneMatch(arg -> arg.contains("HeapFreeRatio="))) {
            options.add("-XX:MinHeapFreeRatio=20");
            options.add("-XX:MaxHeapFreeRatio=40");
        }
        if (javaFeatureVersion >= 22) { // a product option from 22 on; 21 has it only as an experiment
            options.add("-XX:TrimNativeHeapInterval=2000");
        }
        return options;
    }

    /** {@code --worker i/n}: this process's index; null when it is no worker. */
    int[] workerShare() {
        if (worker == null) {
            return null;
        }
        String[] parts = worker.split("/");
        try {
            int index = Integer.parseInt(parts[0]);
            int count = Integer.parseInt(parts[1]);
            if (parts.length == 2 && index >= 0 && index < count) {
                return new int[] {index, count};
            }
        } catch (RuntimeException e) {
            // falls through to the message
        }
        throw new StampedeException.BadInput("--worker: expected I/N with 0 <= I < N, got " + worker);
    }

    static final int MAX_PROCESSES = 64;
    /** The most workers a coordinator waits for at the start. */
    static final int MAX_EXPECTED_WORKERS = 10_000;
    static final String DEFAULT_MASTER_BIND_HOST = "127.0.0.1";
    static final int DEFAULT_MASTER_PORT = 5557;

    boolean fileIsPlan() {
        String name = file == null ? "" : file.toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split("[,\\s]+"))).filter(v -> !v.isBlank()).toList();
    }
}
