package io.stampede.docker;

import java.time.Duration;

/**
 * The engine calls that undo a container change, for the guardian and the leftover-journal check
 * (see {@code io.stampede.guardian}): each says what it did, or returns null when there was nothing
 * to undo (already unpaused, running, removed).
 */
public final class ContainerUndo {

    private final DockerEngine docker = DockerEngine.connect();

    public String unpause(String container) {
        DockerEngine.Reply reply = docker.post("/containers/" + DockerEngine.query(container) + "/unpause", null, Duration.ZERO);
        return answer(reply, "unpaused container " + container, "unpause");
    }

    public String start(String container) {
        DockerEngine.Reply reply = docker.post("/containers/" + DockerEngine.query(container) + "/start", null, Duration.ZERO);
        return answer(reply, "started container " + container + " again", "start");
    }

    public String remove(String container) {
        DockerEngine.Reply reply = docker.delete("/containers/" + DockerEngine.query(container) + "?force=1&v=1");
        return answer(reply, "removed container " + container, "remove");
    }

    /** 304 (already so), 404 (gone) and 409 (not paused, not running) leave nothing to undo. */
    private static String answer(DockerEngine.Reply reply, String done, String what) {
        if (reply.status() == 304 || reply.status() == 404 || reply.status() == 409) {
            return null;
        }
        if (!reply.ok()) {
            throw new IllegalStateException("docker " + what + ": " + reply.message());
        }
        return done;
    }
}
