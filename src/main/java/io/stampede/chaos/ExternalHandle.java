package io.stampede.chaos;

import io.stampede.target.ExternalProcess;

/** A process Stampede did not start, found by PID or PID file: only signals reach it (kill, pause). */
public record ExternalHandle(String name, ExternalProcess process, Fronts fronts) implements ProcessTargetHandle {

    @Override
    public Kind kind() {
        return Kind.EXTERNAL;
    }

    @Override
    public ExternalHandle withFronts(Fronts fronts) {
        return new ExternalHandle(name, process, fronts);
    }
}
