package io.stampede.engine;

import com.sun.management.OperatingSystemMXBean;
import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.http.Tls;
import io.stampede.input.Authority;
import io.stampede.input.Durations;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * {@code stampede worker}: a worker on any machine that dials out to its coordinator, says who it
 * is (protocol version, token), compiles the scenario it is sent, runs its share of the load and
 * sends its statistics each second, with a heartbeat carrying its CPU use.
 *
 * <p>No orphan load: when the connection closes before its run is over, or the coordinator is
 * silent for {@link #COORDINATOR_SILENCE}, the process ends at once with {@link ExitCode#CANNOT_RUN}
 * (its users with it), so its users stop within {@link #STOP_BOUND} of the coordinator's death.
 */
public final class ClusterWorker {

    /** Between two tries to reach a coordinator that is not up yet (in Kubernetes or Compose a worker may start first). */
    static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    /** The longest one try to connect may take. */
    static final Duration CONNECT_ATTEMPT = Duration.ofSeconds(10);
    /** The default for {@code --connect-timeout}: how long a worker tries to reach its coordinator. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** How long the coordinator may take to answer the hello (accept or refuse): a cold JVM on a busy machine is slow. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** How often a worker tells the coordinator it lives, with its CPU use. */
    static final Duration HEARTBEAT_PERIOD = Duration.ofSeconds(1);
    /** A coordinator silent this long (it beats every second) is taken for dead: the worker ends. */
    static final Duration COORDINATOR_SILENCE = Duration.ofSeconds(8);
    /** How often the watchdog looks at the connection. */
    static final Duration WATCH_PERIOD = Duration.ofMillis(250);
    /** The stated bound: a worker whose coordinator is gone has stopped its users within this. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(10);
    /** A scenario file name the worker will write: a Java class's, nothing with a path in it. */
    private static final Pattern JAVA_FILE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*\\.java");

    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ClusterWorker() {
    }

    /** The connection to the coordinator: frames in a queue, its end noticed. */
    private static final class Link implements ClusterSocket.Handler {
        final BlockingQueue<WorkerProtocol.ToWorker> inbox = new LinkedBlockingQueue<>();
        volatile Session session;
        volatile long lastHeardNanos = System.nanoTime();
        volatile boolean closed;
        volatile String closeReason = "";
        /** It sent a frame that is no message of this protocol: another version, or not a coordinator. */
        volatile boolean unreadable;

        /** Counted down when Jetty says the session is open: a frame sent before would be dropped by {@link #send}. */
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void opened(Session opened) {
            session = opened;
            open.countDown();
        }

        @Override
        public void text(String text) {
            lastHeardNanos = System.nanoTime();
            try {
                if (WorkerProtocol.read(text) instanceof WorkerProtocol.ToWorker message) {
                    inbox.add(message);
                }
            } catch (IOException notOurs) {
                unreadable = true;
                session.close();
            }
        }

        @Override
        public void closed(String why) {
            if (closeReason.isEmpty()) {
                closeReason = why;
            }
            closed = true;
        }

        void send(WorkerProtocol.FromWorker message) {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.sendText(WorkerProtocol.line(message), Callback.NOOP);
            }
        }

        /** The next message, or null when the connection closed or none came within {@code wait}. */
        WorkerProtocol.ToWorker next(Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                WorkerProtocol.ToWorker message = inbox.poll(WATCH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                if (message != null) {
                    return message;
                }
                if (closed) {
                    return null;
                }
            }
            return null;
        }
    }

    /**
     * Runs one run for the coordinator at {@code masterHost:masterPort}, then returns its exit code: 0
     * when it ran to the coordinator's stop, {@link ExitCode#BAD_INPUT} when refused, {@link ExitCode#CANNOT_RUN}
     * when the coordinator cannot be reached (the process halts with it when the coordinator dies mid-run).
     *
     * @param keys this worker's own client certificate and key for mutual TLS ({@code --client-cert}), null for none:
     *             a plan's private keys never reach a worker
     * @param err  where this worker says what happens (its users' output goes there too)
     */
    public static int serve(String masterHost, int masterPort, String token, Duration connectTimeout, Tls keys,
                            PrintStream err) {
        return serve(masterHost, masterPort, token, connectTimeout, keys, HANDSHAKE_TIMEOUT, err);
    }

    /** {@link #serve}, waiting {@code handshakeTimeout} for the coordinator's answer to the hello. */
    static int serve(String masterHost, int masterPort, String token, Duration connectTimeout, Tls keys, Duration handshakeTimeout,
                     PrintStream err) {
        URI uri = URI.create("ws://" + new Authority(masterHost, masterPort) + ClusterPool.PATH);
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(ClusterPool.MAX_MESSAGE_BYTES);
        client.setIdleTimeout(ClusterPool.IDLE_TIMEOUT);
        Path work = null;
        Watchdog watchdog = null;
        try {
            client.start();
            Link link = connect(client, uri, connectTimeout, err);
            if (link == null) {
                return ExitCode.CANNOT_RUN;
            }
            link.send(new WorkerProtocol.Hello(WorkerProtocol.VERSION, token == null ? "" : token, hostName(), keys != null));
            WorkerProtocol.ToWorker answer = answer(link, handshakeTimeout);
            if (!(answer instanceof WorkerProtocol.Assign assign)) {
                NoRun why = NoRun.of(uri, answer, link, handshakeTimeout);
                err.println("stampede: " + why.message());
                return why.exitCode();
            }
            // alive from now on, both ways: compiling on a busy machine may take longer than the coordinator's patience
            watchdog = new Watchdog(link, err);
            Thread.ofPlatform().daemon().name("stampede-worker-watchdog").start(watchdog::watch);
            Watchdog alive = watchdog;
            Thread.ofPlatform().daemon().name("stampede-worker-heartbeat").start(() -> heartbeat(link, alive));
            Tls tls = assign.run().tls().tls(keys); // the context made before ready: a problem shows now, not at go
            List<UserType> types;
            switch (assign.scenario()) {
                case WorkerProtocol.Source source -> {
                    work = Files.createTempDirectory("stampede-worker-");
                    types = compile(source, work);
                    // the source is compiled: gone now, not at the end, since a worker whose coordinator dies halts
                    deleteQuietly(work);
                    work = null;
                    err.println("Worker " + assign.worker() + " of " + uri + ": scenario " + source.fileName()
                            + " compiled, ready");
                }
                case WorkerProtocol.Declared declared -> {
                    types = ClusterUsers.declared(declared.users()).users().stream().map(UserTypes::fromSpec).toList();
                    err.println("Worker " + assign.worker() + " of " + uri + ": the plan's declared users (" + types.size()
                            + " kind" + (types.size() == 1 ? "" : "s") + "), ready");
                }
            }
            link.send(new WorkerProtocol.Ready(WorkerProtocol.VERSION));
            return run(link, assign, types, tls, watchdog, err);
        } catch (StampedeException.BadInput e) {
            err.println("stampede: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (StampedeException e) {
            err.println("stampede: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.CANNOT_RUN;
        } catch (Exception e) {
            err.println("stampede: worker: " + e);
            return ExitCode.CANNOT_RUN;
        } finally {
            if (watchdog != null) {
                watchdog.finished = true; // this worker ends by its own choice: closing the connection is no reason to halt
            }
            try {
                client.stop();
            } catch (Exception ignored) {
                // ending anyway
            }
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    private static Link connect(WebSocketClient client, URI uri, Duration timeout, PrintStream err) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "";
        boolean said = false;
        while (true) {
            Link link = new Link();
            try {
                // the session, also here: Jetty may complete the future before it calls the listener's open
                long attemptMillis = Math.max(1, Math.min(timeout.toMillis(), CONNECT_ATTEMPT.toMillis()));
                link.session = client.connect(new ClusterSocket(link), uri).get(attemptMillis, TimeUnit.MILLISECONDS);
                // the hello must not go out before the session is open: send() drops it then, and the
                // coordinator, waiting for a hello that never comes, never answers (seen on a loaded machine)
                if (link.open.await(attemptMillis, TimeUnit.MILLISECONDS)) {
                    return link;
                }
                link.session.close();
                lastError = "the connection did not open within " + attemptMillis + " ms";
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                lastError = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            }
            if (System.nanoTime() + CONNECT_RETRY.toNanos() > deadline) {
                err.println("stampede: cannot reach the coordinator at " + uri + " within " + timeout.toSeconds()
                        + " s (--connect-timeout): " + lastError);
                return null;
            }
            if (!said) {
                err.println("Waiting for the coordinator at " + uri + " (" + lastError + ")");
                said = true;
            }
            Thread.sleep(CONNECT_RETRY.toMillis());
        }
    }

    /**
     * Why a hello got this worker no run, in words that say what happened (a refusal, a coordinator
     * of another protocol, a connection that closed, no answer in time), and the exit code it means:
     * {@link ExitCode#BAD_INPUT} for what the user must change (token, version), {@link
     * ExitCode#CANNOT_RUN} for what went wrong on the way.
     */
    record NoRun(String message, int exitCode) {

        static NoRun of(URI uri, WorkerProtocol.ToWorker answer, Link link, Duration waited) {
            String at = "the coordinator at " + uri;
            if (answer instanceof WorkerProtocol.Refused refused) {
                return new NoRun(at + " refused this worker: " + refused.reason(), ExitCode.BAD_INPUT);
            }
            if (link.unreadable) {
                return new NoRun(at + " does not speak worker protocol " + WorkerProtocol.VERSION
                        + ": run the same version of Stampede on the coordinator and the workers", ExitCode.BAD_INPUT);
            }
            if (link.closed) {
                return new NoRun(at + " closed the connection before it answered this worker's hello"
                        + (link.closeReason.isBlank() ? "" : ": " + link.closeReason), ExitCode.CANNOT_RUN);
            }
            return new NoRun(at + " did not answer this worker's hello within " + Durations.format(waited)
                    + ": is it overloaded, or is something else listening on that port?", ExitCode.CANNOT_RUN);
        }
    }

    /** The coordinator's answer to the hello: an assign or a refusal; beats are not answers. */
    private static WorkerProtocol.ToWorker answer(Link link, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WorkerProtocol.ToWorker message = link.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!(message instanceof WorkerProtocol.Beat) || System.nanoTime() > deadline) {
                return message instanceof WorkerProtocol.Beat ? null : message;
            }
        }
    }

    private static List<UserType> compile(WorkerProtocol.Source source, Path work) throws IOException {
        if (!JAVA_FILE.matcher(source.fileName()).matches()) {
            throw new StampedeException.BadInput("the coordinator sent a scenario named " + source.fileName()
                    + ": expected a Java file name");
        }
        Path file = work.resolve(source.fileName());
        Files.writeString(file, source.text(), StandardCharsets.UTF_8);
        return ScenarioCompiler.compile(file).stream().map(type -> UserTypes.fromClass(type, source.fileName())).toList();
    }

    private static int run(Link link, WorkerProtocol.Assign assign, List<UserType> types, Tls tls, Watchdog watchdog,
                           PrintStream err) throws InterruptedException {
        WorkerProtocol.Go go = null;
        while (go == null) {
            WorkerProtocol.ToWorker message = link.next(COORDINATOR_SILENCE);
            switch (message) {
                case null -> {
                    return watchdog.coordinatorGone(); // the watchdog halts; this is in case it has not yet
                }
                case WorkerProtocol.Go g -> go = g;
                case WorkerProtocol.Stop s -> {
                    watchdog.finished = true;
                    err.println("Worker " + assign.worker() + ": stopped before the start");
                    return ExitCode.PASS;
                }
                default -> {
                    // beats, and changes before the start (the go carries the load)
                }
            }
        }
        if (go.protocol() != WorkerProtocol.VERSION) {
            err.println("stampede: the coordinator speaks worker protocol " + go.protocol() + ", this worker "
                    + WorkerProtocol.VERSION + ": run the same version of Stampede on both");
            watchdog.finished = true;
            return ExitCode.BAD_INPUT;
        }
        RunSpec mine = assign.run().spec(go.host(), go.load().model(), go.runTime(), tls);
        IntervalSender intervals = new IntervalSender(link);
        Runner runner = new Runner(mine, types, List.of(intervals));
        runner.slice(go.segment(), go.joinedAt());
        // the coordinator dated its go where the schedule was, and dates no slice before that plus the margin
        runner.horizon(go.joinedAt().plus(ClusterPool.SLICE_MARGIN));
        intervals.errors = runner.taskErrors();
        Thread.ofPlatform().daemon().name("stampede-worker-commands").start(() -> obey(link, runner));
        runner.run();
        watchdog.finished = true;
        link.send(new WorkerProtocol.Done(runner.end().abandoned()));
        err.println("Worker " + assign.worker() + ": run over");
        awaitClose(link);
        return ExitCode.PASS;
    }

    /** Lets the done message leave before the client stops: the coordinator closes when it has read it. */
    private static void awaitClose(Link link) throws InterruptedException {
        long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT.toNanos();
        while (!link.closed && System.nanoTime() < deadline) {
            Thread.sleep(WATCH_PERIOD.toMillis());
        }
    }

    private static void obey(Link link, Runner runner) {
        try {
            while (!link.closed || !link.inbox.isEmpty()) {
                WorkerProtocol.ToWorker message = link.inbox.poll(WATCH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                if (message instanceof WorkerProtocol.Users users) {
                    runner.changeUsers(users.users(), Math.max(users.spawnRate(), Double.MIN_NORMAL));
                } else if (message instanceof WorkerProtocol.Slice slice) {
                    runner.reslice(slice.segment(), slice.from());
                } else if (message instanceof WorkerProtocol.Beat beat && beat.untilMillis() != WorkerProtocol.Beat.NO_PROMISE) {
                    runner.promised(beat.until()); // in order after any slice sent before it: see Slices
                } else if (message instanceof WorkerProtocol.Stop) {
                    runner.stop();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.getLogger(ClusterWorker.class.getName()).log(System.Logger.Level.WARNING, "worker: " + e.getMessage());
        }
    }

    private static void heartbeat(Link link, Watchdog watchdog) {
        while (!link.closed && !watchdog.finished) {
            double load = OS.getProcessCpuLoad();
            link.send(new WorkerProtocol.Heartbeat(load < 0 ? -1 : Math.round(load * 1000) / 10.0));
            try {
                Thread.sleep(HEARTBEAT_PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ends the process when the coordinator is gone before this worker's run is over: no orphan load. */
    private static final class Watchdog {
        private final Link link;
        private final PrintStream err;
        volatile boolean finished;

        Watchdog(Link link, PrintStream err) {
            this.link = link;
            this.err = err;
        }

        void watch() {
            while (!finished) {
                long silentNanos = System.nanoTime() - link.lastHeardNanos;
                if (link.closed || silentNanos > COORDINATOR_SILENCE.toNanos()) {
                    coordinatorGone();
                }
                try {
                    Thread.sleep(WATCH_PERIOD.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Halts now: nobody reads what a graceful stop would send, and every moment stopping is more load. */
        int coordinatorGone() {
            if (finished) {
                return ExitCode.PASS;
            }
            err.println("stampede: " + (link.closed ? "lost the connection to the coordinator"
                    + (link.closeReason.isBlank() ? "" : " (" + link.closeReason + ")")
                    : "the coordinator has been silent for " + COORDINATOR_SILENCE.toSeconds() + " s")
                    + ": it is gone; this worker stops its users and exits");
            err.flush();
            Runtime.getRuntime().halt(ExitCode.CANNOT_RUN);
            return ExitCode.CANNOT_RUN;
        }
    }

    /** Sends each second's statistics to the coordinator, with the runner's task errors. */
    private static final class IntervalSender implements RunListener {
        private final Link link;
        volatile TaskErrors errors = new TaskErrors();

        IntervalSender(Link link) {
            this.link = link;
        }

        @Override
        public boolean readsCurrentFigures() {
            return false; // the coordinator keeps the current figures of the whole run
        }

        @Override
        public void onInterval(IntervalStats interval, RunStats stats) {
            link.send(new WorkerProtocol.Interval(IntervalCodec.encode(interval), errors.snapshot()));
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            ScenarioCache.delete(folder);
        } catch (IOException ignored) {
            // a temporary folder; the system cleans it
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
