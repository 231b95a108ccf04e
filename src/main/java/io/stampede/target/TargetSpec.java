package io.stampede.target;

import io.stampede.input.Addresses;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What a fault may act on, as declared in the plan (see {@code targets:}). */
public sealed interface TargetSpec {

    String name();

    /** The HTTP base URL users reach the target at (before any fault proxy), if it has one. */
    URI url();

    /** The path probed when the plan names none. */
    String DEFAULT_HEALTH_PATH = "/health";

    /**
     * A target's url: {@code http://host:port}, the port written out, without a path: the health path is
     * probed from its root and a fault proxy in front replaces scheme, host and port only.
     *
     * @throws IllegalArgumentException saying what a url is, with the value given
     */
    static URI url(String text) {
        URI uri = Addresses.httpUrl(text);
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("a target url is http://host:port, got '" + text + "'");
        }
        return URI.create(Addresses.httpBase(text));
    }

    /**
     * A health path as written.
     *
     * @throws IllegalArgumentException when it does not start with '/'
     */
    static String healthPath(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a health path starts with '/', got '" + text + "'");
        }
        return text;
    }

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

        /** Where {@code builtin: demo} listens when the plan gives no url. */
        public static final URI DEFAULT_DEMO_URL = URI.create("http://127.0.0.1:5001");
        public static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);

        public Managed {
            command = List.copyOf(command);
        }

        /**
         * The command line of the builtin target {@code which}, listening at {@code url}.
         *
         * @throws IllegalArgumentException when {@code which} is not {@code demo}, the only one
         */
        public static List<String> builtinCommand(String which, URI url) {
            if (!which.equals("demo")) {
                throw new IllegalArgumentException("the only builtin target is 'demo', got '" + which + "'");
            }
            return DemoService.childCommand(url);
        }

        /**
         * A command as written.
         *
         * @throws IllegalArgumentException when it is empty
         */
        public static List<String> command(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the command is empty");
            }
            return command;
        }

        /**
         * A limit on restarts.
         *
         * @throws IllegalArgumentException when negative
         */
        public static OptionalInt maxRestarts(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("must be 0 or more, got " + n);
            }
            return OptionalInt.of(n);
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
     * @param port          the created container's port that {@code url}'s port is published to (loopback only)
     * @param restartPolicy Docker's restart policy for the created container: always, on-failure, unless-stopped, no
     * @param healthPath    probed with GET at {@code url} when there is one; 2xx means healthy
     * @param where         where the target is declared, for messages about containers that are not there
     */
    record Container(String name, List<String> names, String pattern, String image, List<String> command, int port,
                     String restartPolicy, URI url, String healthPath, String where) implements TargetSpec {
        /** Marks a selector as a regular expression over names, as Pumba writes it. */
        public static final String REGEX_PREFIX = "re2:";
        /** The created container's port when the plan names none. */
        public static final int DEFAULT_PORT = 80;
        /** Docker's own restart policies ({@code never} is read as {@code no}). */
        public static final List<String> RESTART_POLICIES = List.of("always", "on-failure", "unless-stopped", "no");
        private static final String IPV4_LOOPBACK = "127.0.0.1";
        private static final String IPV6_LOOPBACK = "::1";
        /** A created container's url names one of these; {@code localhost} is published on 127.0.0.1. */
        private static final List<String> PUBLISHED_HOSTS = List.of(IPV4_LOOPBACK, "localhost", IPV6_LOOPBACK);

        public Container {
            names = List.copyOf(names);
            command = List.copyOf(command);
        }

        /**
         * Existing containers, as chosen by {@code container:} in a plan or {@code --container} on the command line.
         *
         * @param names   by name or ID; empty when chosen by pattern
         * @param pattern a regular expression over names, or null
         */
        public record Selection(List<String> names, String pattern) {
            public Selection {
                names = List.copyOf(names);
            }

            /**
             * {@code re2:REGEX}, or a name or ID; with {@code list}, also names separated by commas.
             *
             * @throws IllegalArgumentException when empty or the regex does not compile
             */
            public static Selection parse(String written, boolean list) {
                String text = written.strip();
                if (text.startsWith(REGEX_PREFIX)) {
                    String pattern = text.substring(REGEX_PREFIX.length());
                    try {
                        Pattern.compile(pattern);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("bad regex: " + e.getDescription());
                    }
                    return new Selection(List.of(), pattern);
                }
                List<String> names = list ? Arrays.stream(text.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList()
                        : text.isEmpty() ? List.of() : List.of(text);
                if (names.isEmpty()) {
                    throw new IllegalArgumentException(list ? "a container name or ID, a list A,B, or re2:REGEX"
                            : "a container name or ID, or re2:REGEX");
                }
                return new Selection(names, null);
            }
        }

        /** Existing containers; Docker restarts them by their own policy. */
        public static Container existing(String name, Selection selection, URI url, String healthPath, String where) {
            return new Container(name, selection.names(), selection.pattern(), null, List.of(), DEFAULT_PORT, "no", url,
                    healthPath, where);
        }

        /**
         * An image name as written, stripped.
         *
         * @throws IllegalArgumentException when empty
         */
        public static String image(String text) {
            String image = text.strip();
            if (image.isEmpty()) {
                throw new IllegalArgumentException("an image name, e.g. stampede-demo:busybox");
            }
            return image;
        }

        /**
         * The url of a created container, whose port is published on a loopback address only:
         * {@code 127.0.0.1} ({@code localhost} too) or {@code [::1]}, which Docker's proxy also binds.
         *
         * @throws IllegalArgumentException when its host is not a loopback address
         */
        public static URI publishedUrl(URI url) {
            if (!PUBLISHED_HOSTS.contains(Addresses.bareHost(url.getHost()))) {
                throw new IllegalArgumentException("a created container is published on a loopback address only;"
                        + " use http://127.0.0.1:PORT, http://localhost:PORT (published on 127.0.0.1) or http://[::1]:PORT");
            }
            return url;
        }

        /** The host address a created container's port is published on: the url's loopback address. */
        public String publishedHostIp() {
            return Addresses.bareHost(url.getHost()).equals(IPV6_LOOPBACK) ? IPV6_LOOPBACK : IPV4_LOOPBACK;
        }

        /**
         * Docker's restart policy as written, any case; {@code never} reads as {@code no}.
         *
         * @throws IllegalArgumentException naming the policies, with the value given
         */
        public static String restartPolicy(String text) {
            String policy = text.strip().toLowerCase(Locale.ROOT);
            if (policy.equals("never")) {
                policy = "no";
            }
            if (!RESTART_POLICIES.contains(policy)) {
                throw new IllegalArgumentException("a container's restart policy is " + String.join(", ", RESTART_POLICIES)
                        + " (Docker's own; it restarts with its own back-off, so there is no 'delay'), got '" + text + "'");
            }
            return policy;
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
