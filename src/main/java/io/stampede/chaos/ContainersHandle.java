package io.stampede.chaos;

import io.stampede.target.docker.ContainerTarget;
import java.util.List;

/**
 * A container target as the plan names it: faults never act on it whole; the engine hands each
 * injection one of its {@link #members()}, chosen like targets are.
 */
public record ContainersHandle(String name, ContainerTarget containers, Fronts fronts) implements TargetHandle {

    @Override
    public Kind kind() {
        return Kind.CONTAINER;
    }

    @Override
    public ContainersHandle withFronts(Fronts fronts) {
        return new ContainersHandle(name, containers, fronts);
    }

    @Override
    public List<TargetHandle> members() {
        return containers.members().stream().<TargetHandle>map(c -> new ContainerHandle(name, containers, c, fronts)).toList();
    }

    @Override
    public void sampleHealthFast(boolean inEffect) {
        containers.sampleHealthFast(inEffect);
    }
}
