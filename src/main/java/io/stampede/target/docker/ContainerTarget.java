package io.stampede.target.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.StampedeException;
import io.stampede.docker.DockerEngine;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.guardian.Journal;
import io.stampede.guardian.Undo;
import io.stampede.input.Authority;
import io.stampede.target.HealthMonitor;
import io.stampede.target.Signal;
import io.stampede.target.TargetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A container target, live: the declared containers found (or the one created from the plan's
 * image), their state changes followed from the engine's event stream onto the run's timeline, their
 * health probed like a process's. Faults act on one {@link Container} at a time through the
 * operations here, and only on the containers resolved at start: nothing else is ever touched.
 * {@link #close()} removes the container Stampede created and leaves the others as they are.
 */
public final class ContainerTarget implements AutoCloseable {

    private static final int PAUSE_ATTEMPTS = 3;
    private static final Duration PAUSE_RETRY_PAUSE = Duration.ofMillis(100);
    private static final String UNABLE_TO_FREEZE = "unable to freeze";

    private static final System.Logger LOG = System.getLogger(ContainerTarget.class.getName());

    /** Labels every container Stampede creates, so one left by a killed run is easy to find. */
    public static final String LABEL = "io.stampede.target";
    /** How long a command in a container's network namespace may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** One container, by its full ID and its name (without Docker's leading slash). */
    public record Container(String id, String name) {
        public String shortId() {
            return id.substring(0, Math.min(12, id.length()));
        }

        @Override
        public String toString() {
            return name + " (" + shortId() + ")";
        }
    }

    private final TargetSpec.Container spec;
    private final DockerEngine docker;
    private final EventLog events;
    private final List<Container> members = new ArrayList<>();
    private Container created;
    private AutoCloseable stateStream;
    private HealthMonitor health;

    private ContainerTarget(TargetSpec.Container spec, DockerEngine docker, EventLog events) {
        this.spec = spec;
        this.docker = docker;
        this.events = events;
    }

    /**
     * Finds (or creates and starts) the target's containers, follows their state, and waits until
     * the health URL answers when there is one. On failure, removes what it created and throws.
     */
    public static ContainerTarget start(TargetSpec.Container spec, EventLog events, Duration healthyWithin) {
        DockerEngine docker = DockerEngine.connect();
        ContainerTarget target = new ContainerTarget(spec, docker, events);
        try {
            long since = System.currentTimeMillis() / 1000;
            if (spec.image() != null) {
                target.create();
            } else {
                target.find();
            }
            target.follow(since);
            if (spec.image() != null) {
                target.startCreated();
            }
            if (spec.url() != null) {
                target.health = new HealthMonitor(spec.name(), spec.url().resolve(spec.healthPath()), events).start();
                target.awaitHealthy(healthyWithin);
            }
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    public String name() {
        return spec.name();
    }

    /** The containers faults may act on, fixed at start. */
    public List<Container> members() {
        return List.copyOf(members);
    }

    // ---- what faults do --------------------------------------------------------------------------

    /** {@code docker kill}: the engine marks the container as stopped by hand, so its restart policy does not act. */
    public void kill(Container c, Signal signal) {
        check(c, docker.post("/containers/" + c.id() + "/kill?signal=" + signal.name(), null, Duration.ZERO), "kill");
    }

    /**
     * Kills the container's main process from the host, as the kernel's OOM killer or a crash would:
     * the engine sees the process die on its own, so the restart policy applies. Returns the host PID.
     */
    public long crash(Container c, Signal signal) {
        long pid = hostPid(c);
        if (pid <= 0) {
            throw new IllegalStateException("container " + c + " is not running");
        }
        if (!signal.sendTo(pid)) {
            throw new IllegalStateException("container " + c + ": its main process " + pid + " is gone");
        }
        return pid;
    }

    /** Freezes every process of the container (the cgroup freezer); connections stay open, answers stop. */
    public void pause(Container c) {
        Journal.record(new Undo.UnpauseContainer(c.id()));
        DockerEngine.Reply reply = docker.post("/containers/" + c.id() + "/pause", null, Duration.ZERO);
        // runc gives up ("unable to freeze") when a process has not reached the frozen state within its
        // short wait, which a busy CPU makes likely; it thaws what it froze, so trying again is safe
        for (int attempt = 1; attempt < PAUSE_ATTEMPTS && !reply.ok() && reply.message().contains(UNABLE_TO_FREEZE); attempt++) {
            sleep(PAUSE_RETRY_PAUSE);
            reply = docker.post("/containers/" + c.id() + "/pause", null, Duration.ZERO);
        }
        check(c, reply, "pause");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void unpause(Container c) {
        check(c, docker.post("/containers/" + c.id() + "/unpause", null, Duration.ZERO), "unpause");
        Journal.done(new Undo.UnpauseContainer(c.id()));
    }

    /** SIGTERM, then SIGKILL after {@code grace}; stays stopped whatever its restart policy. */
    public void stop(Container c, Duration grace) {
        Journal.record(new Undo.StartContainer(c.id()));
        check(c, docker.post("/containers/" + c.id() + "/stop?t=" + grace.toSeconds(), null, grace), "stop");
    }

    public void startAgain(Container c) {
        check(c, docker.post("/containers/" + c.id() + "/start", null, Duration.ZERO), "start");
        Journal.done(new Undo.StartContainer(c.id()));
    }

    /** Stops (with {@code grace}) and starts again. */
    public void restart(Container c, Duration grace) {
        check(c, docker.post("/containers/" + c.id() + "/restart?t=" + grace.toSeconds(), null, grace), "restart");
    }

    /** The PID of the container's main process on the host, or 0 when it is not running. */
    public long hostPid(Container c) {
        DockerEngine.Reply reply = docker.get("/containers/" + c.id() + "/json");
        check(c, reply, "inspect");
        return reply.body().path("State").path("Pid").asLong();
    }

    /** True when the container's processes are frozen. */
    public boolean paused(Container c) {
        DockerEngine.Reply reply = docker.get("/containers/" + c.id() + "/json");
        check(c, reply, "inspect");
        return reply.body().path("State").path("Paused").asBoolean();
    }

    /** What a command run in a container's network namespace printed, and its exit code. */
    public record CommandResult(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs a host command ({@code tc}, {@code iptables}) inside the container's network namespace
     * with {@code nsenter}, so kernel network faults reach the container and nothing else. Refused
     * for a container that shares the host's (or another container's) network namespace.
     */
    public CommandResult inNetwork(Container c, List<String> command) {
        DockerEngine.Reply reply = docker.get("/containers/" + c.id() + "/json");
        check(c, reply, "inspect");
        String mode = reply.body().path("HostConfig").path("NetworkMode").asText();
        if (mode.equals("host") || mode.startsWith("container:")) {
            throw new IllegalStateException("container " + c + " uses network mode '" + mode
                    + "': a kernel network fault there would not stay inside it, so it is refused");
        }
        long pid = reply.body().path("State").path("Pid").asLong();
        if (pid <= 0) {
            throw new IllegalStateException("container " + c + " is not running");
        }
        List<String> line = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n"));
        line.addAll(command);
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new CommandResult(p.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + line.get(0) + " (Debian: apt-get install util-linux iproute2 iptables): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void check(Container c, DockerEngine.Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException("docker " + what + " " + c + ": " + reply.message());
        }
    }

    // ---- start and stop ---------------------------------------------------------------------------

    private void find() {
        if (spec.pattern() != null) {
            Pattern pattern = Pattern.compile(spec.pattern());
            DockerEngine.Reply list = docker.get("/containers/json?all=1");
            for (JsonNode c : list.body()) {
                String name = c.path("Names").path(0).asText().replaceFirst("^/", "");
                if (pattern.matcher(name).find()) {
                    members.add(new Container(c.path("Id").asText(), name));
                }
            }
            if (members.isEmpty()) {
                throw new StampedeException.BadInput(spec.where() + ": no container matches re2:" + spec.pattern()
                        + " (target " + spec.name() + ")");
            }
            return;
        }
        for (String wanted : spec.names()) {
            DockerEngine.Reply reply = docker.get("/containers/" + DockerEngine.query(wanted) + "/json");
            if (reply.status() == 404) {
                throw new StampedeException.BadInput(spec.where() + ": no container '" + wanted + "' (target " + spec.name() + ")");
            }
            if (!reply.ok()) {
                throw new StampedeException.CannotRun(spec.where() + ": docker inspect " + wanted + ": " + reply.message());
            }
            members.add(new Container(reply.body().path("Id").asText(), reply.body().path("Name").asText().replaceFirst("^/", "")));
        }
    }

    private void create() {
        String port = spec.port() + "/tcp";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        if (!spec.command().isEmpty()) {
            body.put("Cmd", spec.command());
        }
        body.put("Labels", Map.of(LABEL, spec.name(), LABEL + ".pid", Long.toString(ProcessHandle.current().pid())));
        body.put("ExposedPorts", Map.of(port, Map.of()));
        body.put("HostConfig", Map.of(
                "PortBindings", Map.of(port, List.of(Map.of("HostIp", spec.publishedHostIp(),
                        "HostPort", Integer.toString(Authority.of(spec.url()).port())))),
                "RestartPolicy", Map.of("Name", spec.restartPolicy())));
        String containerName = "stampede-" + spec.name().replaceAll("[^a-zA-Z0-9_.-]", "-") + "-" + ProcessHandle.current().pid();
        Journal.record(new Undo.RemoveContainer(containerName)); // by name: recorded before it exists
        DockerEngine.Reply reply = docker.post("/containers/create?name=" + DockerEngine.query(containerName), body, Duration.ZERO);
        if (!reply.ok()) {
            Journal.done(new Undo.RemoveContainer(containerName));
        }
        if (reply.status() == 404) {
            throw new StampedeException.CannotRun(spec.where() + ": the Docker engine has no image '" + spec.image()
                    + "' (Stampede does not pull: build or load it first, e.g. examples/containers/build-demo-image.sh)");
        }
        if (!reply.ok()) {
            throw new StampedeException.CannotRun(spec.where() + ": cannot create a container from " + spec.image() + ": " + reply.message());
        }
        created = new Container(reply.body().path("Id").asText(), containerName);
        members.add(created);
    }

    private void startCreated() {
        DockerEngine.Reply reply = docker.post("/containers/" + created.id() + "/start", null, Duration.ZERO);
        if (!reply.ok()) {
            throw new StampedeException.CannotRun("target " + spec.name() + ": cannot start container " + created + ": "
                    + reply.message());
        }
    }

    private void awaitHealthy(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!health.healthy()) {
            if (System.nanoTime() > deadline) {
                throw new StampedeException.CannotRun("target " + spec.name() + " (" + spec.selection() + ") was not healthy at "
                        + health.url() + " within " + within.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StampedeException.CannotRun("interrupted while waiting for target " + spec.name());
            }
        }
    }

    /** Puts the members' state changes on the timeline, dated by the engine. */
    private void follow(long sinceSeconds) {
        Map<String, Container> byId = new LinkedHashMap<>();
        members.forEach(c -> byId.put(c.id(), c));
        String filters = DockerEngine.json(Map.of("type", List.of("container"), "container", List.copyOf(byId.keySet()),
                "event", List.of("start", "die", "pause", "unpause")));
        stateStream = docker.follow("filters=" + DockerEngine.query(filters) + "&since=" + sinceSeconds, e -> {
            Container c = byId.get(e.path("id").asText());
            if (c == null) {
                return;
            }
            long at = e.has("timeNano") ? e.path("timeNano").asLong() / 1_000_000 : e.path("time").asLong() * 1000;
            String action = e.path("Action").asText(e.path("status").asText());
            Event.Kind kind;
            String detail;
            switch (action) {
                case "start" -> {
                    kind = Event.Kind.TARGET_STARTED;
                    detail = "container " + c;
                }
                case "die" -> {
                    kind = Event.Kind.TARGET_EXITED;
                    String code = e.path("Actor").path("Attributes").path("exitCode").asText("?");
                    Signal signal = code.matches("\\d+") ? Signal.ofExitValue(Integer.parseInt(code)) : null;
                    detail = "container " + c + (signal != null ? " killed by " + signal : " exit code " + code);
                }
                case "pause" -> {
                    kind = Event.Kind.TARGET_PAUSED;
                    detail = "container " + c;
                }
                case "unpause" -> {
                    kind = Event.Kind.TARGET_RESUMED;
                    detail = "container " + c;
                }
                default -> {
                    return;
                }
            }
            events.emit(new Event(at, kind, spec.name(), "", "", detail));
        });
    }

    /** See {@link HealthMonitor#sampleFast}. */
    public void sampleHealthFast(boolean inEffect) {
        HealthMonitor monitor = health;
        if (monitor != null) {
            monitor.sampleFast(inEffect);
        }
    }

    /** Stops probing and following; removes the container Stampede created (with force: paused or not). Idempotent. */
    @Override
    public void close() {
        if (health != null) {
            health.close();
        }
        Container toRemove = created;
        created = null;
        if (toRemove != null) {
            try {
                DockerEngine.Reply reply = docker.delete("/containers/" + toRemove.id() + "?force=1&v=1");
                if (reply.ok() || reply.status() == 404) {
                    Journal.done(new Undo.RemoveContainer(toRemove.name()));
                }
                if (reply.ok()) {
                    // wait for the engine's "die" event before the stream closes, so the end is on the timeline
                    Thread.sleep(100);
                } else if (reply.status() != 404) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove container " + toRemove + ": " + reply.message());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove container " + toRemove + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stateStream != null) {
            try {
                stateStream.close();
            } catch (Exception ignored) {
                // the stream is gone either way
            }
            stateStream = null;
        }
    }
}
