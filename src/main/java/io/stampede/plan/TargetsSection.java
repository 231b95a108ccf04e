package io.stampede.plan;

import io.stampede.input.Addresses;
import io.stampede.target.ProcessScope;
import io.stampede.target.TargetSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the plan's {@code targets:} section: name → builtin/command, pid/pidFile, container(s)/image, or
 * address. The section decides which keys go together; the rules for each value live with the spec
 * they guard ({@link TargetSpec} and its records, {@link ProcessScope}).
 */
final class TargetsSection {

    static final List<String> TARGET_KEYS = List.of("builtin", "command", "pid", "pidFile", "address", "container", "containers",
            "image", "port", "url", "health", "restart", "scope");
    static final List<String> KINDS = List.of("builtin", "command", "pid", "pidFile", "address", "container", "containers", "image");
    /** Kinds Stampede neither starts nor probes: only signals (pid, pidFile) or the fault proxy (address) reach them. */
    static final List<String> NOT_STARTED = List.of("pid", "pidFile", "address");
    static final List<String> RESTART_KEYS = List.of("policy", "delay", "maxRestarts");

    private TargetsSection() {
    }

    /** The targets; each target's first problem goes to {@code problems}, and that target is left out. */
    static List<TargetSpec> read(YamlNode node, List<String> problems) {
        List<TargetSpec> targets = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : node.anyObject().entrySet()) {
            PlanFile.collect(problems, () -> targets.add(target(entry.getKey(), entry.getValue())));
        }
        return targets;
    }

    /** A target's fields as written, with the kind its keys name and what all kinds share. */
    private record Fields(String name, YamlNode node, Map<String, YamlNode> map, String kind, URI url, String health) {
        boolean has(String key) {
            return map.containsKey(key);
        }

        YamlNode get(String key) {
            return map.get(key);
        }
    }

    private static TargetSpec target(String name, YamlNode node) {
        Map<String, YamlNode> map = node.object(TARGET_KEYS);
        String kind = kind(node, map);
        URI url = map.containsKey("url") ? value(map.get("url"), TargetSpec::url) : null;
        String health = map.containsKey("health") ? value(map.get("health"), TargetSpec::healthPath)
                : TargetSpec.DEFAULT_HEALTH_PATH;
        Fields fields = new Fields(name, node, map, kind, url, health);
        return switch (kind) {
            case "builtin", "command" -> managed(fields);
            case "container", "containers", "image" -> container(fields);
            case "pid", "pidFile" -> external(fields);
            default -> address(fields);
        };
    }

    /** The one key among {@link #KINDS} that says what the target is, and the keys that only some kinds take. */
    private static String kind(YamlNode node, Map<String, YamlNode> fields) {
        List<String> kinds = KINDS.stream().filter(fields::containsKey)
                .filter(k -> !(k.equals("command") && fields.containsKey("image"))).toList();
        if (kinds.size() != 1) {
            throw node.error("a target needs exactly one of " + String.join(", ", KINDS)
                    + (kinds.isEmpty() ? "" : "; got " + String.join(" and ", kinds)));
        }
        String kind = kinds.get(0);
        if (fields.containsKey("scope") && !List.of("pid", "pidFile").contains(kind)) {
            throw fields.get("scope").error("'scope' applies to a pid or pidFile target; a target Stampede starts"
                    + " always acts as its whole process group");
        }
        if (fields.containsKey("port") && !kind.equals("image")) {
            throw fields.get("port").error("'port' applies to a container created from an image");
        }
        boolean unsupervised = NOT_STARTED.contains(kind);
        if (fields.containsKey("restart") && unsupervised) {
            throw fields.get("restart").error("'restart' applies to a target Stampede starts (builtin, command or image);"
                    + " a target given by " + kind + " is restarted by whatever started it");
        }
        if (fields.containsKey("health") && unsupervised) {
            throw fields.get("health").error("'health' applies to a target Stampede watches (builtin, command, container"
                    + " or image); a target given by " + kind + " is not probed");
        }
        if (fields.containsKey("health") && kind.startsWith("container") && !fields.containsKey("url")) {
            throw fields.get("health").error("'health' is probed at the container's url: give 'url' too");
        }
        return kind;
    }

    private static TargetSpec.Managed managed(Fields f) {
        boolean builtin = f.kind().equals("builtin");
        URI url = f.url();
        List<String> command;
        if (builtin) {
            url = url == null ? TargetSpec.Managed.DEFAULT_DEMO_URL : url;
            URI listen = url;
            command = value(f.get("builtin"), which -> TargetSpec.Managed.builtinCommand(which, listen));
        } else {
            YamlNode c = f.get("command");
            command = at(c, () -> TargetSpec.Managed.command(command(c, "sh")));
            if (url == null) {
                throw f.node().error("'url' is required for a command target (its health is probed there)");
            }
        }
        TargetSpec.RestartPolicy policy = TargetSpec.RestartPolicy.ALWAYS;
        Duration delay = TargetSpec.Managed.DEFAULT_RESTART_DELAY;
        OptionalInt max = OptionalInt.empty();
        if (f.has("restart")) {
            Map<String, YamlNode> restart = f.get("restart").object(RESTART_KEYS);
            if (restart.containsKey("policy")) {
                policy = value(restart.get("policy"), TargetSpec.RestartPolicy::parse);
            }
            if (restart.containsKey("delay")) {
                delay = PlanFile.duration(restart.get("delay"));
            }
            if (restart.containsKey("maxRestarts")) {
                YamlNode n = restart.get("maxRestarts");
                max = at(n, () -> TargetSpec.Managed.maxRestarts(n.intValue()));
            }
        }
        return new TargetSpec.Managed(f.name(), command, builtin, url, f.health(), policy, delay, max);
    }

    private static TargetSpec.External external(Fields f) {
        OptionalLong pid = f.kind().equals("pid") ? OptionalLong.of(f.get("pid").intValue()) : OptionalLong.empty();
        Path pidFile = f.kind().equals("pidFile") ? Path.of(f.get("pidFile").text()) : null;
        ProcessScope scope = f.has("scope") ? value(f.get("scope"), ProcessScope::of) : TargetSpec.External.DEFAULT_SCOPE;
        return new TargetSpec.External(f.name(), pid, pidFile, f.url(), f.health(), scope);
    }

    private static TargetSpec.Address address(Fields f) {
        YamlNode address = f.get("address");
        value(address, Addresses::hostPort);
        return new TargetSpec.Address(f.name(), address.text(), f.url() == null ? URI.create("http://" + address.text()) : f.url());
    }

    private static TargetSpec.Container container(Fields f) {
        YamlNode value = f.get(f.kind());
        if (!f.kind().equals("image")) {
            TargetSpec.Container.Selection selection;
            if (f.kind().equals("container")) {
                selection = value(value, text -> TargetSpec.Container.Selection.parse(text, false));
            } else {
                List<String> names = value.array().stream().map(YamlNode::text).map(String::strip).toList();
                if (names.isEmpty()) {
                    throw value.error("the list is empty");
                }
                selection = new TargetSpec.Container.Selection(names, null);
            }
            if (f.has("restart")) {
                f.get("restart").object(List.of("policy"));
                throw f.get("restart").error("an existing container keeps its own restart policy;"
                        + " 'restart' applies to a container created from an image");
            }
            return TargetSpec.Container.existing(f.name(), selection, f.url(), f.health(), value.where());
        }
        String image = value(value, TargetSpec.Container::image);
        List<String> command = f.has("command") ? command(f.get("command"), "/bin/sh") : List.of();
        int port = f.has("port") ? at(f.get("port"), () -> Addresses.port(f.get("port").intValue(), Addresses.MIN_PORT))
                : TargetSpec.Container.DEFAULT_PORT;
        if (f.url() == null) {
            throw f.node().error("'url' is required for a container created from an image: its port is published"
                    + " on the url's loopback address (127.0.0.1, localhost or [::1]) at the url's port, and its health is probed there");
        }
        URI url = at(f.get("url"), () -> TargetSpec.Container.publishedUrl(f.url()));
        String policy = "no";
        if (f.has("restart")) {
            Map<String, YamlNode> restart = f.get("restart").object(List.of("policy"));
            if (restart.containsKey("policy")) {
                policy = value(restart.get("policy"), TargetSpec.Container::restartPolicy);
            }
        }
        return new TargetSpec.Container(f.name(), List.of(), null, image, command, port, policy, url, f.health(), value.where());
    }

    /** A command as a list, or as one line run by {@code shell -c}. */
    private static List<String> command(YamlNode node, String shell) {
        return node.kind() == YamlNode.Kind.ARRAY ? node.array().stream().map(YamlNode::text).toList()
                : List.of(shell, "-c", node.text());
    }

    /** {@code rule} applied to the node's text; its complaint becomes a problem at the node. */
    private static <T> T value(YamlNode node, Function<String, T> rule) {
        return at(node, () -> rule.apply(node.text()));
    }

    /** A value rule's complaint ({@link IllegalArgumentException}) becomes a problem at {@code node}. */
    private static <T> T at(YamlNode node, Supplier<T> rule) {
        try {
            return rule.get();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }
}
