package io.stampede.target;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** What a fault may act on, as declared in the plan (see {@code targets:}). */
public sealed interface TargetSpec {

    String name();

    /** The HTTP base URL users reach the target at (before any fault proxy), if it has one. */
    URI url();

    /** When a dead managed process is started again. */
    enum RestartPolicy {
        ALWAYS, ON_FAILURE, NEVER;

        /**
         * {@code always}, {@code on-failure} or {@code never}, any case.
         *
         * @throws IllegalArgumentException naming the three, with the value given
         */
        public static RestartPolicy parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("restart policy is always, on-failure or never, got '" + text + "'");
            }
        }
    }

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

    /**
     * A process Stampede did not start, by PID or PID file; only signals reach it.
     *
     * @param scope the processes its faults act on: the one process, its group, or it and its descendants
     */
    record External(String name, OptionalLong pid, Path pidFile, URI url, String healthPath,
                    ProcessScope scope) implements TargetSpec {

        /** The scope when the plan names none: the process and its descendants (see the README). */
        public static final ProcessScope DEFAULT_SCOPE = ProcessScope.TREE;

        public External(String name, OptionalLong pid, Path pidFile, URI url, String healthPath) {
            this(name, pid, pidFile, url, healthPath, DEFAULT_SCOPE);
        }
    }

    /**
     * Docker containers, reached through the Docker Engine API. Either existing ones, chosen by
     * {@code container: NAME}, {@code containers: [A, B]} or {@code container: "re2:REGEX"} (Pumba's
     * selection; the chaos entry then picks one at random, {@code all}, or up to {@code limit}), or one
     * that Stampede creates from {@code image} at the start of the run and removes at its end.
     *
     * @param names         containers by name or ID (empty when chosen by pattern or created from an image)
     * @param pattern       a regular expression over container names, or null
     * @param image         the image to create the container from, or null for existing containers
     * @param command       the created container's command (empty: the image's own)
     * @param port          the created container's port that {@code url}'s port is published to (127.0.0.1 only)
     * @param restartPolicy Docker's restart policy for the created container: always, on-failure, unless-stopped, no
     * @param healthPath    probed with GET at {@code url} when there is one; 2xx means healthy
     * @param where         where the target is declared, for messages about containers that are not there
     */
    record Container(String name, List<String> names, String pattern, String image, List<String> command, int port,
                     String restartPolicy, URI url, String healthPath, String where) implements TargetSpec {
        public Container {
            names = List.copyOf(names);
            command = List.copyOf(command);
        }

        /** How the plan chose the containers, for messages: {@code container lab-web}. */
        public String selection() {
            if (image != null) {
                return "a container from image " + image;
            }
            return pattern != null ? "containers matching re2:" + pattern : (names.size() == 1 ? "container " : "containers ")
                    + String.join(", ", names);
        }
    }

    /** A TCP service at {@code upstream} (host:port) that users reach through the fault proxy. */
    record Address(String name, String upstream, URI url) implements TargetSpec {
    }
}
