package io.stampede.plan;

import io.stampede.chaos.ChaosEngine;
import io.stampede.input.Addresses;
import io.stampede.target.DemoService;
import io.stampede.target.ProcessScope;
import io.stampede.target.TargetSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the plan's {@code targets:} section: name → builtin/command, pid/pidFile, or address. */
final class TargetsSection {

    static final List<String> TARGET_KEYS = List.of("builtin", "command", "pid", "pidFile", "address", "container", "containers",
            "image", "port", "url", "health", "restart", "scope");
    static final List<String> KINDS = List.of("builtin", "command", "pid", "pidFile", "address", "container", "containers", "image");
    static final List<String> DOCKER_RESTART_POLICIES = List.of("always", "on-failure", "unless-stopped", "no");
    static final int DEFAULT_CONTAINER_PORT = 80;
    static final List<String> RESTART_KEYS = List.of("policy", "delay", "maxRestarts");
    static final String DEFAULT_DEMO_URL = "http://127.0.0.1:5001";
    static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);

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

    private static TargetSpec target(String name, YamlNode node) {
        Map<String, YamlNode> fields = node.object(TARGET_KEYS);
        List<String> kinds = KINDS.stream().filter(fields::containsKey)
                .filter(k -> !(k.equals("command") && fields.containsKey("image"))).toList();
        if (kinds.size() != 1) {
            throw node.error("a target needs exactly one of " + String.join(", ", KINDS)
                    + (kinds.isEmpty() ? "" : "; got " + String.join(" and ", kinds)));
        }
        if (fields.containsKey("scope") && !List.of("pid", "pidFile").contains(kinds.get(0))) {
            throw fields.get("scope").error("'scope' applies to a pid or pidFile target; a target Stampede starts"
                    + " always acts as its whole process group");
        }
        for (String key : List.of("port")) {
            if (fields.containsKey(key) && !kinds.get(0).equals("image")) {
                throw fields.get(key).error("'" + key + "' applies to a container created from an image");
            }
        }
        String kind = kinds.get(0);
        URI url = fields.containsKey("url") ? url(fields.get("url")) : null;
        String health = fields.containsKey("health") ? fields.get("health").text() : "/health";
        if (!health.startsWith("/")) {
            throw fields.get("health").error("a health path starts with '/', got '" + health + "'");
        }
        switch (kind) {
            case "builtin", "command" -> {
                List<String> command;
                boolean builtin = kind.equals("builtin");
                if (builtin) {
                    YamlNode which = fields.get("builtin");
                    if (!which.text().equals("demo")) {
                        throw which.error("the only builtin target is 'demo', got '" + which.text() + "'");
                    }
                    if (url == null) {
                        url = URI.create(DEFAULT_DEMO_URL);
                    }
                    command = DemoService.childCommand(url);
                } else {
                    YamlNode c = fields.get("command");
                    command = c.kind() == YamlNode.Kind.ARRAY ? c.array().stream().map(YamlNode::text).toList()
                            : List.of("sh", "-c", c.text());
                    if (command.isEmpty()) {
                        throw c.error("the command is empty");
                    }
                    if (url == null) {
                        throw node.error("'url' is required for a command target (its health is probed there)");
                    }
                }
                TargetSpec.RestartPolicy policy = TargetSpec.RestartPolicy.ALWAYS;
                Duration delay = DEFAULT_RESTART_DELAY;
                OptionalInt max = OptionalInt.empty();
                if (fields.containsKey("restart")) {
                    Map<String, YamlNode> restart = fields.get("restart").object(RESTART_KEYS);
                    if (restart.containsKey("policy")) {
                        YamlNode p = restart.get("policy");
                        try {
                            policy = TargetSpec.RestartPolicy.parse(p.text());
                        } catch (IllegalArgumentException e) {
                            throw p.error(e.getMessage());
                        }
                    }
                    if (restart.containsKey("delay")) {
                        delay = PlanFile.duration(restart.get("delay"));
                    }
                    if (restart.containsKey("maxRestarts")) {
                        int n = restart.get("maxRestarts").intValue();
                        if (n < 0) {
                            throw restart.get("maxRestarts").error("must be 0 or more, got " + n);
                        }
                        max = OptionalInt.of(n);
                    }
                }
                return new TargetSpec.Managed(name, command, builtin, url, health, policy, delay, max);
            }
            case "container", "containers", "image" -> {
                return container(name, node, fields, kind, url, health);
            }
            case "pid", "pidFile" -> {
                OptionalLong pid = OptionalLong.empty();
                Path pidFile = null;
                if (kind.equals("pid")) {
                    pid = OptionalLong.of(fields.get("pid").intValue());
                } else {
                    pidFile = Path.of(fields.get("pidFile").text());
                }
                ProcessScope scope = TargetSpec.External.DEFAULT_SCOPE;
                if (fields.containsKey("scope")) {
                    YamlNode value = fields.get("scope");
                    scope = ProcessScope.parse(value.text());
                    if (scope == null) {
                        throw value.error("scope is process, group or tree, got '" + value.text() + "'");
                    }
                }
                return new TargetSpec.External(name, pid, pidFile, url, health, scope);
            }
            default -> {
                YamlNode address = fields.get("address");
                try {
                    Addresses.hostPort(address.text());
                } catch (IllegalArgumentException e) {
                    throw address.error(e.getMessage());
                }
                return new TargetSpec.Address(name, address.text(), url == null ? URI.create("http://" + address.text()) : url);
            }
        }
    }

    private static TargetSpec.Container container(String name, YamlNode node, Map<String, YamlNode> fields, String kind,
                                                  URI url, String health) {
        YamlNode value = fields.get(kind);
        List<String> names = List.of();
        String pattern = null;
        String image = null;
        List<String> command = List.of();
        int port = DEFAULT_CONTAINER_PORT;
        String policy = "no";
        switch (kind) {
            case "container" -> {
                String text = value.text().strip();
                if (text.startsWith(ChaosEngine.REGEX_PREFIX)) {
                    pattern = text.substring(ChaosEngine.REGEX_PREFIX.length());
                    try {
                        Pattern.compile(pattern);
                    } catch (PatternSyntaxException e) {
                        throw value.error("bad regex: " + e.getDescription());
                    }
                } else if (text.isEmpty()) {
                    throw value.error("a container name or ID, or re2:REGEX");
                } else {
                    names = List.of(text);
                }
            }
            case "containers" -> {
                names = value.array().stream().map(YamlNode::text).map(String::strip).toList();
                if (names.isEmpty()) {
                    throw value.error("the list is empty");
                }
            }
            default -> {
                image = value.text().strip();
                if (image.isEmpty()) {
                    throw value.error("an image name, e.g. stampede-demo:busybox");
                }
                if (fields.containsKey("command")) {
                    YamlNode c = fields.get("command");
                    command = c.kind() == YamlNode.Kind.ARRAY ? c.array().stream().map(YamlNode::text).toList()
                            : List.of("/bin/sh", "-c", c.text());
                }
                if (fields.containsKey("port")) {
                    try {
                        port = Addresses.port(fields.get("port").intValue(), Addresses.MIN_PORT);
                    } catch (IllegalArgumentException e) {
                        throw fields.get("port").error(e.getMessage());
                    }
                }
                if (url == null) {
                    throw node.error("'url' is required for a container created from an image: its port is published"
                            + " on 127.0.0.1 at the url's port, and its health is probed there");
                }
                if (!List.of("127.0.0.1", "localhost").contains(url.getHost())) {
                    throw fields.get("url").error("a created container is published on 127.0.0.1 only; use http://127.0.0.1:PORT");
                }
            }
        }
        if (fields.containsKey("restart")) {
            Map<String, YamlNode> restart = fields.get("restart").object(List.of("policy"));
            if (image == null) {
                throw fields.get("restart").error("an existing container keeps its own restart policy;"
                        + " 'restart' applies to a container created from an image");
            }
            if (restart.containsKey("policy")) {
                YamlNode p = restart.get("policy");
                policy = p.text().strip().toLowerCase(Locale.ROOT);
                if (policy.equals("never")) {
                    policy = "no";
                }
                if (!DOCKER_RESTART_POLICIES.contains(policy)) {
                    throw p.error("a container's restart policy is " + String.join(", ", DOCKER_RESTART_POLICIES)
                            + " (Docker's own; it restarts with its own back-off, so there is no 'delay'), got '" + p.text() + "'");
                }
            }
        }
        return new TargetSpec.Container(name, names, pattern, image, command, port, policy, url, health, value.where());
    }

    private static URI url(YamlNode node) {
        URI uri;
        try {
            uri = Addresses.httpUrl(node.text());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        if (uri.getPort() < 0) {
            throw node.error("a target url is http://host:port, got '" + node.text() + "'");
        }
        return uri;
    }
}
