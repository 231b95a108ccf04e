package io.stampede.target.docker;

import io.stampede.StampedeException;
import io.stampede.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker side of the container tests: a real engine, the demo image built with the example's
 * script under a tag of its own, containers created for a test and removed after it, by ID.
 * Without an engine the tests are skipped with a reason, except in CI, where they must run.
 */
public final class DockerLab implements AutoCloseable {

    private static final Path SCRIPT = Path.of("examples/containers/build-demo-image.sh");

    private final DockerEngine docker;
    private final String image;
    private final List<String> containers = new ArrayList<>();

    private DockerLab(DockerEngine docker, String image) {
        this.docker = docker;
        this.image = image;
    }

    /** Connects to the engine (or skips outside CI) and builds a fresh demo image. */
    public static DockerLab open() throws IOException, InterruptedException {
        DockerEngine docker;
        try {
            docker = DockerEngine.connect();
        } catch (StampedeException e) {
            String why = "container tests need a Docker engine and root (./run-tests installs and starts one in CI): " + e.getMessage();
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
            throw e;
        }
        String image = "stampede-demo:test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process build = new ProcessBuilder("bash", SCRIPT.toString(), image).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes());
        if (!build.waitFor(120, TimeUnit.SECONDS) || build.exitValue() != 0) {
            Assertions.fail("building the demo image failed: " + output);
        }
        return new DockerLab(docker, image);
    }

    public String image() {
        return image;
    }

    DockerEngine docker() {
        return docker;
    }

    /** Creates and starts a container of the demo image named {@code name}, optionally published on 127.0.0.1:{@code port}. */
    public String run(String name, int port, String restartPolicy) {
        Map<String, Object> host = port > 0
                ? Map.of("PortBindings", Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", Integer.toString(port)))),
                        "RestartPolicy", Map.of("Name", restartPolicy))
                : Map.of("RestartPolicy", Map.of("Name", restartPolicy));
        DockerEngine.Reply created = docker.post("/containers/create?name=" + name,
                Map.of("Image", image, "ExposedPorts", Map.of("80/tcp", Map.of()), "HostConfig", host), Duration.ZERO);
        Assertions.assertTrue(created.ok(), created.message());
        String id = created.body().path("Id").asText();
        containers.add(id);
        DockerEngine.Reply started = docker.post("/containers/" + id + "/start", null, Duration.ZERO);
        Assertions.assertTrue(started.ok(), started.message());
        return id;
    }

    /** The container's state as the engine reports it: running, paused, exited, ... or "gone". */
    public String state(String idOrName) {
        DockerEngine.Reply reply = docker.get("/containers/" + idOrName + "/json");
        return reply.status() == 404 ? "gone" : reply.body().path("State").path("Status").asText();
    }

    /** The host PID of the container's main process, 0 when it is not running. */
    public long hostPid(String idOrName) {
        return docker.get("/containers/" + idOrName + "/json").body().path("State").path("Pid").asLong();
    }

    /** Containers carrying Stampede's label for {@code target}. */
    public List<String> labelled(String target) {
        DockerEngine.Reply list = docker.get("/containers/json?all=1&filters="
                + DockerEngine.query(DockerEngine.json(Map.of("label", List.of(ContainerTarget.LABEL + "=" + target)))));
        List<String> ids = new ArrayList<>();
        list.body().forEach(c -> ids.add(c.path("Id").asText()));
        return ids;
    }

    /** Removes the containers this lab created and its image. */
    @Override
    public void close() {
        for (String id : containers) {
            docker.delete("/containers/" + id + "?force=1&v=1");
        }
        docker.delete("/images/" + image + "?force=1");
    }

}
