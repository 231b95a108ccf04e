package io.stampede.plan;

import io.stampede.StampedeException;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.GuardSpec;
import io.stampede.engine.LoadDraft;
import io.stampede.engine.LoadModel;
import io.stampede.engine.Scenario;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpDraft;
import io.stampede.http.HttpOptions;
import io.stampede.http.TlsDraft;
import io.stampede.input.Addresses;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.ledger.LedgerSpec;
import io.stampede.slo.Analysis;
import io.stampede.slo.PlanThreshold;
import io.stampede.slo.SloSpec;
import io.stampede.target.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plan being assembled from a plan file and then from flags (later values replace earlier ones),
 * each value with where it came from. {@link #toPlan()} is the one way to a {@link Plan}: each part
 * is checked there with the rules of the package that owns its spec ({@code engine/LoadDraft},
 * {@code http/HttpDraft}, {@code slo/SloSpec}, ...), so a bad value gets the same message whichever
 * front end supplied it, prefixed by its origin.
 */
public final class PlanDraft {

    private Located<String> name;
    private Located<String> host;
    private Located<String> users;
    private Located<String> spawnRate;
    private Located<String> runTime;
    private Located<String> arrivalRate;
    private Located<String> maxConcurrency;
    private Located<String> preAllocated;
    private Located<String> latencyFrom;
    private Located<String> httpVersion;
    private List<Located<LoadDraft.Stage>> stages = List.of();
    private Located<Path> scenarioFile;
    private Scenario.Declared declaredUsers;
    /** Where the plan file gives a wait (load.wait, users[].wait): refused with the open model, which has none. */
    private final List<String> waitsWritten = new ArrayList<>();
    private Located<String> connectTimeout;
    private Located<String> responseTimeout;
    private Map<String, String> headers = new LinkedHashMap<>();
    private TlsDraft tls = TlsDraft.none();
    private final List<List<ConnectTo.Entry>> connectTo = new ArrayList<>();
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
    private GuardSpec guard = GuardSpec.none();
    private int recoverySeconds = Analysis.DEFAULT_RECOVERY_SECONDS;
    /** The budget ledger, its policy and the SLOs' periods (PolicySection); kept beside the Plan, by the run's caller. */
    private LedgerSpec ledger = LedgerSpec.none();
    public PlanDraft ledger(LedgerSpec value) { ledger = value; return this; }
    public LedgerSpec ledger() { return ledger; }
    /** Problems in the plan file's structure, found while reading it; reported with the values' problems. */
    final List<String> fileProblems = new ArrayList<>();
    /** The plan's targets had a problem: the host that the first one's url would give is unknown, not missing. */
    boolean targetsUnread;

    // Each value replaces the one before it: the plan file's, then the flags', then the start form's.
    public PlanDraft name(Located<String> value) { name = value; return this; }
    public PlanDraft host(Located<String> value) { host = value; return this; }
    /** The host as given, or null: the first target's url stands for it in {@link #toPlan()}. */
    public Located<String> host() { return host; }
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
    public PlanDraft httpVersion(Located<String> value) { if (value != null) httpVersion = value; return this; }
    public PlanDraft stages(List<Located<LoadDraft.Stage>> value) { stages = List.copyOf(value); return this; }
    public List<Located<LoadDraft.Stage>> stages() { return stages; }
    public PlanDraft scenarioFile(Located<Path> value) { scenarioFile = value; return this; }
    public Located<Path> scenarioFile() { return scenarioFile; }
    public PlanDraft declaredUsers(Scenario.Declared value) { declaredUsers = value; return this; }
    public PlanDraft waitWritten(String where) { waitsWritten.add(where); return this; }
    public PlanDraft connectTimeout(Located<String> value) { connectTimeout = value; return this; }
    public PlanDraft responseTimeout(Located<String> value) { responseTimeout = value; return this; }
    /** Adds headers; a name given again replaces its value. */
    public PlanDraft headers(Map<String, String> more) { headers.putAll(more); return this; }
    /** Lays TLS values over the ones set so far: those {@code more} sets win. */
    public PlanDraft tls(TlsDraft more) { tls = tls.with(more); return this; }
    public TlsDraft tls() { return tls; }
    /** Lays TLS values under the ones set so far (a Java scenario's, under the plan file's). */
    public PlanDraft tlsUnder(TlsDraft under) { tls = under.with(tls); return this; }
    /** Adds one source's connect-to entries (the plan's {@code hosts:}, the {@code --connect-to} flags): they win over earlier ones. */
    public PlanDraft connectTo(List<ConnectTo.Entry> source) { if (!source.isEmpty()) connectTo.add(List.copyOf(source)); return this; }
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
    public List<ChaosSpec> chaos() { return chaos; }
    public PlanDraft slos(List<SloSpec> value) { slos = List.copyOf(value); return this; }
    public List<SloSpec> slos() { return slos; }
    public PlanDraft guard(GuardSpec value) { guard = value; return this; }
    public GuardSpec guard() { return guard; }
    public PlanDraft thresholds(List<PlanThreshold> value) { thresholds = List.copyOf(value); return this; }
    public PlanDraft recoverySeconds(int value) { recoverySeconds = value; return this; }

    /**
     * Checks every value and builds the plan; all problems are reported at once. Each step checks
     * one part with the rules of the package that owns it, in the order the problems are listed.
     */
    public Plan toPlan() {
        Problems problems = new Problems(fileProblems);
        String checkedHost = host(problems);
        LoadModel load = load().check(problems);
        if (load instanceof LoadModel.Open) {
            // each arrival runs one task and the clock, not a wait, starts the next: a wait would be ignored
            waitsWritten.forEach(where -> problems.add(where + ": a wait paces the users of the closed model;"
                    + " with arrivalRate the clock starts each task (remove the wait, or give users instead)"));
        }
        Optional<Duration> checkedRunTime = runTime(load, problems);
        HttpOptions http = new HttpDraft(connectTimeout, responseTimeout, headers, latencyFrom, tls, httpVersion, connectTo)
                .check(problems);
        Scenario scenario = scenario(problems);
        Duration stop = stopTimeout == null ? Duration.ZERO : problems.nonNegativeDuration(stopTimeout);
        Plan.Output output = output(problems);
        Plan.Judgement judgement = judgement(scenario, problems);
        checkWeb(problems);
        ledger.policy().filter(policy -> ledger.file().isEmpty()).ifPresent(policy -> problems.add(policy.where()
                + ": an error-budget policy needs a ledger: 'ledger: FILE' in the plan or --ledger FILE"));
        if (!problems.isEmpty()) {
            throw new StampedeException.BadInput(String.join("\n", inFileOrder(problems.list())));
        }
        return new Plan(name == null ? "run" : name.value(), checkedHost, load, checkedRunTime, scenario, http, tags,
                excludeTags, output, stop, targets, chaos, judgement);
    }

    /** The load as written, for the engine's rules. */
    private LoadDraft load() {
        return new LoadDraft(users, spawnRate, arrivalRate, maxConcurrency, preAllocated, stages);
    }

    /** The host given, else the first target's url; null when missing or bad. */
    private String host(Problems problems) {
        Located<String> effective = host;
        if (effective == null && !targets.isEmpty() && targets.get(0).url() != null) {
            effective = new Located<>(targets.get(0).url().toString(), "url of target " + targets.get(0).name());
        }
        if (effective == null) {
            if (!targetsUnread) {
                problems.add("no host: give -H/--host http://HOST:PORT or 'host:' in the plan file");
            }
            return null;
        }
        try {
            return Addresses.httpBase(effective.value());
        } catch (IllegalArgumentException e) {
            problems.add(effective.where() + ": " + e.getMessage());
            return null;
        }
    }

    /** The run time given, else the stages' total (once the load is sound); empty: until stopped. */
    private Optional<Duration> runTime(LoadModel load, Problems problems) {
        if (runTime != null) {
            return Optional.ofNullable(problems.positiveDuration(runTime));
        }
        if (stages.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load.stagesDuration());
    }

    /** A Java scenario file or the plan's tasks, exactly one of them. */
    private Scenario scenario(Problems problems) {
        if (scenarioFile != null && declaredUsers != null) {
            problems.add(scenarioFile.where() + ": give either a Java scenario file or tasks in the plan, not both");
            return null;
        }
        if (scenarioFile != null) {
            if (!Files.isRegularFile(scenarioFile.value())) {
                problems.add(scenarioFile.where() + ": file not found: " + scenarioFile.value());
            } else {
                try {
                    PlanFile.checkSize(scenarioFile.value(), scenarioFile.where(), MAX_SCENARIO_BYTES, "scenario file");
                } catch (StampedeException.BadInput tooLarge) {
                    problems.add(tooLarge.getMessage());
                }
            }
            return new Scenario.JavaFile(scenarioFile.value());
        }
        if (declaredUsers == null && fileProblems.isEmpty()) {
            problems.add("nothing to run: give a Java scenario with -f FILE.java, or a plan file with tasks");
        }
        return declaredUsers;
    }

    /** Where results go: a folder that can be made, a CSV prefix whose folder can be, a run name that fits a file name. */
    private Plan.Output output(Problems problems) {
        String csv = csvPrefix == null ? null : csvPrefix.value();
        if (csv != null && csv.isBlank()) {
            problems.add(csvPrefix.where() + ": must not be empty");
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
        Optional<Path> results = noResults ? Optional.empty()
                : Optional.of(resultsDir == null ? Path.of("results") : resultsDir.value());
        return new Plan.Output(results, Optional.ofNullable(csv), headless, web);
    }

    /** The SLOs (their filters must name the plan's requests), thresholds, and the exit code on error. */
    private Plan.Judgement judgement(Scenario scenario, Problems problems) {
        SloSpec.checkFilters(slos, scenario, problems);
        int onError = Plan.Judgement.DEFAULT_EXIT_CODE_ON_ERROR;
        if (exitCodeOnError != null) {
            onError = problems.atLeast(exitCodeOnError, 0, "an exit code");
            if (onError > MAX_EXIT_CODE) {
                problems.add(exitCodeOnError.where() + ": an exit code is 0 to " + MAX_EXIT_CODE + ", got " + onError);
            }
        }
        return new Plan.Judgement(slos, thresholds, recoverySeconds, onError, guard);
    }

    /** The web UI's address: a host it can listen on, a port in range when one was chosen. */
    private void checkWeb(Problems problems) {
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
    }

    private static final Pattern POSITION = Pattern.compile("^.*?:(\\d+):(\\d+): ");

    /** Problems with a file position by line and column; the others (flags, the plan as a whole) after them, as found. */
    static List<String> inFileOrder(List<String> problems) {
        List<String> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong(problem -> {
            Matcher at = POSITION.matcher(problem);
            return at.find() ? Long.parseLong(at.group(1)) * 1_000_000 + Long.parseLong(at.group(2)) : Long.MAX_VALUE;
        }));
        return sorted;
    }

    /** The largest Java scenario file compiled: a scenario is a few KiB of users and tasks. */
    public static final long MAX_SCENARIO_BYTES = PlanFile.MAX_PLAN_BYTES;

    /** A process exit code is one byte. */
    static final int MAX_EXIT_CODE = 255;

    /** The longest run name: with the folder's time stamp and suffix, it stays under a file name's 255 bytes. */
    public static final int MAX_NAME_CHARS = 200;

    /** A results folder that cannot be made loses every result at the end of a run: say so before it starts. */
    private static void checkFolder(Located<Path> folder, Problems problems) {
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
}
