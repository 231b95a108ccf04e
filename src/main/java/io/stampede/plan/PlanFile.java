package io.stampede.plan;

import io.stampede.StampedeException;
import io.stampede.api.WaitTime;
import io.stampede.engine.LoadDraft;
import io.stampede.engine.Scenario;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpProtocol;
import io.stampede.http.TlsDraft;
import io.stampede.input.Addresses;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML plan file (README, "A plan file") into a {@link PlanDraft}. Structure is checked
 * here with the file, line, column and the valid keys; values are checked by {@link PlanDraft#toPlan()}.
 */
public final class PlanFile {

    static final List<String> TOP_KEYS = List.of("name", "host", "targets", "load", "http", "tasks", "users", "scenario",
            "chaos", "slos", "recovery", "thresholds", "halt", "steady", "tags", "excludeTags", "results", "stopTimeout",
            "ledger", "policy", "hosts");
    static final List<String> LOAD_KEYS = List.of("users", "spawnRate", "runTime", "wait", "stages",
            "arrivalRate", "maxConcurrency", "preAllocated", "latencyFrom");
    static final List<String> STAGE_KEYS = List.of("duration", "users", "spawnRate", "arrivalRate");
    static final List<String> WAIT_KEYS = List.of("between", "constant", "pacing", "throughput");
    static final List<String> HTTP_KEYS = List.of("connectTimeout", "timeout", "headers", "tls", "version");
    static final List<String> TLS_KEYS = List.of("caFile", "caPassword", "insecure", "cert", "key", "password",
            "minVersion", "maxVersion", "hosts");
    /** One host's own TLS settings ({@code http.tls.hosts.NAME}): the run's keys, less the hosts. */
    static final List<String> HOST_TLS_KEYS = TLS_KEYS.subList(0, TLS_KEYS.size() - 1);
    static final List<String> USER_KEYS = List.of("name", "weight", "wait", "sequential", "tasks");
    static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch", "head", "options");
    static final List<String> TASK_KEYS = concat(List.of("name", "weight", "tags", "steps", "batch", "headers", "body",
            "expect", "version"), METHODS);
    /**
     * Keys of a request, refused on a task with steps or a batch: which of its requests they would
     * go to (a body to a GET?), and whether a step's own replace or add to them, has no one answer.
     */
    static final List<String> REQUEST_ONLY_KEYS = List.of("headers", "body", "expect", "version");
    /** A request's own keys: a task's, a step's, or one of a batch's. */
    static final List<String> REQUEST_KEYS = concat(List.of("name", "headers", "body", "expect", "version"), METHODS);
    static final List<String> STEP_KEYS = concat(REQUEST_KEYS, List.of("batch"));
    static final List<String> EXPECT_KEYS = List.of("status", "body", "json");

    private PlanFile() {
    }

    /**
     * The largest plan file read: real plans are a few KiB, and a larger file (a generated one gone
     * wrong, a log passed by mistake) would cost seconds and memory before its first problem is found.
     */
    public static final long MAX_PLAN_BYTES = 1024 * 1024;

    /**
     * Reads {@code file} into a new draft; any problem in the file is a {@link StampedeException.BadInput}
     * that lists them all, in file order. For a draft that {@link PlanDraft#toPlan()} finishes, {@link #draft}
     * reports the file's problems together with those of the values.
     */
    public static PlanDraft read(Path file) {
        PlanDraft draft = draft(file);
        if (!draft.fileProblems.isEmpty()) {
            throw new StampedeException.BadInput(String.join("\n", PlanDraft.inFileOrder(draft.fileProblems)));
        }
        return draft;
    }

    /**
     * Reads {@code file} into a new draft; a missing file or bad YAML is a {@link StampedeException.BadInput}.
     * Problems in the plan's structure are collected (the first of each task, target, chaos entry and
     * SLO, and of each other section) in {@link PlanDraft#fileProblems}, and reported by {@link PlanDraft#toPlan()} with those of its values.
     */
    public static PlanDraft draft(Path file) {
        Map<String, YamlNode> top = parse(file).objectWithExtensions(TOP_KEYS);
        PlanDraft draft = new PlanDraft();
        List<String> problems = draft.fileProblems;
        readRun(top, file, draft, problems);
        readTargetsAndChaos(top, draft, problems);
        Map<String, Duration> periods = new HashMap<>(); // each SLO's, by name: read with the SLOs, kept by the ledger
        readJudgement(top, file, draft, periods, problems);
        collect(problems, () -> draft.ledger(PolicySection.read(file, top, periods))); // ledger:, policy:
        collect(problems, () -> {
            if (top.containsKey("tags")) draft.tags(strings(top.get("tags")));
        });
        collect(problems, () -> {
            if (top.containsKey("excludeTags")) draft.excludeTags(strings(top.get("excludeTags")));
        });
        WaitTime[] planWait = {WaitTime.none()};
        if (top.containsKey("load")) {
            collect(problems, () -> readLoad(top.get("load"), draft, planWait));
        }
        collect(problems, () -> {
            if (top.containsKey("http")) readHttp(top.get("http"), file, draft);
        });
        collect(problems, () -> {
            if (top.containsKey("hosts")) draft.connectTo(hosts(top.get("hosts")));
        });
        readUsers(top, planWait[0], draft, problems);
        return draft;
    }

    /** The file as a tree of nodes that know their line and column. */
    private static YamlNode parse(Path file) {
        String name = file.toString();
        checkSize(file, name, MAX_PLAN_BYTES, "plan file");
        try (Reader reader = Files.newBufferedReader(file)) {
            return YamlNode.parse(reader, name);
        } catch (NoSuchFileException e) {
            throw new StampedeException.BadInput(name + ": plan file not found");
        } catch (IOException e) {
            throw new StampedeException.BadInput(name + ": cannot read: " + e.getMessage());
        }
    }

    /** The run's own values: name, host, stop timeout, results folder, Java scenario file (paths from the file's folder). */
    private static void readRun(Map<String, YamlNode> top, Path file, PlanDraft draft, List<String> problems) {
        collect(problems, () -> {
            if (top.containsKey("name")) draft.name(top.get("name").located());
        });
        collect(problems, () -> {
            if (top.containsKey("host")) draft.host(top.get("host").located());
        });
        collect(problems, () -> {
            if (top.containsKey("stopTimeout")) draft.stopTimeout(top.get("stopTimeout").located());
        });
        collect(problems, () -> {
            if (top.containsKey("results")) {
                YamlNode results = top.get("results");
                draft.resultsDir(new Located<>(resolve(file, results.text()), results.where()));
            }
        });
        collect(problems, () -> {
            if (top.containsKey("scenario")) {
                YamlNode scenario = top.get("scenario");
                draft.scenarioFile(new Located<>(resolve(file, scenario.text()), scenario.where()));
            }
        });
    }

    /** The targets, then the chaos entries, which name them: with the targets unread, every name would be "unknown". */
    private static void readTargetsAndChaos(Map<String, YamlNode> top, PlanDraft draft, List<String> problems) {
        int before = problems.size();
        collect(problems, () -> {
            if (top.containsKey("targets")) draft.targets(TargetsSection.read(top.get("targets"), problems));
        });
        boolean targetsRead = problems.size() == before;
        draft.targetsUnread = !targetsRead;
        if (targetsRead) {
            collect(problems, () -> {
                if (top.containsKey("chaos")) draft.chaos(ChaosSection.read(top.get("chaos"), draft.targets(), problems));
            });
        }
    }

    /** What the run is judged against: SLOs, recovery, thresholds. */
    private static void readJudgement(Map<String, YamlNode> top, Path file, PlanDraft draft, Map<String, Duration> periods,
                                      List<String> problems) {
        collect(problems, () -> {
            if (top.containsKey("slos")) draft.slos(SlosSection.read(top.get("slos"), file, problems, periods));
        });
        if (top.containsKey("halt") || top.containsKey("steady")) { // after slos: the conditions name them
            draft.guard(HaltSection.read(top.get("halt"), top.get("steady"), draft.slos(), problems));
        }
        collect(problems, () -> {
            if (top.containsKey("recovery")) {
                YamlNode k = top.get("recovery").object(List.of("goodSeconds")).get("goodSeconds");
                if (k != null) {
                    int seconds = k.intValue();
                    if (seconds < 1) {
                        throw k.error("must be at least 1, got " + seconds);
                    }
                    draft.recoverySeconds(seconds);
                }
            }
        });
        collect(problems, () -> {
            if (top.containsKey("thresholds")) draft.thresholds(ThresholdsSection.read(top.get("thresholds")));
        });
    }

    private static void readHttp(YamlNode node, Path planFile, PlanDraft draft) {
        Map<String, YamlNode> http = node.object(HTTP_KEYS);
        draft.connectTimeout(located(http, "connectTimeout"));
        draft.responseTimeout(located(http, "timeout"));
        draft.httpVersion(located(http, "version"));
        if (http.containsKey("headers")) draft.headers(stringMap(http.get("headers")));
        if (http.containsKey("tls")) draft.tls(tls(http.get("tls"), planFile));
    }

    /** The {@code hosts} section, k6's: {@code name} or {@code name:port} to {@code address} or {@code address:port}. */
    private static List<ConnectTo.Entry> hosts(YamlNode node) {
        List<ConnectTo.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : node.anyObject().entrySet()) {
            String where = entry.getValue().where();
            entries.add(new ConnectTo.Entry(new Located<>(entry.getKey(), where), new Located<>(entry.getValue().text(), where)));
        }
        return entries;
    }

    /** The {@code http.tls} section; files are relative to the plan file's folder. */
    private static TlsDraft tls(YamlNode node, Path planFile) {
        Map<String, YamlNode> tls = node.object(TLS_KEYS);
        List<TlsDraft.HostTls> hosts = new ArrayList<>();
        if (tls.containsKey("hosts")) {
            for (Map.Entry<String, YamlNode> host : tls.get("hosts").anyObject().entrySet()) {
                Map<String, YamlNode> own = host.getValue().object(HOST_TLS_KEYS);
                hosts.add(new TlsDraft.HostTls(new Located<>(host.getKey(), host.getValue().where()), tlsValues(own, planFile)));
            }
        }
        TlsDraft common = tlsValues(tls, planFile);
        return new TlsDraft(common.caFile(), common.caPassword(), common.insecure(), common.cert(), common.key(),
                common.password(), common.minVersion(), common.maxVersion(), hosts);
    }

    private static TlsDraft tlsValues(Map<String, YamlNode> tls, Path planFile) {
        return new TlsDraft(file(tls, "caFile", planFile), located(tls, "caPassword"), located(tls, "insecure"),
                file(tls, "cert", planFile), file(tls, "key", planFile), located(tls, "password"),
                located(tls, "minVersion"), located(tls, "maxVersion"));
    }

    private static Located<Path> file(Map<String, YamlNode> fields, String key, Path planFile) {
        YamlNode node = fields.get(key);
        return node == null ? null : new Located<>(resolve(planFile, node.text()), node.where());
    }

    /** The tasks and user classes declared in the plan; {@code planWait} is load.wait, each user's default. */
    private static void readUsers(Map<String, YamlNode> top, WaitTime planWait, PlanDraft draft, List<String> problems) {
        List<Scenario.UserSpec> users = new ArrayList<>();
        if (top.containsKey("tasks")) {
            List<Scenario.TaskSpec> tasks = tasks(top.get("tasks"), problems);
            if (tasks != null) {
                users.add(new Scenario.UserSpec("User", 1, planWait, false, tasks));
            }
        }
        if (top.containsKey("users")) {
            collect(problems, () -> {
                List<YamlNode> declared = top.get("users").array();
                for (YamlNode user : declared) {
                    collect(problems, () -> {
                        Scenario.UserSpec spec = userSpec(user, planWait, users.size(), problems);
                        YamlNode wait = user.anyObject().get("wait");
                        if (wait != null) {
                            draft.waitWritten(wait.where());
                        }
                        if (spec != null) {
                            users.add(spec);
                        }
                    });
                }
                if (users.size() == declared.size() + (top.containsKey("tasks") ? 1 : 0)
                        && users.stream().allMatch(user -> user.weight() == 0)) {
                    throw top.get("users").error("every user has weight 0: no user would run");
                }
            });
        }
        if (!users.isEmpty() || top.containsKey("tasks") || top.containsKey("users")) {
            draft.declaredUsers(new Scenario.Declared(users));
        }
    }

    private static void readLoad(YamlNode node, PlanDraft draft, WaitTime[] planWait) {
        Map<String, YamlNode> load = node.object(LOAD_KEYS);
        if (load.containsKey("users")) draft.users(load.get("users").located());
        if (load.containsKey("spawnRate")) draft.spawnRate(load.get("spawnRate").located());
        if (load.containsKey("runTime")) draft.runTime(load.get("runTime").located());
        if (load.containsKey("wait")) {
            planWait[0] = waitTime(load.get("wait"));
            draft.waitWritten(load.get("wait").where());
        }
        if (load.containsKey("arrivalRate")) draft.arrivalRate(load.get("arrivalRate").located());
        if (load.containsKey("maxConcurrency")) draft.maxConcurrency(load.get("maxConcurrency").located());
        if (load.containsKey("preAllocated")) draft.preAllocated(load.get("preAllocated").located());
        if (load.containsKey("latencyFrom")) draft.latencyFrom(load.get("latencyFrom").located());
        if (load.containsKey("stages")) {
            List<Located<LoadDraft.Stage>> stages = new ArrayList<>();
            for (YamlNode stage : load.get("stages").array()) {
                Map<String, YamlNode> fields = stage.object(STAGE_KEYS);
                stages.add(new Located<>(new LoadDraft.Stage(located(fields, "duration"),
                        located(fields, "users"), located(fields, "spawnRate"), located(fields, "arrivalRate")), stage.where()));
            }
            draft.stages(stages);
        }
    }

    /** Runs one part of the reading; its problem, if any, is added to {@code problems}. Returns whether it went through. */
    static boolean collect(List<String> problems, Runnable part) {
        try {
            part.run();
            return true;
        } catch (StampedeException.BadInput problem) {
            problems.add(problem.getMessage());
            return false;
        }
    }

    /**
     * Refuses a file above {@code maxBytes} before reading it, naming its size.
     *
     * @param what "plan file" or "scenario file", for the message
     */
    public static void checkSize(Path file, String name, long maxBytes, String what) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new StampedeException.BadInput(name + ": the " + what + " is " + mebibytes(size)
                        + "; a " + what + " is at most " + mebibytes(maxBytes));
            }
        } catch (NoSuchFileException e) {
            // said by the reader, with its own words
        } catch (IOException e) {
            throw new StampedeException.BadInput(name + ": cannot read: " + e.getMessage());
        }
    }

    private static String mebibytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB"
                : String.format(Locale.ROOT, "%.1f MiB (%,d bytes)", bytes / (1024.0 * 1024), bytes);
    }

    private static Scenario.UserSpec userSpec(YamlNode node, WaitTime planWait, int index, List<String> problems) {
        Map<String, YamlNode> fields = node.object(USER_KEYS);
        String name = fields.containsKey("name") ? fields.get("name").text() : "User" + (index + 1);
        int weight = fields.containsKey("weight") ? nonNegative(fields.get("weight")) : 1;
        WaitTime wait = fields.containsKey("wait") ? waitTime(fields.get("wait")) : planWait;
        boolean sequential = fields.containsKey("sequential") && fields.get("sequential").booleanValue();
        if (!fields.containsKey("tasks")) {
            throw node.error("'tasks' is required");
        }
        List<Scenario.TaskSpec> tasks = tasks(fields.get("tasks"), problems);
        return tasks == null ? null : new Scenario.UserSpec(name, weight, wait, sequential, tasks);
    }

    /** The tasks, each task's first problem added to {@code problems}; null when any had one. */
    private static List<Scenario.TaskSpec> tasks(YamlNode node, List<String> problems) {
        List<YamlNode> items;
        try {
            items = node.array();
            if (items.isEmpty()) {
                throw node.error("needs at least one task");
            }
        } catch (StampedeException.BadInput e) {
            problems.add(e.getMessage());
            return null;
        }
        List<Scenario.TaskSpec> tasks = new ArrayList<>();
        boolean allRead = true;
        for (YamlNode item : items) {
            allRead &= collect(problems, () -> tasks.add(task(item, tasks.size())));
        }
        if (allRead && tasks.stream().allMatch(task -> task.weight() == 0)) {
            problems.add(node.error("every task has weight 0: a user would have nothing to run").getMessage());
            return null;
        }
        return allRead ? tasks : null;
    }

    private static Scenario.TaskSpec task(YamlNode item, int index) {
        if (StreamTasks.declares(item)) {
            return StreamTasks.task(item);
        }
        Map<String, YamlNode> fields = item.object(TASK_KEYS);
        int weight = fields.containsKey("weight") ? nonNegative(fields.get("weight")) : 1;
        Set<String> tags = fields.containsKey("tags") ? strings(fields.get("tags")) : Set.of();
        List<Scenario.Step> steps = new ArrayList<>();
        String name;
        if (fields.containsKey("steps") && fields.containsKey("batch")) {
            throw item.error("a task has either 'steps' or 'batch', not both (a step may be a batch)");
        }
        if (fields.containsKey("steps") || fields.containsKey("batch")) {
            String form = fields.containsKey("steps") ? "steps" : "batch";
            if (methodOf(item, fields) != null) {
                throw item.error("a task has either a request (get:, post:, ...) or '" + form + "', not both");
            }
            for (String key : REQUEST_ONLY_KEYS) {
                if (fields.containsKey(key)) {
                    throw fields.get(key).error("'" + key + "' goes on each request of a task with " + form
                            + ", not on the task" + (key.equals("headers") ? " (headers every request sends: http.headers)" : ""));
                }
            }
            if (form.equals("batch")) {
                steps.add(batch(fields.get("batch")));
                name = fields.containsKey("name") ? fields.get("name").text() : "batch " + (index + 1);
            } else {
                for (YamlNode step : fields.get("steps").array()) {
                    steps.add(step(step));
                }
                if (steps.isEmpty()) {
                    throw fields.get("steps").error("needs at least one step");
                }
                name = fields.containsKey("name") ? fields.get("name").text() : "flow " + (index + 1);
            }
        } else {
            Scenario.RequestSpec request = request(item, fields);
            steps.add(request);
            name = request.name();
        }
        return new Scenario.TaskSpec(name, weight, tags, steps);
    }

    /** A flow's step: a request, or {@code batch: [ requests ]} alone. */
    private static Scenario.Step step(YamlNode node) {
        Map<String, YamlNode> fields = node.object(STEP_KEYS);
        if (!fields.containsKey("batch")) {
            return request(node, fields);
        }
        if (fields.size() > 1) {
            throw node.error("a batch step has 'batch' alone; each request in it has its own name, headers, expect, ...");
        }
        return batch(fields.get("batch"));
    }

    /** {@code batch: [ { get: /a }, { get: /b, name: b } ]}: requests sent at once, each under its own name. */
    private static Scenario.BatchSpec batch(YamlNode node) {
        List<Scenario.RequestSpec> requests = new ArrayList<>();
        for (YamlNode request : node.array()) {
            requests.add(request(request, request.object(REQUEST_KEYS)));
        }
        if (requests.isEmpty()) {
            throw node.error("needs at least one request");
        }
        return new Scenario.BatchSpec(requests);
    }

    private static Scenario.RequestSpec request(YamlNode node, Map<String, YamlNode> fields) {
        String method = methodOf(node, fields);
        if (method == null) {
            throw node.error("a request needs one of " + String.join(", ", METHODS) + " (e.g. 'get: /')");
        }
        YamlNode pathNode = fields.get(method);
        String path = pathNode.text();
        if (absoluteUrl(path)) {
            try {
                Addresses.httpUrl(path); // another host: its own connection, its host in the request's name
            } catch (IllegalArgumentException e) {
                throw pathNode.error(e.getMessage());
            }
        } else if (!path.startsWith("/")) {
            throw pathNode.error("path must start with '/', got '" + path + "'");
        }
        String name = fields.containsKey("name") ? fields.get("name").text() : path;
        Map<String, String> headers = fields.containsKey("headers") ? stringMap(fields.get("headers")) : Map.of();
        String body = fields.containsKey("body") ? fields.get("body").text() : null;
        Scenario.Expect expect = fields.containsKey("expect") ? expect(fields.get("expect")) : Scenario.Expect.none();
        HttpProtocol version = fields.containsKey("version") ? version(fields.get("version")) : null;
        return new Scenario.RequestSpec(method.toUpperCase(Locale.ROOT), path, name, headers, body, expect, version);
    }

    /** A request's own {@code version:}, in the words of {@code http.version}'s message. */
    private static HttpProtocol version(YamlNode node) {
        HttpProtocol version = HttpProtocol.parse(node.text());
        if (version == null) {
            throw node.error("expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '" + node.text() + "'");
        }
        return version;
    }

    private static String methodOf(YamlNode node, Map<String, YamlNode> fields) {
        String found = null;
        for (String method : METHODS) {
            if (fields.containsKey(method)) {
                if (found != null) {
                    throw node.error("a request has one method, got both '" + found + "' and '" + method + "'");
                }
                found = method;
            }
        }
        return found;
    }

    private static Scenario.Expect expect(YamlNode node) {
        Map<String, YamlNode> fields = node.object(EXPECT_KEYS);
        List<Integer> status = new ArrayList<>();
        if (fields.containsKey("status")) {
            YamlNode s = fields.get("status");
            for (YamlNode code : s.kind() == YamlNode.Kind.ARRAY ? s.array() : List.of(s)) {
                int value = code.intValue();
                if (value < 100 || value > 599) {
                    throw code.error("an HTTP status is between 100 and 599, got " + value);
                }
                status.add(value);
            }
        }
        String body = fields.containsKey("body") ? fields.get("body").text() : null;
        Map<String, String> json = fields.containsKey("json") ? stringMap(fields.get("json")) : Map.of();
        for (Map.Entry<String, String> e : json.entrySet()) {
            if (!e.getKey().startsWith("/")) {
                throw fields.get("json").error("JSON field '" + e.getKey() + "' must be a JSON Pointer such as /" + e.getKey());
            }
        }
        return new Scenario.Expect(status, body, json);
    }

    /** {@code between: [1s, 5s]}, {@code constant: 1s}, {@code pacing: 2s} or {@code throughput: 0.5}. */
    static WaitTime waitTime(YamlNode node) {
        Map<String, YamlNode> fields = node.object(WAIT_KEYS);
        if (fields.size() != 1) {
            throw node.error("give exactly one of " + String.join(", ", WAIT_KEYS));
        }
        Map.Entry<String, YamlNode> kind = fields.entrySet().iterator().next();
        YamlNode value = kind.getValue();
        return switch (kind.getKey()) {
            case "between" -> {
                List<YamlNode> bounds = value.array();
                if (bounds.size() != 2) {
                    throw value.error("between needs two durations, e.g. [1s, 5s]");
                }
                Duration min = duration(bounds.get(0));
                Duration max = duration(bounds.get(1));
                if (max.compareTo(min) < 0) {
                    throw value.error("the upper bound " + bounds.get(1).text() + " is below the lower bound " + bounds.get(0).text());
                }
                yield WaitTime.between(min, max);
            }
            case "constant" -> WaitTime.constant(duration(value));
            case "pacing" -> WaitTime.constantPacing(duration(value));
            default -> {
                double perSecond = value.doubleValue();
                if (!(perSecond > 0)) {
                    throw value.error("throughput must be greater than 0 tasks per second, got " + value.text());
                }
                yield WaitTime.constantThroughput(perSecond);
            }
        };
    }

    static Duration duration(YamlNode node) {
        try {
            Duration d = Durations.parse(node.text());
            if (d.isNegative()) {
                throw node.error("must not be negative, got " + node.text());
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    static int nonNegative(YamlNode node) {
        int value = node.intValue();
        if (value < 0) {
            throw node.error("must be 0 or more, got " + value);
        }
        return value;
    }

    private static boolean absoluteUrl(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static Located<String> located(Map<String, YamlNode> fields, String key) {
        return fields.containsKey(key) ? fields.get(key).located() : null;
    }

    static Set<String> strings(YamlNode node) {
        Set<String> values = new LinkedHashSet<>();
        for (YamlNode item : node.kind() == YamlNode.Kind.ARRAY ? node.array() : List.of(node)) {
            values.add(item.text());
        }
        return values;
    }

    static Map<String, String> stringMap(YamlNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.anyObject().forEach((key, value) -> values.put(key, value.text()));
        return values;
    }

    static Path resolve(Path planFile, String path) {
        Path p = Path.of(path);
        Path dir = planFile.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
