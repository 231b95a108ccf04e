package io.stampede.chaos;

import io.stampede.target.Signal;
import io.stampede.target.docker.ContainerTarget;
import java.time.Duration;
import java.util.List;

/**
 * One container of a container target, the unit a fault acts on: the engine's kill, pause, stop and
 * restart, a crash from the host, and commands in its network namespace. The engine's calls record
 * their undo in the guardian's journal (see {@link ContainerTarget}).
 */
public record ContainerHandle(String name, ContainerTarget containers, ContainerTarget.Container container, Fronts fronts)
        implements TargetHandle.Lifecycle {

    @Override
    public Kind kind() {
        return Kind.CONTAINER;
    }

    @Override
    public ContainerHandle withFronts(Fronts fronts) {
        return new ContainerHandle(name, containers, container, fronts);
    }

    @Override
    public String label() {
        return name + " (container " + container + ")";
    }

    @Override
    public void sampleHealthFast(boolean inEffect) {
        containers.sampleHealthFast(inEffect);
    }

    /** {@code docker kill}: the engine counts it as a stop by hand, so the restart policy does not act. */
    @Override
    public String kill(Signal signal) {
        containers.kill(container, signal);
        return "container " + container + ", docker kill " + signal;
    }

    @Override
    public Injection pause() {
        containers.pause(container);
        return Injection.undoneBy("container " + container + " paused", () -> containers.unpause(container));
    }

    @Override
    public Injection stop(Duration grace) {
        containers.stop(container, grace);
        return Injection.undoneBy("container " + container + " stopped", () -> containers.startAgain(container));
    }

    @Override
    public String restart(Duration grace) {
        containers.restart(container, grace);
        return "container " + container + " restarted";
    }

    /** Kills the main process from the host, so the restart policy acts; returns its host PID. */
    public long crash(Signal signal) {
        return containers.crash(container, signal);
    }

    /** The PID of the container's main process on the host, or 0 when it is not running. */
    public long hostPid() {
        return containers.hostPid(container);
    }

    /** Runs a host command ({@code tc}, {@code iptables}) in the container's network namespace. */
    public ContainerTarget.CommandResult inNetwork(List<String> command) {
        return containers.inNetwork(container, command);
    }
}
