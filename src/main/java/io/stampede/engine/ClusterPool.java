package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.input.Durations;
import io.stampede.jetty.JettyServer;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The coordinator's side of a run over many machines ({@code --master}): listens for workers that
 * dial in over WebSocket, checks each one's token and protocol version before it is told anything,
 * sends the authenticated ones the run and the scenario's source, starts when {@code expect} are
 * ready, and merges what they send each second. Each worker runs an equal {@link Segment} of the
 * whole schedule; one that joins late, or is lost, re-divides the load (users, stages, arrivals)
 * over those running. Faults, SLOs and the verdict stay here.
 *
 * <p>Liveness: every message from a worker counts as a beat (it sends a heartbeat with its CPU use
 * each second besides its intervals); one silent for {@link #MISSING_AFTER} is missing (an event, its
 * share kept: a saturated worker is late, not gone), for {@link #LOST_AFTER} lost. A closed connection
 * is lost at once. The coordinator beats too, so a worker whose coordinator is gone stops its users.
 */
final class ClusterPool implements WorkerGroup {

    private static final System.Logger LOG = System.getLogger(ClusterPool.class.getName());

    /** Where workers connect: {@code ws://host:port/stampede/cluster}. */
    static final String PATH = "/stampede/cluster";
    /** How often the coordinator looks whether its expected workers are ready. */
    static final Duration EXPECT_POLL = Duration.ofMillis(50);
    /** How often the coordinator beats and looks for silent workers. */
    static final Duration BEAT_PERIOD = Duration.ofSeconds(1);
    /** A worker silent this long is missing: five missed beats, so a saturated worker is not called gone. */
    static final Duration MISSING_AFTER = Duration.ofSeconds(5);
    /** A worker silent this long is lost: its connection is closed and its share moves to the others. */
    static final Duration LOST_AFTER = Duration.ofSeconds(15);
    /**
     * A re-split holds from this far ahead in the schedule: every worker has its slice message by then
     * (a message takes milliseconds) and switches at the same arrival, so none starts twice or not at all.
     */
    static final Duration SLICE_MARGIN = Duration.ofSeconds(2);
    /** The largest message either side accepts: a scenario's source, an interval of many request names. */
    static final long MAX_MESSAGE_BYTES = 16L * 1024 * 1024;
    /** How long a connection may carry nothing at all before Jetty closes it (beats flow every second). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Why a worker without a client certificate is refused when the plan presents one. */
    static final String NO_CLIENT_CERTIFICATE = "the plan's TLS presents a client certificate and this worker has none:"
            + " start it with --client-cert FILE --client-key FILE (or a PKCS#12 --client-cert with --client-cert-password);"
            + " private keys are never sent to workers";

    enum State { CONNECTED, ASSIGNED, READY, RUNNING, MISSING, DONE, LOST, REFUSED }

    private final Runner.Cluster cluster;
    private final TaskErrors errors;
    private final WorkerProtocol.Work scenario;
    /** What every worker is assigned but its name: the same run for all. */
    private final WorkerProtocol.RunPart run;
    private final List<Remote> remotes = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stampede-cluster-beat");
        t.setDaemon(true);
        return t;
    });
    private JettyServer server;
    /** Set at go: the run's host and length, and when it started. */
    private volatile String host;
    private volatile Optional<Duration> runTime = Optional.empty();
    private volatile long goNanos;
    private volatile boolean going;
    private volatile boolean stopping;
    /** The whole load the workers share now: the plan's, or a population set while running. */
    private volatile LoadModel load;

    private ClusterPool(RunSpec spec, Runner.Cluster cluster, TaskErrors errors, WorkerProtocol.Work scenario) {
        this.run = WorkerProtocol.RunPart.of(spec);
        this.cluster = cluster;
        this.errors = errors;
        this.scenario = scenario;
        this.load = spec.load();
    }

    /** One worker's connection and what it sent. */
    final class Remote implements ClusterSocket.Handler, WorkerStops.Stopping {
        final int number = ids.incrementAndGet();
        volatile Session session;
        volatile String id = "w" + number;
        volatile String host = "?";
        volatile State state = State.CONNECTED;
        /** Its slices of the load over the schedule, as sent to it. */
        final Slices slices = new Slices(Segment.NONE);
        volatile long lastHeardNanos = System.nanoTime();
        volatile double cpuPercent = -1;
        volatile double peakCpuPercent = -1;
        volatile int users;
        volatile long requests;
        volatile long failures;
        volatile double requestsPerSecond;
        /** When its last interval came: the arrivals it owned after that are not known to have started. */
        volatile long lastIntervalNanos = System.nanoTime();
        /** It said hello (accepted or refused): a connection that closed before it did is no worker to show. */
        volatile boolean introduced;
        final long firstSeenEpochMillis = millis();
        volatile long lastHeardEpochMillis = firstSeenEpochMillis;
        final ConcurrentLinkedQueue<IntervalStats> intervals = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<RunEnd.Abandoned> abandoned = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void opened(Session opened) {
            session = opened;
            host = String.valueOf(opened.getRemoteSocketAddress());
            remotes.add(this);
        }

        @Override
        public void text(String frame) {
            lastHeardNanos = System.nanoTime();
            lastHeardEpochMillis = millis();
            handle(this, frame);
        }

        @Override
        public void closed(String why) {
            gone(this, why);
        }

        void send(WorkerProtocol.ToWorker message) {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.sendText(WorkerProtocol.line(message), Callback.NOOP); // a failed send closes the session: gone() follows
            }
        }

        String name() {
            return id + " (" + host + ")";
        }

        /** The users' URL as this worker is to reach it (see {@link #reachable}). */
        String reach(String url) {
            Session open = session;
            return open == null ? url : reachable(url, open.getLocalSocketAddress());
        }

        /** An address to connect to (a connect-to entry's) as this worker is to reach it (see {@link #reachable}). */
        Authority reach(Authority address) {
            Session open = session;
            return open == null ? address : reachable(address, open.getLocalSocketAddress());
        }

        @Override
        public CountDownLatch stopped() {
            return done;
        }

        @Override
        public RunEnd.Abandoned late() {
            return new RunEnd.Abandoned("worker " + name(), "(did not stop in time)", users);
        }

        @Override
        public Collection<RunEnd.Abandoned> abandoned() {
            return abandoned;
        }

        boolean holdsShare() {
            return state == State.RUNNING || state == State.MISSING;
        }
    }

    /**
     * Listens on the cluster's address and waits until {@code expect} workers are ready.
     *
     * @throws StampedeException.CannotRun when the address is taken or the workers do not come in time
     */
    static ClusterPool start(RunSpec spec, Runner.Cluster cluster, TaskErrors errors) {
        ClusterPool pool = new ClusterPool(spec, cluster, errors, work(cluster.scenario()));
        try {
            pool.listen();
            pool.awaitExpected();
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** What the workers' users do, as sent: a Java file's text, or the plan's declared users. */
    private static WorkerProtocol.Work work(Scenario scenario) {
        return switch (scenario) {
            case Scenario.Declared declared -> new WorkerProtocol.Declared(ClusterUsers.of(declared));
            case Scenario.JavaFile java -> {
                try {
                    yield new WorkerProtocol.Source(java.file().getFileName().toString(),
                            Files.readString(java.file(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new StampedeException.CannotRun("cannot read the scenario " + java.file() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    private void listen() {
        server = JettyServer.on(cluster.bindHost(), cluster.bindPort()).threads("stampede-cluster", 64).daemon()
                .build(jetty -> WebSocketUpgradeHandler.from(jetty, container -> {
                    container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
                    container.setIdleTimeout(IDLE_TIMEOUT);
                    container.addMapping(PATH, (request, response, callback) -> new ClusterSocket(new Remote()));
                }));
        try {
            server.start();
        } catch (IOException e) {
            throw new StampedeException.CannotRun("cannot listen for workers on " + new Authority(cluster.bindHost(), cluster.bindPort())
                    + ": " + e.getMessage(), e);
        }
        long period = BEAT_PERIOD.toMillis();
        beats.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        System.err.println("Waiting for " + cluster.expect() + " worker" + (cluster.expect() == 1 ? "" : "s") + " on ws://"
                + new Authority(cluster.bindHost(), server.port()) + PATH + " (stampede worker --master-host ... --master-port "
                + server.port() + ")");
    }

    /** The port workers connect to (the chosen one when 0 was asked for). */
    int port() {
        return server.port();
    }

    private void awaitExpected() {
        Duration wait = cluster.expectWait();
        long deadline = System.nanoTime() + wait.toNanos();
        while (ready().size() < cluster.expect()) {
            if (System.nanoTime() > deadline) {
                throw new StampedeException.CannotRun(gaveUp(wait));
            }
            try {
                Thread.sleep(EXPECT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StampedeException.CannotRun("interrupted while waiting for workers");
            }
        }
    }

    /** Why the run cannot start: how many workers came and how far they got, and how to start more. */
    private String gaveUp(Duration wait) {
        int ready = ready().size();
        long preparing = remotes.stream().filter(r -> r.state == State.ASSIGNED).count();
        long refused = remotes.stream().filter(r -> r.state == State.REFUSED).count();
        long lost = remotes.stream().filter(r -> r.state == State.LOST && r.introduced).count();
        List<String> others = new ArrayList<>();
        if (preparing > 0) {
            others.add(preparing + " still preparing (compiling the scenario)");
        }
        if (refused > 0) {
            others.add(refused + " refused");
        }
        if (lost > 0) {
            others.add(lost + " lost before they were ready");
        }
        return "gave up waiting for workers: only " + ready + " of " + cluster.expect() + " expected were ready within "
                + Durations.format(wait) + " (--expect-workers " + cluster.expect() + ", --expect-workers-max-wait)"
                + (others.isEmpty() ? "" : "; " + String.join(", ", others)) + ". Start them with: stampede worker --master-host"
                + " <this host> --master-port " + server.port();
    }

    private List<Remote> ready() {
        return remotes.stream().filter(r -> r.state == State.READY).toList();
    }

    private List<Remote> sharing() {
        return remotes.stream().filter(Remote::holdsShare).toList();
    }

    private void handle(Remote remote, String text) {
        WorkerProtocol.Message message;
        try {
            message = WorkerProtocol.read(text);
        } catch (IOException notOurs) {
            if (remote.state == State.CONNECTED) {
                refuse(remote, "it does not speak worker protocol " + WorkerProtocol.VERSION
                        + ": run the same version of Stampede on the coordinator and the workers");
            } else {
                LOG.log(System.Logger.Level.WARNING, "worker " + remote.name() + " sent an unreadable message: " + notOurs.getMessage());
            }
            return;
        }
        if (remote.state == State.CONNECTED) {
            if (message instanceof WorkerProtocol.Hello hello) {
                welcome(remote, hello);
            } else {
                refuse(remote, "its first message was not a hello of worker protocol " + WorkerProtocol.VERSION);
            }
            return;
        }
        switch (message) {
            case WorkerProtocol.Ready r -> ready(remote);
            case WorkerProtocol.Interval i -> {
                IntervalStats interval = IntervalCodec.decode(i.interval());
                remote.users = interval.users();
                EntryStats total = interval.total();
                remote.requests += total.count();
                remote.failures += total.failures();
                remote.requestsPerSecond = total.count() * 1000.0 / Math.max(1, interval.endEpochMillis() - interval.startEpochMillis());
                remote.intervals.add(interval);
                remote.lastIntervalNanos = System.nanoTime();
                errors.remote(remote.number, i.errors() == null ? Map.of() : new TreeMap<>(i.errors()));
                back(remote);
            }
            case WorkerProtocol.Heartbeat h -> {
                remote.cpuPercent = h.cpuPercent();
                remote.peakCpuPercent = Math.max(remote.peakCpuPercent, h.cpuPercent());
                back(remote);
            }
            case WorkerProtocol.Done d -> finished(remote, d);
            case WorkerProtocol.Hello h -> LOG.log(System.Logger.Level.WARNING, "worker " + remote.name() + " said hello twice");
            case WorkerProtocol.ToWorker t -> LOG.log(System.Logger.Level.WARNING, "worker " + remote.name() + " sent a coordinator's message");
        }
    }

    private void welcome(Remote remote, WorkerProtocol.Hello hello) {
        remote.introduced = true;
        if (hello.protocol() != WorkerProtocol.VERSION) {
            refuse(remote, "it speaks worker protocol " + hello.protocol() + ", this coordinator " + WorkerProtocol.VERSION
                    + ": run the same version of Stampede on the coordinator and the workers");
            return;
        }
        if (cluster.token() != null && !tokenMatches(cluster.token(), hello.token())) { // none asked: loopback only
            refuse(remote, hello.token() == null || hello.token().isEmpty() ? "it gave no cluster token (--cluster-token or STAMPEDE_CLUSTER_TOKEN)"
                    : "its cluster token is wrong");
            return;
        }
        if (hello.host() != null && !hello.host().isBlank()) {
            remote.host = hello.host() + " " + remote.host;
        }
        if (run.tls().clientCertificate() && !hello.clientCertificate()) { // its users' handshakes would all fail
            refuse(remote, NO_CLIENT_CERTIFICATE);
            return;
        }
        // the assign is queued before the state lets the beat thread send anything: a beat first
        // would be taken by the worker for the coordinator's answer to its hello
        remote.send(new WorkerProtocol.Assign(remote.id, run.reachedBy(remote::reach), scenario));
        remote.state = State.ASSIGNED;
    }

    /**
     * {@code url} with a wildcard host (0.0.0.0 or [::]: a fault proxy listening on every address of
     * the coordinator) replaced by {@code local}, the coordinator's address a worker's connection
     * arrived at, which that worker can reach; any other URL unchanged.
     */
    static String reachable(String url, SocketAddress local) {
        String host = URI.create(url).getHost();
        if (host == null || !Addresses.isWildcard(host) || !(local instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return url;
        }
        String address = socket.getAddress().getHostAddress().replaceFirst("%.*$", ""); // no scope id in a URL
        return url.replaceFirst("//" + Pattern.quote(host), Matcher.quoteReplacement("//" + Addresses.urlHost(address)));
    }

    /** {@code address} with a wildcard host replaced by {@code local}, as {@link #reachable(String, SocketAddress)} does a URL's. */
    static Authority reachable(Authority address, SocketAddress local) {
        if (!Addresses.isWildcard(address.host()) || !(local instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return address;
        }
        return new Authority(socket.getAddress().getHostAddress().replaceFirst("%.*$", ""), address.port());
    }

    /** Equal in time whatever the first difference: a wrong token says nothing of the right one. */
    static boolean tokenMatches(String expected, String given) {
        byte[] want = (expected == null ? "" : expected).getBytes(StandardCharsets.UTF_8);
        byte[] got = (given == null ? "" : given).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(want, got);
    }

    private void refuse(Remote remote, String reason) {
        remote.introduced = true;
        remote.state = State.REFUSED;
        event(Event.Kind.WORKER_REFUSED, "worker at " + remote.host, reason);
        System.err.println("stampede: refused a worker at " + remote.host + ": " + reason);
        remote.send(new WorkerProtocol.Refused(reason));
        Session session = remote.session;
        if (session != null) {
            session.close(StatusCode.POLICY_VIOLATION, "refused", Callback.NOOP);
        }
    }

    private synchronized void ready(Remote remote) {
        remote.state = State.READY;
        event(Event.Kind.WORKER_JOINED, remote.name(), going && !stopping
                ? "ready, joins the running load; " + resplit(remote.name() + " joined").said() : "ready");
    }

    private void back(Remote remote) {
        if (remote.state == State.MISSING) {
            remote.state = State.RUNNING;
            event(Event.Kind.WORKER_BACK, remote.name(), "heard from again");
        }
    }

    private void finished(Remote remote, WorkerProtocol.Done done) {
        remote.abandoned.addAll(done.abandoned() == null ? List.of() : done.abandoned());
        remote.state = State.DONE;
        remote.users = 0;
        remote.done.countDown();
        event(Event.Kind.WORKER_FINISHED, remote.name(), remote.requests + " requests, " + remote.failures + " failures");
    }

    private synchronized void gone(Remote remote, String why) {
        State was = remote.state;
        if (was == State.DONE || was == State.LOST || was == State.REFUSED) {
            return;
        }
        remote.state = State.LOST;
        remote.users = 0;
        remote.done.countDown();
        if (was == State.CONNECTED) {
            return; // never said who it was: nothing to tell
        }
        boolean hadShare = was == State.RUNNING || was == State.MISSING;
        if (!hadShare || stopping) {
            event(Event.Kind.WORKER_LOST, remote.name(), why);
            return;
        }
        Resplit resplit = resplit(remote.name() + " lost");
        event(Event.Kind.WORKER_LOST, remote.name(), why + "; " + resplit.said() + dropped(remote, resplit.fromNanos()));
    }

    /**
     * Counts the lost worker's arrivals of the open model from its last interval to the re-split as
     * dropped (k6's dropped_iterations): nobody is known to have started them, and starting them late
     * would be a burst the plan never asked for. Returns what was counted, for the event.
     */
    private String dropped(Remote remote, long untilNanos) {
        if (!(load instanceof LoadModel.Open open) || untilNanos < 0) {
            return "";
        }
        long fromNanos = Math.max(0, remote.lastIntervalNanos - goNanos);
        long lost = ArrivalClock.count(open, remote.slices, fromNanos, untilNanos);
        if (lost == 0) {
            return "";
        }
        long nowMillis = millis();
        remote.intervals.add(new IntervalStats(nowMillis, nowMillis, 0, Map.of(), Map.of(), lost));
        System.err.println("stampede: worker " + remote.name() + " lost: " + lost + " arrival" + (lost == 1 ? "" : "s")
                + " of its share since its last interval counted as dropped iterations");
        return "; " + lost + " arrival" + (lost == 1 ? "" : "s") + " of its share since its last interval counted as dropped";
    }

    /** What a re-split did, for the event, and the schedule's offset it holds from (-1: none). */
    private record Resplit(String said, long fromNanos) {
    }

    /**
     * Divides the load again over the workers running now and the ready ones, which start: each gets
     * an equal segment of [0,1) and takes its part of the whole schedule (users, stages, arrivals)
     * from it. The new split holds from {@link #SLICE_MARGIN} ahead in the schedule, for every worker
     * at the same offset; a joiner starts at once on the schedule's clock and holds nothing until then.
     */
    private synchronized Resplit resplit(String why) {
        if (!going) {
            return new Resplit("the load is split at the start", -1);
        }
        List<Remote> all = new ArrayList<>(sharing());
        all.addAll(ready());
        if (all.isEmpty()) {
            return new Resplit("no worker is left to take its share", -1);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - goNanos);
        Duration from = elapsed.plus(SLICE_MARGIN);
        Optional<Duration> left = runTime.map(d -> d.minus(elapsed)).map(d -> d.isNegative() ? Duration.ZERO : d);
        LoadModel now = load;
        int n = all.size();
        for (int i = 0; i < n; i++) {
            Remote remote = all.get(i);
            Segment segment = Segment.of(i, n);
            remote.slices.hold(segment, from);
            if (remote.state == State.READY) {
                remote.state = State.RUNNING;
                remote.send(WorkerProtocol.go(remote.reach(host), now, left, Segment.NONE, elapsed));
            }
            remote.send(new WorkerProtocol.Slice(segment, from.toMillis()));
        }
        LOG.log(System.Logger.Level.DEBUG, why);
        return new Resplit("the load re-divided over " + n + " worker" + (n == 1 ? "" : "s") + ": " + divided(now, n, from)
                + " (from " + Durations.format(Duration.ofMillis(from.toMillis())) + " into the run)", from.toMillis() * 1_000_000);
    }

    /** What each of {@code n} workers takes of {@code load} at {@code elapsed}, for the timeline. */
    static String divided(LoadModel load, int n, Duration elapsed) {
        String each = n == 1 ? "all of it" : "1/" + n + " each";
        return switch (load) {
            case LoadModel.Open open -> "arrival rate " + each + " (every " + (n == 1 ? "" : ordinal(n) + " ") + "arrival, "
                    + Math.round(Math.max(open.rateAt(elapsed), 0) * 10) / 10.0 + "/s in all now)";
            case LoadModel.Closed closed when closed.stages().isEmpty() -> closed.users() + " users as "
                    + IntStream.range(0, n).mapToObj(i -> String.valueOf(Segment.of(i, n).part(closed.users())))
                    .collect(Collectors.joining(" + "));
            case LoadModel.Closed closed -> "the remaining stages, " + (n == 1 ? "all of their users" : "1/" + n + " of their users each");
        };
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    /** Every second: tell the workers the coordinator lives, and mark the silent ones. */
    private void beat() {
        long now = System.nanoTime();
        for (Remote remote : remotes) {
            State state = remote.state;
            if (state == State.LOST || state == State.REFUSED || state == State.DONE || state == State.CONNECTED) {
                continue;
            }
            beat(remote);
            long silentNanos = now - remote.lastHeardNanos;
            if (silentNanos > LOST_AFTER.toNanos()) {
                gone(remote, "silent for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s");
                Session session = remote.session;
                if (session != null) {
                    session.disconnect();
                }
            } else if (silentNanos > MISSING_AFTER.toNanos() && state == State.RUNNING) {
                remote.state = State.MISSING;
                event(Event.Kind.WORKER_MISSING, remote.name(), "silent for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos)
                        + " s (CPU " + (remote.cpuPercent < 0 ? "unknown" : Math.round(remote.cpuPercent) + "%")
                        + " at its last heartbeat); its share is kept until " + LOST_AFTER.toSeconds() + " s");
            }
        }
    }

    /**
     * A beat with the promise of no slice dated before where the schedule is now plus {@link #SLICE_MARGIN}.
     * Under the lock {@link #resplit} holds: a promise computed after a slice's date is sent after it.
     */
    private synchronized void beat(Remote remote) {
        long until = going ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goNanos + SLICE_MARGIN.toNanos())
                : WorkerProtocol.Beat.NO_PROMISE;
        remote.send(new WorkerProtocol.Beat(until));
    }

    /**
     * Every worker that said hello, or is connecting now, by its number (w1, w2...), as it is now; a
     * connection that closed before its hello (a port scan), or had not said it when the run stopped,
     * is no worker. Sorted here because two connections opening at once join {@link #remotes} in either
     * order, whatever their numbers.
     */
    @Override
    public List<WorkerStatus> workers() {
        long nowNanos = System.nanoTime();
        return remotes.stream().filter(r -> r.introduced || (r.state == State.CONNECTED && !stopping))
                .sorted(Comparator.comparingInt(r -> r.number)).map(r -> new WorkerStatus(r.id, r.host, status(r.state), r.users,
                r.requests, r.failures, r.holdsShare() ? r.requestsPerSecond : 0, r.cpuPercent < 0 ? null : r.cpuPercent,
                r.peakCpuPercent < 0 ? null : r.peakCpuPercent, TimeUnit.NANOSECONDS.toMillis(nowNanos - r.lastHeardNanos),
                r.firstSeenEpochMillis, r.lastHeardEpochMillis)).toList();
    }

    private static WorkerStatus.State status(State state) {
        return switch (state) {
            case CONNECTED -> WorkerStatus.State.CONNECTING;
            case ASSIGNED -> WorkerStatus.State.PREPARING;
            case READY -> WorkerStatus.State.READY;
            case RUNNING -> WorkerStatus.State.RUNNING;
            case MISSING -> WorkerStatus.State.MISSING;
            case DONE -> WorkerStatus.State.FINISHED;
            case LOST -> WorkerStatus.State.LOST;
            case REFUSED -> WorkerStatus.State.REFUSED;
        };
    }

    /** Now on the run's clock (the timeline's), so a worker's first and last seen sit on the events' axis. */
    private long millis() {
        EventLog events = cluster.events();
        return events == null ? System.currentTimeMillis() : events.clock().millis();
    }

    private void event(Event.Kind kind, String worker, String detail) {
        EventLog events = cluster.events();
        if (events != null) {
            events.emitTarget(kind, worker, detail);
        }
    }

    @Override
    public synchronized void go(String runHost, LoadModel whole, Optional<Duration> length) {
        host = runHost;
        runTime = length;
        load = whole;
        goNanos = System.nanoTime();
        going = true;
        List<Remote> starting = ready();
        for (int i = 0; i < starting.size(); i++) {
            Remote remote = starting.get(i);
            remote.state = State.RUNNING;
            Segment segment = Segment.of(i, starting.size());
            remote.slices.hold(segment, Duration.ZERO);
            remote.send(WorkerProtocol.go(remote.reach(runHost), whole, length, segment, Duration.ZERO));
        }
    }

    /** The whole population goes to every worker, which takes its segment's part: the parts add up to {@code users}. */
    @Override
    public synchronized void changeUsers(int users, double spawnRate) {
        load = new LoadModel.Closed(users, spawnRate, List.of());
        for (Remote remote : sharing()) {
            remote.send(new WorkerProtocol.Users(users, spawnRate));
        }
    }

    @Override
    public IntervalStats takeInterval(long startMillis, long endMillis) {
        IntervalStats merged = new IntervalStats(startMillis, endMillis, 0, Map.of(), Map.of());
        for (Remote remote : remotes) {
            for (IntervalStats interval; (interval = remote.intervals.poll()) != null; ) {
                merged = merged.merge(interval);
            }
        }
        return new IntervalStats(startMillis, endMillis, users(), merged.entries(), merged.failures(), merged.droppedIterations(),
                merged.slots());
    }

    @Override
    public int users() {
        return remotes.stream().filter(Remote::holdsShare).mapToInt(r -> r.users).sum();
    }

    @Override
    public boolean allDone() {
        return going && remotes.stream().noneMatch(r -> r.holdsShare() || r.state == State.ASSIGNED);
    }

    @Override
    public List<RunEnd.Abandoned> stop(Duration wait) {
        stopping = true;
        List<Remote> told = remotes.stream().filter(r -> r.holdsShare() || r.state == State.READY || r.state == State.ASSIGNED)
                .toList();
        told.forEach(r -> r.send(new WorkerProtocol.Stop()));
        return WorkerStops.await(told, wait);
    }

    /** Closes every connection (a worker whose connection closes stops its users) and the listener. */
    @Override
    public void close() {
        stopping = true;
        beats.shutdownNow();
        for (Remote remote : remotes) {
            Session session = remote.session;
            if (session != null && session.isOpen()) {
                session.close(StatusCode.NORMAL, "run over", Callback.NOOP);
            }
        }
        if (server != null) {
            server.close();
        }
    }
}
