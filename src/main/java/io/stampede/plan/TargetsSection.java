package io.stampede.plan;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Reads the plan's {@code targets:} section: name → builtin/command, pid/pidFile, or address. */
final class TargetsSection {

    static final List<String> TARGET_KEYS = List.of("builtin", "command", "pid", "pidFile", "address", "url", "health", "restart");
    static final List<String> RESTART_KEYS = List.of("policy", "delay", "maxRestarts");
    static final String DEFAULT_DEMO_URL = "http://127.0.0.1:5001";
    static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);

    private TargetsSection() {
    }

    static List<TargetSpec> read(YamlNode node) {
        List<TargetSpec> targets = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : node.anyObject().entrySet()) {
            targets.add(target(entry.getKey(), entry.getValue()));
        }
        return targets;
    }

    private static TargetSpec target(String name, YamlNode node) {
        Map<String, YamlNode> fields = node.object(TARGET_KEYS);
        List<String> kinds = List.of("builtin", "command", "pid", "pidFile", "address").stream()
                .filter(fields::containsKey).toList();
        if (kinds.size() != 1) {
            throw node.error("a target needs exactly one of builtin, command, pid, pidFile, address"
                    + (kinds.isEmpty() ? "" : "; got " + String.join(" and ", kinds)));
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
                    command = io.stampede.target.DemoService.childCommand(url);
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
                            policy = TargetSpec.RestartPolicy.valueOf(p.text().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                        } catch (IllegalArgumentException e) {
                            throw p.error("restart policy is always, on-failure or never, got '" + p.text() + "'");
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
            case "pid", "pidFile" -> {
                OptionalLong pid = OptionalLong.empty();
                Path pidFile = null;
                if (kind.equals("pid")) {
                    pid = OptionalLong.of(fields.get("pid").intValue());
                } else {
                    pidFile = Path.of(fields.get("pidFile").text());
                }
                return new TargetSpec.External(name, pid, pidFile, url, health);
            }
            default -> {
                YamlNode address = fields.get("address");
                if (!address.text().matches("[^:/\\s]+:\\d{1,5}")) {
                    throw address.error("an address is host:port, got '" + address.text() + "'");
                }
                return new TargetSpec.Address(name, address.text(), url == null ? URI.create("http://" + address.text()) : url);
            }
        }
    }

    private static URI url(YamlNode node) {
        try {
            URI uri = new URI(node.text());
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null || uri.getPort() < 0) {
                throw node.error("a target url is http://host:port, got '" + node.text() + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw node.error("not a URL: " + e.getReason());
        }
    }
}
