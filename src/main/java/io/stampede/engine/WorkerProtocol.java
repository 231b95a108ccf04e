package io.stampede.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpOptions;
import io.stampede.http.HttpProtocol;
import io.stampede.http.LatencyFrom;
import io.stampede.http.Tls;
import io.stampede.input.Authority;
import io.stampede.stats.IntervalCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The lines a coordinator and its worker processes exchange, one JSON object per line, one record
 * per message, told apart by {@code "type"}: the coordinator writes to a worker's stdin, the worker
 * to its stdout (its stderr is the user's). A renamed field fails the build, not the run.
 *
 * <pre>
 * worker → coordinator   {"type": "ready", "protocol": 6}                  compiled, waiting for go
 *                        {"type": "interval", "interval": {IntervalCodec}, "errors": {...}}   each second, and a last one
 *                        {"type": "done", "abandoned": [...]}              its run is over
 * coordinator → worker   {"type": "go", "protocol": 6, "host": ..., "load": {"model": "closed", ...}, "runTimeMillis": ...,
 *                         "segment": {"from": 1, "to": 2, "of": 3}, "joinedAtMillis": 0}   the whole load, and its slice
 *                        {"type": "users", "users": 12, "spawnRate": 2.5}  a change of the whole population
 *                        {"type": "slice", "segment": {...}, "fromMillis": 12000}   this worker's slice from then on
 *                        {"type": "stop"}                                  (end of input means stop too)
 * </pre>
 *
 * <p>Over the network ({@code stampede worker}, one message per WebSocket text frame) a worker first
 * says who it is, and only an authenticated one of this version is sent the run:
 *
 * <pre>
 * worker → coordinator   {"type": "hello", "protocol": 6, "token": ..., "host": ..., "clientCertificate": true}   first frame
 *                        {"type": "heartbeat", "cpuPercent": 37.5}          each second
 * coordinator → worker   {"type": "refused", "reason": ...}                 wrong token or version, no client certificate; then closed
 *                        {"type": "assign", "worker": "w2", "run": {..., "tls": {...}},
 *                         "scenario": {"kind": "java", ...} or {"kind": "declared", "users": [...]}}   build this, then say ready
 *                        {"type": "beat", "untilMillis": 9000}           each second: alive; no slice dated before 9 s
 * </pre>
 *
 * <p>Both sides check {@link #VERSION} at the start (ready, go): a worker of another version is a
 * clear error at once, not a coordinator waiting for lines it cannot read.
 */
final class WorkerProtocol {

    /** Changed whenever a message changes shape. */
    static final int VERSION = 8;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter WRITER = JSON.writerFor(Message.class);
    private static final ObjectReader READER = JSON.readerFor(Message.class);

    private WorkerProtocol() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Ready.class, name = "ready"),
            @JsonSubTypes.Type(value = Interval.class, name = "interval"),
            @JsonSubTypes.Type(value = Done.class, name = "done"),
            @JsonSubTypes.Type(value = Go.class, name = "go"),
            @JsonSubTypes.Type(value = Users.class, name = "users"),
            @JsonSubTypes.Type(value = Slice.class, name = "slice"),
            @JsonSubTypes.Type(value = Stop.class, name = "stop"),
            @JsonSubTypes.Type(value = Hello.class, name = "hello"),
            @JsonSubTypes.Type(value = Heartbeat.class, name = "heartbeat"),
            @JsonSubTypes.Type(value = Refused.class, name = "refused"),
            @JsonSubTypes.Type(value = Assign.class, name = "assign"),
            @JsonSubTypes.Type(value = Beat.class, name = "beat")})
    sealed interface Message permits FromWorker, ToWorker {
    }

    /** What a worker sends. */
    sealed interface FromWorker extends Message permits Ready, Interval, Done, Hello, Heartbeat {
    }

    /** What a coordinator sends. */
    sealed interface ToWorker extends Message permits Go, Users, Slice, Stop, Refused, Assign, Beat {
    }

    /** The scenario is compiled; the worker waits for {@link Go}. */
    record Ready(int protocol) implements FromWorker {
    }

    /** One second of the worker's statistics, and its users' task errors so far. */
    record Interval(IntervalCodec.Encoded interval, Map<String, Long> errors) implements FromWorker {
    }

    /** The worker's run is over; the users it abandoned at the stop. */
    record Done(List<RunEnd.Abandoned> abandoned) implements FromWorker {
    }

    /**
     * Start this worker's {@code segment} of the whole {@code load}, {@code joinedAtMillis} into its
     * schedule (a worker joining a running load; else 0); {@code runTimeMillis} null for an open-ended run.
     */
    record Go(int protocol, String host, Load load, @JsonInclude(JsonInclude.Include.NON_NULL) Long runTimeMillis,
              Segment segment, long joinedAtMillis) implements ToWorker {

        Duration joinedAt() {
            return Duration.ofMillis(joinedAtMillis);
        }

        Optional<Duration> runTime() {
            return Optional.ofNullable(runTimeMillis).map(Duration::ofMillis);
        }
    }

    /** A change of the whole population (the page's, the API's): each worker takes its slice of it. */
    record Users(int users, double spawnRate) implements ToWorker {
    }

    /**
     * This worker's slice from {@code fromMillis} into the whole schedule on: a worker joined or was
     * lost, and the load is divided again; every worker switches at that offset, so each arrival of the
     * open model has one owner before and after it.
     */
    record Slice(Segment segment, long fromMillis) implements ToWorker {

        Duration from() {
            return Duration.ofMillis(fromMillis);
        }
    }

    record Stop() implements ToWorker {
    }

    /**
     * A networked worker's first frame: nothing is sent to it before this is checked. {@code
     * clientCertificate}: it has its own for mutual TLS ({@code --client-cert}), which a plan that
     * presents one needs.
     */
    record Hello(int protocol, String token, String host, boolean clientCertificate) implements FromWorker {
    }

    /** A networked worker is alive; its process's CPU use, 0 to 100 (of all its cores), -1 if unknown. */
    record Heartbeat(double cpuPercent) implements FromWorker {
    }

    /** The coordinator will not have this worker; the connection closes after. */
    record Refused(String reason) implements ToWorker {
    }

    /** A networked worker's run: what a worker process would read from the plan, and what its users do. */
    record Assign(String worker, RunPart run, Work scenario) implements ToWorker {
    }

    /**
     * The coordinator is alive (a worker that hears nothing for a while stops its users), and promises
     * no slice dated before {@code untilMillis} into the schedule (-1 before the load starts): the
     * worker decides up to there ({@link Slices}).
     */
    record Beat(long untilMillis) implements ToWorker {

        static final long NO_PROMISE = -1;

        Duration until() {
            return Duration.ofMillis(untilMillis);
        }
    }

    /**
     * The plan's part a worker needs beyond the load: its name, the users' HTTP behaviour (every field
     * of {@link HttpOptions}: a test asserts it), tags, stop timeout.
     */
    record RunPart(String name, long connectTimeoutMillis, long responseTimeoutMillis, long maxBodyBytes,
                   boolean followRedirects, Map<String, String> headers, LatencyFrom latencyFrom, HttpProtocol version,
                   ClusterTls tls, List<Route> connectTo, Set<String> tags, Set<String> excludeTags, long stopTimeoutMillis) {

        static RunPart of(RunSpec spec) {
            HttpOptions http = spec.http();
            return new RunPart(spec.name(), http.connectTimeout().toMillis(), http.responseTimeout().toMillis(),
                    http.maxBodyBytes(), http.followRedirects(), http.headers(), http.latencyFrom(), http.protocol(),
                    ClusterTls.of(http.tls()), Route.of(http.connectTo()), spec.tags(), spec.excludeTags(),
                    spec.stopTimeout().toMillis());
        }

        /** The run spec once the go message names host, load and run time; {@code tls}: made of {@link #tls()} on the worker. */
        RunSpec spec(String host, LoadModel load, Optional<Duration> runTime, Tls tls) {
            return new RunSpec(name, host, load, runTime, new HttpOptions(Duration.ofMillis(connectTimeoutMillis),
                    Duration.ofMillis(responseTimeoutMillis), maxBodyBytes, followRedirects, headers, latencyFrom,
                    tls, version, Route.connectTo(connectTo)), tags, excludeTags, Duration.ofMillis(stopTimeoutMillis));
        }

        /** This part as one worker is sent it: a wildcard address in a connect-to entry replaced by {@code reachable}. */
        RunPart reachedBy(UnaryOperator<Authority> reachable) {
            List<Route> routes = connectTo.stream().map(r -> r.to(reachable.apply(r.to()))).toList();
            return new RunPart(name, connectTimeoutMillis, responseTimeoutMillis, maxBodyBytes, followRedirects, headers,
                    latencyFrom, version, tls, routes, tags, excludeTags, stopTimeoutMillis);
        }
    }

    /**
     * One connect-to entry (protocol 8): connections to {@code host:port} ({@code port} -1: any port)
     * go to {@code toHost:toPort} ({@code toPort} -1: the URL's port). Hosts are bare (an IPv6 address
     * without brackets).
     */
    record Route(String host, int port, String toHost, int toPort) {

        static List<Route> of(ConnectTo connectTo) {
            return connectTo.entries().entrySet().stream()
                    .map(e -> new Route(e.getKey().host(), e.getKey().port(), e.getValue().host(), e.getValue().port())).toList();
        }

        static ConnectTo connectTo(List<Route> routes) {
            Map<Authority, Authority> entries = new LinkedHashMap<>();
            routes.forEach(r -> entries.put(new Authority(r.host, r.port), r.to()));
            return new ConnectTo(entries);
        }

        Authority to() {
            return new Authority(toHost, toPort);
        }

        Route to(Authority other) {
            return new Route(host, port, other.host(), other.port());
        }
    }

    /** What the users do: a Java scenario to compile, or the users declared in the plan. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Source.class, name = "java"),
            @JsonSubTypes.Type(value = Declared.class, name = "declared")})
    sealed interface Work permits Source, Declared {
    }

    /** A Java scenario: its file name (the public class's) and its text. */
    record Source(String fileName, String text) implements Work {
    }

    /** The plan's {@code users:} or {@code tasks:}. */
    record Declared(List<ClusterUsers.User> users) implements Work {
    }

    /** A load model on the wire: its own records, so the plan's types can change without changing the wire. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "model")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Load.Closed.class, name = "closed"),
            @JsonSubTypes.Type(value = Load.Open.class, name = "open")})
    sealed interface Load {

        record Closed(int users, double spawnRate, List<Stage> stages) implements Load {
        }

        record Open(double arrivalRate, int maxConcurrency, int preAllocated, List<RateStage> stages) implements Load {
        }

        record Stage(long millis, int users, double spawnRate) {
        }

        record RateStage(long millis, double arrivalRate) {
        }

        static Load of(LoadModel model) {
            return switch (model) {
                case LoadModel.Closed c -> new Closed(c.users(), c.spawnRate(), c.stages().stream()
                        .map(s -> new Stage(s.duration().toMillis(), s.users(), s.spawnRate())).toList());
                case LoadModel.Open o -> new Open(o.arrivalRate(), o.maxConcurrency(), o.preAllocated(), o.stages().stream()
                        .map(s -> new RateStage(s.duration().toMillis(), s.arrivalRate())).toList());
            };
        }

        default LoadModel model() {
            return switch (this) {
                case Closed c -> new LoadModel.Closed(c.users(), c.spawnRate(), c.stages().stream()
                        .map(s -> new LoadModel.Stage(Duration.ofMillis(s.millis()), s.users(), s.spawnRate())).toList());
                case Open o -> new LoadModel.Open(o.arrivalRate(), o.stages().stream()
                        .map(s -> new LoadModel.RateStage(Duration.ofMillis(s.millis()), s.arrivalRate())).toList(),
                        o.maxConcurrency(), o.preAllocated());
            };
        }
    }

    static Go go(String host, LoadModel load, Optional<Duration> runTime, Segment segment, Duration joinedAt) {
        return new Go(VERSION, host, Load.of(load), runTime.map(Duration::toMillis).orElse(null), segment, joinedAt.toMillis());
    }

    static String line(Message message) {
        try {
            return WRITER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of strings and numbers always serialise
        }
    }

    /** @throws JsonProcessingException when the line is not a message of this protocol */
    static Message read(String line) throws JsonProcessingException {
        return READER.readValue(line);
    }
}
