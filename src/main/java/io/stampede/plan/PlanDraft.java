package io.stampede.plan;

import io.stampede.StampedeException;
import io.stampede.chaos.ChaosSpec;
import io.stampede.engine.LoadModel;
import io.stampede.engine.Scenario;
import io.stampede.http.HttpOptions;
import io.stampede.http.LatencyFrom;
import io.stampede.input.Addresses;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.slo.PlanThreshold;
import io.stampede.slo.SloSpec;
import io.stampede.target.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plan being assembled from a plan file and then from flags (later values replace earlier ones),
 * each value with where it came from. {@link #toPlan()} is the one place where values are checked,
 * so a bad value gets the same message whichever front end supplied it, prefixed by its origin.
 */
public final class PlanDraft {

    public static final int DEFAULT_USERS = 1;
    public static final double DEFAULT_SPAWN_RATE = 1;

    private Located<String> name;
    private Located<String> host;
    private Located<String> users;
    private Located<String> spawnRate;
    private Located<String> runTime;
    private Located<String> arrivalRate;
    private Located<String> maxConcurrency;
    private Located<String> preAllocated;
    private Located<String> latencyFrom;
    private List<Located<StageDraft>> stages = List.of();
    private Located<Path> scenarioFile;
    private Scenario.Declared declaredUsers;
    private Located<String> connectTimeout;
    private Located<String> responseTimeout;
    private Map<String, String> headers = new LinkedHashMap<>();
    private Set<String> tags = new LinkedHashSet<>();
    private Set<String> excludeTags = new LinkedHashSet<>();
    private Located<Path> resultsDir;
    private boolean noResults;
    private Located<String> csvPrefix;
    private boolean headless;
    private Plan.Web web = Plan.Web.defaults();
    private Located<String> stopTimeout;
    private Located<String> exitCodeOnError;
    private List<TargetSpec> targets = List.of();
    private List<ChaosSpec> chaos = List.of();
    private List<SloSpec> slos = List.of();
    private List<PlanThreshold> thresholds = List.of();
    private io.stampede.chaos.GuardSpec guard = io.stampede.chaos.GuardSpec.none();
    private int recoverySeconds = io.stampede.slo.Analysis.DEFAULT_RECOVERY_SECONDS;
    /** Problems in the plan file's structure, found while reading it; reported with the values' problems. */
    final List<String> fileProblems = new ArrayList<>();
    /** The plan's targets had a problem: the host that the first one's url would give is unknown, not missing. */
    boolean targetsUnread;

    // Each value replaces the one before it: the plan file's, then the flags', then the start form's.
    public PlanDraft name(Located<String> value) { name = value; return this; }
    public PlanDraft host(Located<String> value) { host = value; return this; }
    public PlanDraft users(Located<String> value) { users = value; return this; }
    public Located<String> users() { return users; }
    public PlanDraft spawnRate(Located<String> value) { spawnRate = value; return this; }
    public Located<String> spawnRate() { return spawnRate; }
    public PlanDraft runTime(Located<String> value) { runTime = value; return this; }
    public Located<String> runTime() { return runTime; }
    public PlanDraft arrivalRate(Located<String> value) { arrivalRate = value; return this; }
    public Located<String> arrivalRate() { return arrivalRate; }
    public PlanDraft maxConcurrency(Located<String> value) { maxConcurrency = value; return this; }
    public Located<String> maxConcurrency() { return maxConcurrency; }
    public PlanDraft preAllocated(Located<String> value) { preAllocated = value; return this; }
    public Located<String> preAllocated() { return preAllocated; }
    public PlanDraft latencyFrom(Located<String> value) { latencyFrom = value; return this; }
    public PlanDraft stages(List<Located<StageDraft>> value) { stages = List.copyOf(value); return this; }
    public List<Located<StageDraft>> stages() { return stages; }
    public PlanDraft scenarioFile(Located<Path> value) { scenarioFile = value; return this; }
    public Located<Path> scenarioFile() { return scenarioFile; }
    public PlanDraft declaredUsers(Scenario.Declared value) { declaredUsers = value; return this; }
    public PlanDraft connectTimeout(Located<String> value) { connectTimeout = value; return this; }
    public PlanDraft responseTimeout(Located<String> value) { responseTimeout = value; return this; }
    /** Adds headers; a name given again replaces its value. */
    public PlanDraft headers(Map<String, String> more) { headers.putAll(more); return this; }
    public PlanDraft tags(Set<String> value) { tags = new LinkedHashSet<>(value); return this; }
    public PlanDraft excludeTags(Set<String> value) { excludeTags = new LinkedHashSet<>(value); return this; }
    public PlanDraft resultsDir(Located<Path> value) { resultsDir = value; return this; }
    public PlanDraft noResults(boolean value) { noResults = value; return this; }
    public boolean noResults() { return noResults; }
    public PlanDraft csvPrefix(Located<String> value) { csvPrefix = value; return this; }
    public PlanDraft headless(boolean value) { headless = value; return this; }
    public boolean headless() { return headless; }
    public PlanDraft web(Plan.Web value) { web = value; return this; }
    public PlanDraft stopTimeout(Located<String> value) { stopTimeout = value; return this; }
    public PlanDraft exitCodeOnError(Located<String> value) { exitCodeOnError = value; return this; }
    public PlanDraft targets(List<TargetSpec> value) { targets = List.copyOf(value); return this; }
    public List<TargetSpec> targets() { return targets; }
    public PlanDraft chaos(List<ChaosSpec> value) { chaos = List.copyOf(value); return this; }
    public PlanDraft slos(List<SloSpec> value) { slos = List.copyOf(value); return this; }
    public List<SloSpec> slos() { return slos; }
    public PlanDraft guard(io.stampede.chaos.GuardSpec value) { guard = value; return this; }
    public PlanDraft thresholds(List<PlanThreshold> value) { thresholds = List.copyOf(value); return this; }
    public PlanDraft recoverySeconds(int value) { recoverySeconds = value; return this; }

    /** A stage as written; its values are checked in {@link #toPlan()}. */
    public record StageDraft(Located<String> duration, Located<String> users, Located<String> spawnRate,
                             Located<String> arrivalRate) {
    }

    /** The open model's default cap on concurrent users (k6's maxVUs). */
    public static final int DEFAULT_MAX_CONCURRENCY = 1000;

    /** Checks every value and builds the plan; all problems are reported at once. */
    public Plan toPlan() {
        List<String> problems = new ArrayList<>(fileProblems);
        Checker check = new Checker(problems);

        Located<String> effectiveHost = host;
        if (effectiveHost == null && !targets.isEmpty() && targets.get(0).url() != null) {
            effectiveHost = new Located<>(targets.get(0).url().toString(), "url of target " + targets.get(0).name());
        }
        String checkedHost = effectiveHost == null && targetsUnread ? null : check.host(effectiveHost);
        boolean open = arrivalRate != null || stages.stream().anyMatch(st -> st.value().arrivalRate() != null);
        LoadModel load;
        Duration stagesTotal = Duration.ZERO;
        if (open) {
            if (users != null || spawnRate != null) {
                Located<String> closedKey = users != null ? users : spawnRate;
                problems.add(closedKey.where() + ": users/spawnRate (closed model) and arrivalRate (open model) do not mix; give one");
            }
            double rate = arrivalRate == null ? 0 : check.nonNegative(arrivalRate, "arrival rate");
            int cap = maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : check.atLeast(maxConcurrency, 1, "maxConcurrency");
            List<LoadModel.RateStage> rateStages = new ArrayList<>();
            for (Located<StageDraft> stage : stages) {
                StageDraft st = stage.value();
                Duration d = st.duration() == null ? check.<Duration>missing(stage, "duration") : check.positiveDuration(st.duration());
                double r = st.arrivalRate() == null ? check.missingNumber(stage, "arrivalRate")
                        : check.nonNegative(st.arrivalRate(), "arrival rate");
                if (st.users() != null || st.spawnRate() != null) {
                    problems.add(stage.where() + ": an open-model stage has duration and arrivalRate only");
                }
                rateStages.add(new LoadModel.RateStage(d == null ? Duration.ofSeconds(1) : d, r));
                stagesTotal = stagesTotal.plus(d == null ? Duration.ZERO : d);
            }
            if (rate == 0 && rateStages.stream().allMatch(st -> st.arrivalRate() == 0)) {
                problems.add((arrivalRate != null ? arrivalRate.where() : "load") + ": the arrival rate is 0 throughout: nothing would run");
            }
            int warm = preAllocated == null ? 0 : check.atLeast(preAllocated, 0, "preAllocated");
            if (warm > cap) {
                problems.add(preAllocated.where() + ": preAllocated " + warm + " is above maxConcurrency " + cap);
            }
            load = new LoadModel.Open(rate, rateStages, cap, Math.min(warm, cap));
        } else {
            int checkedUsers = users == null ? DEFAULT_USERS : check.atLeast(users, 1, "users");
            double checkedRate = spawnRate == null ? DEFAULT_SPAWN_RATE : check.positive(spawnRate, "spawn rate");
            if (maxConcurrency != null || preAllocated != null) {
                Located<String> key = maxConcurrency != null ? maxConcurrency : preAllocated;
                problems.add(key.where() + ": maxConcurrency and preAllocated belong to the open model (arrivalRate)");
            }
            List<LoadModel.Stage> checkedStages = new ArrayList<>();
            for (Located<StageDraft> stage : stages) {
                StageDraft st = stage.value();
                Duration d = st.duration() == null ? check.<Duration>missing(stage, "duration") : check.positiveDuration(st.duration());
                int u = 0;
                if (st.users() == null) {
                    check.missing(stage, "users");
                } else {
                    u = check.atLeast(st.users(), 0, "users");
                }
                double r = st.spawnRate() == null ? checkedRate : check.positive(st.spawnRate(), "spawn rate");
                checkedStages.add(new LoadModel.Stage(d, u, r));
                stagesTotal = stagesTotal.plus(d == null ? Duration.ZERO : d);
            }
            load = new LoadModel.Closed(checkedUsers, checkedRate, checkedStages);
        }
        Optional<Duration> checkedRunTime = runTime == null ? Optional.empty()
                : Optional.ofNullable(check.positiveDuration(runTime));
        if (checkedRunTime.isEmpty() && !stages.isEmpty() && problems.isEmpty()) {
            checkedRunTime = Optional.of(stagesTotal);
        }
        LatencyFrom from = LatencyFrom.INTENDED;
        if (latencyFrom != null) {
            try {
                from = LatencyFrom.valueOf(latencyFrom.value().strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(latencyFrom.where() + ": latencyFrom is intended or actual, got '" + latencyFrom.value() + "'");
            }
        }

        Scenario scenario = null;
        if (scenarioFile != null && declaredUsers != null) {
            problems.add(scenarioFile.where() + ": give either a Java scenario file or tasks in the plan, not both");
        } else if (scenarioFile != null) {
            if (!Files.isRegularFile(scenarioFile.value())) {
                problems.add(scenarioFile.where() + ": file not found: " + scenarioFile.value());
            } else {
                try {
                    PlanFile.checkSize(scenarioFile.value(), scenarioFile.where(), MAX_SCENARIO_BYTES, "scenario file");
                } catch (StampedeException.BadInput tooLarge) {
                    problems.add(tooLarge.getMessage());
                }
            }
            scenario = new Scenario.JavaFile(scenarioFile.value());
        } else if (declaredUsers != null) {
            scenario = declaredUsers;
        } else if (fileProblems.isEmpty()) {
            problems.add("nothing to run: give a Java scenario with -f FILE.java, or a plan file with tasks");
        }

        Duration connect = connectTimeout == null ? HttpOptions.DEFAULT_CONNECT_TIMEOUT : check.positiveDuration(connectTimeout);
        Duration response = responseTimeout == null ? HttpOptions.DEFAULT_RESPONSE_TIMEOUT : check.positiveDuration(responseTimeout);
        Duration stop = stopTimeout == null ? Duration.ZERO : check.nonNegativeDuration(stopTimeout);
        String csv = null;
        if (csvPrefix != null) {
            csv = csvPrefix.value();
            if (csv.isBlank()) {
                problems.add(csvPrefix.where() + ": must not be empty");
            }
        }

        if (scenario instanceof Scenario.Declared declared) {
            Set<String> names = new java.util.HashSet<>();
            declared.users().forEach(u -> u.tasks().forEach(t -> t.steps().forEach(r -> names.add(r.name()))));
            for (SloSpec slo : slos) {
                if (slo.filterName().isPresent() && !names.contains(slo.filterName().get())) {
                    problems.add(slo.where() + ": the filter names no request; the plan's requests are " + new java.util.TreeSet<>(names));
                }
            }
        }
        int onError = Plan.Judgement.DEFAULT_EXIT_CODE_ON_ERROR;
        if (exitCodeOnError != null) {
            onError = check.atLeast(exitCodeOnError, 0, "an exit code");
            if (onError > MAX_EXIT_CODE) {
                problems.add(exitCodeOnError.where() + ": an exit code is 0 to " + MAX_EXIT_CODE + ", got " + onError);
            }
        }
        if (name != null && name.value().length() > MAX_NAME_CHARS) {
            problems.add(name.where() + ": a run name is at most " + MAX_NAME_CHARS + " characters (it names the results"
                    + " folder, and a file name is at most 255 bytes), got " + name.value().length());
        }
        if (resultsDir != null && !noResults) {
            checkFolder(resultsDir, problems);
        }
        if (csv != null && !csv.isBlank()) {
            Path parent = Path.of(csv).toAbsolutePath().getParent();
            if (parent != null) {
                checkFolder(new Located<>(parent, csvPrefix.where()), problems);
            }
        }
        try {
            Addresses.host(web.host());
        } catch (IllegalArgumentException e) {
            problems.add("--web-host: " + e.getMessage());
        }
        if (web.portSet()) {
            try {
                Addresses.port(web.port(), Addresses.ANY_FREE_PORT);
            } catch (IllegalArgumentException e) {
                problems.add("--web-port: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new StampedeException.BadInput(String.join("\n", inFileOrder(problems)));
        }
        String runName = name == null ? "run" : name.value();
        Optional<Path> results = noResults ? Optional.empty()
                : Optional.of(resultsDir == null ? Path.of("results") : resultsDir.value());
        return new Plan(runName, checkedHost,
                load, checkedRunTime, scenario,
                new HttpOptions(connect, response, HttpOptions.DEFAULT_MAX_BODY_BYTES, true, headers, from),
                tags, excludeTags, new Plan.Output(results, Optional.ofNullable(csv), headless, web), stop, targets, chaos,
                new Plan.Judgement(slos, thresholds, recoverySeconds, onError, guard));
    }

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("^.*?:(\\d+):(\\d+): ");

    /** Problems with a file position by line and column; the others (flags, the plan as a whole) after them, as found. */
    static List<String> inFileOrder(List<String> problems) {
        List<String> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparingLong(problem -> {
            java.util.regex.Matcher at = POSITION.matcher(problem);
            return at.find() ? Long.parseLong(at.group(1)) * 1_000_000 + Long.parseLong(at.group(2)) : Long.MAX_VALUE;
        }));
        return sorted;
    }

    /** A value quoted in a message, cut when long so that a pasted blob does not fill the screen. */
    static String quoted(String value) {
        return value.length() <= MAX_QUOTED_CHARS ? "'" + value + "'"
                : "'" + value.substring(0, MAX_QUOTED_CHARS) + "...' (" + value.length() + " characters)";
    }

    /** Characters of a bad value repeated in its message. */
    static final int MAX_QUOTED_CHARS = 40;

    /** The largest Java scenario file compiled: a scenario is a few KiB of users and tasks. */
    public static final long MAX_SCENARIO_BYTES = PlanFile.MAX_PLAN_BYTES;

    /** A process exit code is one byte. */
    static final int MAX_EXIT_CODE = 255;

    /** The longest run name: with the folder's time stamp and suffix, it stays under a file name's 255 bytes. */
    public static final int MAX_NAME_CHARS = 200;

    /** A results folder that cannot be made loses every result at the end of a run: say so before it starts. */
    private static void checkFolder(Located<Path> folder, List<String> problems) {
        for (Path p = folder.value().toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    problems.add(folder.where() + ": " + p + (p.equals(folder.value().toAbsolutePath()) ? "" : ", on the way to "
                            + folder.value() + ",") + " is a file, not a folder; results go in a folder");
                } else if (!Files.isWritable(p)) {
                    problems.add(folder.where() + ": cannot write in " + p + " (permission denied)");
                }
                return;
            }
        }
    }

    /** Collects problems instead of stopping at the first. Returns a neutral value after a problem. */
    private record Checker(List<String> problems) {

        String host(Located<String> host) {
            if (host == null) {
                problems.add("no host: give -H/--host http://HOST:PORT or 'host:' in the plan file");
                return null;
            }
            try {
                return Addresses.httpBase(host.value());
            } catch (IllegalArgumentException e) {
                problems.add(host.where() + ": " + e.getMessage());
                return null;
            }
        }

        int atLeast(Located<String> value, int min, String what) {
            try {
                int n = Integer.parseInt(value.value().strip());
                if (n < min) {
                    problems.add(value.where() + ": " + what + " must be at least " + min + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                String text = value.value().strip();
                problems.add(value.where() + ": " + what + (text.matches("[-+]?\\d+")
                        ? " must be at most " + Integer.MAX_VALUE + ", got " + (text.length() > MAX_QUOTED_CHARS ? "a " + text.length() + "-digit number" : text)
                        : " must be a whole number, got " + quoted(value.value())));
                return min;
            }
        }

        double positive(Located<String> value, String what) {
            try {
                double n = Double.parseDouble(value.value().strip());
                if (!(n > 0) || Double.isInfinite(n)) {
                    problems.add(value.where() + ": " + what + " must be greater than 0, got " + value.value());
                    return 1;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(value.where() + ": " + what + " must be a number, got " + quoted(value.value()));
                return 1;
            }
        }

        Duration positiveDuration(Located<String> value) {
            Duration d = nonNegativeDuration(value);
            if (d != null && d.isZero()) {
                problems.add(value.where() + ": must be longer than 0");
                return null;
            }
            return d;
        }

        Duration nonNegativeDuration(Located<String> value) {
            try {
                Duration d = Durations.parse(value.value());
                if (d.isNegative()) {
                    problems.add(value.where() + ": must not be negative, got " + value.value());
                    return null;
                }
                return d;
            } catch (IllegalArgumentException e) {
                problems.add(value.where() + ": " + e.getMessage());
                return null;
            }
        }

        double nonNegative(Located<String> value, String what) {
            try {
                double n = Double.parseDouble(value.value().strip());
                if (!(n >= 0) || Double.isInfinite(n)) {
                    problems.add(value.where() + ": " + what + " must be 0 or more, got " + value.value());
                    return 0;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(value.where() + ": " + what + " must be a number, got " + quoted(value.value()));
                return 0;
            }
        }

        double missingNumber(Located<?> parent, String field) {
            problems.add(parent.where() + ": '" + field + "' is required");
            return 0;
        }

        <T> T missing(Located<?> parent, String field) {
            problems.add(parent.where() + ": '" + field + "' is required");
            return null;
        }
    }
}
