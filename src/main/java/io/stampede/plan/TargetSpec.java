package io.stampede.plan;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** What a fault may act on, as declared in the plan (see {@code targets:}). */
public sealed interface TargetSpec {

    String name();

    /** The HTTP base URL users reach the target at (before any fault proxy), if it has one. */
    URI url();

    /** When a dead managed process is started again. */
    enum RestartPolicy { ALWAYS, ON_FAILURE, NEVER }

    /**
     * A process Stampede starts, probes and restarts, like a container with a restart policy.
     *
     * @param command     the command line; for {@code builtin: demo}, Stampede's own demo service
     * @param healthPath  probed with GET every health-probe interval; 2xx means healthy
     * @param maxRestarts restarts allowed in the run (empty: no limit)
     */
    record Managed(String name, List<String> command, boolean builtinDemo, URI url, String healthPath,
                   RestartPolicy restartPolicy, Duration restartDelay, OptionalInt maxRestarts) implements TargetSpec {
        public Managed {
            command = List.copyOf(command);
        }
    }

    /** A process Stampede did not start, by PID or PID file; only signals reach it. */
    record External(String name, OptionalLong pid, Path pidFile, URI url, String healthPath) implements TargetSpec {
    }

    /** A TCP service at {@code upstream} (host:port) that users reach through the fault proxy. */
    record Address(String name, String upstream, URI url) implements TargetSpec {
    }
}
