package io.stampede.cli;

import io.stampede.ExitCode;
import io.stampede.StampedeException;
import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.ChaosEntry;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.Fault;
import io.stampede.chaos.FaultFactory;
import io.stampede.chaos.HaltGuard;
import io.stampede.chaos.RunTargets;
import io.stampede.events.EventLog;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import io.stampede.report.EventConsole;
import io.stampede.target.ProcessScope;
import io.stampede.target.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code stampede chaos}: faults alone, without users (Pumba's job), against a process by PID or the
 * targets declared in a plan. The fault's own parameters are options too ({@code --signal SIGTERM}).
 * With a plan, its {@code halt:} and {@code steady:} guard the fault as in a run, except what reads the
 * users' requests, which is left out with a line that says so ({@link GuardWithoutUsers}).
 *
 * <pre>
 * stampede chaos kill --pid 4242 --signal SIGTERM
 * stampede chaos pause --pid 4242 --duration 10s
 * stampede chaos kill --plan examples/lab13-chaos.yaml --target app --every 30s --count 3
 * stampede chaos crash --container lab-web --every 20s
 * stampede chaos pause --container re2:^lab- --limit 2 --duration 10s
 * </pre>
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inject one fault, once or on a schedule, into a process or a plan's targets; no users.",
            "The fault's own parameters are options: kill --signal SIGTERM. Ctrl-C rolls back and stops."})
public final class ChaosCommand implements Callable<Integer> {

    /** How long a signal waits for faults to be rolled back before the JVM ends anyway. */
    private static final long ROLLBACK_ON_SIGNAL_SECONDS = 30;

    @Parameters(index = "0", paramLabel = "FAULT", description = "The fault kind: kill, pause, stop, restart, ...")
    String kind;

    @Option(names = "--pid", paramLabel = "PID", description = "The target: a running process.")
    Long pid;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The target: the process whose PID this file holds.")
    Path pidFile;

    @Option(names = "--scope", paramLabel = "SCOPE", description = {"With --pid or --pid-file: the processes a fault hits:"
            + " process, group or tree (the process and its descendants; the default)."})
    String scope;

    @Option(names = "--container", paramLabel = "NAME", description = {"The target: Docker containers by name or ID,"
            + " a comma-separated list, or re2:REGEX over their names; one is hit at random unless --all or --limit."})
    String container;

    @Option(names = "--plan", paramLabel = "PLAN", description = "Use the targets declared in this plan file (managed ones are started).")
    Path plan;

    @Option(names = "--target", paramLabel = "NAME", description = "With --plan: a target name or re2:REGEX (default: all of them, one at random).")
    String target;

    @Option(names = "--all", description = "With a regex: hit every matching target, not one at random.")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", description = "Hit at most N matching targets or containers, chosen at random.")
    Integer limit;

    @Option(names = "--at", paramLabel = "TIME", description = "Inject once, this long from now (default: now).")
    String at;

    @Option(names = "--every", paramLabel = "TIME", description = "Inject repeatedly, this far apart.")
    String every;

    @Option(names = "--start-after", paramLabel = "TIME", description = "With --every: the first injection (default: one interval).")
    String startAfter;

    @Option(names = "--count", paramLabel = "N", description = "With --every: stop after N injections.")
    Integer count;

    @Option(names = "--duration", paramLabel = "TIME", description = "How long a lasting fault (pause, stop, ...) stays.")
    String duration;

    @Option(names = "--run-time", paramLabel = "TIME", description = "Stop after this long (default: when the schedule is done, or Ctrl-C).")
    String runTime;

    @Option(names = "--dry-run", description = "Print what would be injected, and when; do nothing.")
    boolean dryRun;

    @Unmatched
    List<String> faultOptions = new ArrayList<>();

    /** The plan file as read, with --plan: its targets, and the halt conditions and steady state that guard the fault. */
    private PlanDraft draft;

    @Override
    public Integer call() throws InterruptedException {
        FaultFactory factory = ChaosEntry.factory(new Located<>(kind, ""));
        List<TargetSpec> targets = targets();
        String selector = target != null ? target : plan != null ? ChaosEngine.REGEX_PREFIX + ".*" : targets.get(0).name();
        ChaosSpec spec = schedule(factory, selector).toSpec(targets);
        Fault fault = spec.fault();
        Optional<Duration> limit = Optional.ofNullable(runTime).map(t -> duration("--run-time", t));
        Duration horizon = limit.orElse(Duration.ofDays(365));
        if (dryRun) {
            System.out.println(spec.describe());
            for (Duration t : spec.firings(horizon, 10)) {
                System.out.println("  at " + Durations.format(t) + ": " + fault.describe() + " on " + selector);
            }
            if (draft != null) {
                GuardWithoutUsers.Kept kept = GuardWithoutUsers.withoutUsers(draft.guard(), draft.slos());
                kept.leftOut().forEach(line -> System.err.println(Main.prefixed(line)));
                if (!kept.spec().isEmpty()) {
                    System.out.println("Chaos guard (evaluated every " + Durations.format(HaltGuard.EVALUATE_EVERY) + "):");
                    kept.spec().describe().forEach(line -> System.out.println("  " + line));
                }
            }
            return ExitCode.PASS;
        }
        EventLog events = new EventLog();
        events.subscribe(new EventConsole(System.out, false, ZoneId.systemDefault()));
        try (RunTargets live = RunTargets.start(targets, events)) {
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch rolledBack = new CountDownLatch(1);
            // On SIGTERM/Ctrl-C the JVM ends when its hooks return: this one waits for the rollback below.
            Thread onSignal = new Thread(() -> {
                stop.countDown();
                try {
                    rolledBack.await(ROLLBACK_ON_SIGNAL_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stampede-chaos-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            Optional<GuardWithoutUsers> guard = Optional.empty();
            try (live; ChaosEngine engine = new ChaosEngine(List.of(spec), live.handles(), events, new Random())) {
                engine.check();
                guard = draft == null ? Optional.empty() : GuardWithoutUsers.of(draft, targets, engine, events,
                        line -> System.err.println(Main.prefixed(line)), why -> stop.countDown());
                guard.ifPresentOrElse(GuardWithoutUsers::start, engine::start);
                // the steady state may hold the schedule back up to its deadline
                Duration held = guard.map(GuardWithoutUsers::steadyWait).orElse(Duration.ZERO);
                Optional<Duration> done = scheduleEnd(spec).map(d -> d.plus(held));
                Duration wait = done.map(d -> limit.map(l -> l.compareTo(d) < 0 ? l : d).orElse(d)).orElse(horizon);
                stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                guard.ifPresent(GuardWithoutUsers::close); // before the engine and the targets: nothing evaluates on them after
            } finally {
                guard.ifPresent(GuardWithoutUsers::close);
                rolledBack.countDown(); // try-with-resources has closed the engine and the targets by now
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: we are already stopping
                }
            }
            if (guard.isPresent() && guard.get().notSteady() != null) {
                return ExitCode.CANNOT_RUN; // as a run: nothing was learned about a service broken before any fault
            }
        }
        return ExitCode.PASS;
    }

    /** When a finite schedule has done everything, rollbacks included; empty when it never ends. */
    private static Optional<Duration> scheduleEnd(ChaosSpec spec) {
        List<Duration> firings = spec.firings(Duration.ofDays(365), spec.count().orElse(0) + 1);
        if (spec.at().isEmpty() && spec.count().isEmpty()) {
            return Optional.empty();
        }
        Duration last = firings.isEmpty() ? Duration.ZERO : firings.get(firings.size() - 1);
        return Optional.of(last.plus(spec.duration().orElse(Duration.ZERO)).plusMillis(500));
    }

    /** The flags as a chaos entry: the plan's rules and messages, with the flags' names. */
    private ChaosEntry schedule(FaultFactory factory, String selector) {
        Located<String> once = flag("--at", at);
        if (at == null && every == null) {
            once = new Located<>("0", "--at"); // now
        }
        return new ChaosEntry("stampede chaos " + kind, key -> "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT),
                factory, faultParameters(factory), new Located<>(selector, target != null ? "--target" : ""), all,
                limit == null ? null : new Located<>(limit, "--limit"), once, flag("--every", every),
                flag("--start-after", startAfter), flag("--duration", duration), count == null ? null : new Located<>(count, "--count"));
    }

    private static Located<String> flag(String name, String value) {
        return value == null ? null : new Located<>(value, name);
    }

    /** A value rule of the spec a flag fills; its complaint, worded for the flag by {@code message}, is bad input. */
    private static <T> T checked(Supplier<T> rule, UnaryOperator<String> message) {
        try {
            return rule.get();
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput(message.apply(e.getMessage()));
        }
    }

    private List<TargetSpec> targets() {
        int given = (pid != null ? 1 : 0) + (pidFile != null ? 1 : 0) + (plan != null ? 1 : 0) + (container != null ? 1 : 0);
        if (given != 1) {
            throw new StampedeException.BadInput("name the target with exactly one of --pid, --pid-file, --container or --plan");
        }
        if (container != null) {
            TargetSpec.Container.Selection selection = checked(() -> TargetSpec.Container.Selection.parse(container, true), m -> "--container: " + m);
            List<String> names = selection.names();
            return List.of(TargetSpec.Container.existing(names.size() == 1 ? names.get(0) : "containers", selection, null,
                    TargetSpec.DEFAULT_HEALTH_PATH, "--container"));
        }
        if (scope != null && pid == null && pidFile == null) {
            throw new StampedeException.BadInput("--scope applies to --pid or --pid-file; a plan's pid target has its own 'scope'");
        }
        if (plan != null) {
            draft = PlanFile.read(plan);
            List<TargetSpec> declared = draft.targets();
            if (declared.isEmpty()) {
                throw new StampedeException.BadInput(plan + ": declares no targets");
            }
            return declared;
        }
        ProcessScope processes = scope == null ? TargetSpec.External.DEFAULT_SCOPE : checked(() -> ProcessScope.of(scope), m -> "--" + m);
        if (pid != null) {
            return List.of(new TargetSpec.External("pid-" + pid, OptionalLong.of(pid), null, null, "/", processes));
        }
        return List.of(new TargetSpec.External(pidFile.getFileName().toString(), OptionalLong.empty(), pidFile, null, "/", processes));
    }

    /** {@code --signal SIGTERM} and {@code --signal=SIGTERM} become the fault's {@code signal} parameter. */
    private Map<String, Located<String>> faultParameters(FaultFactory factory) {
        Map<String, Located<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < faultOptions.size(); i++) {
            String option = faultOptions.get(i);
            if (!option.startsWith("--")) {
                throw new StampedeException.BadInput("unexpected argument '" + option + "'");
            }
            String name = option.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < faultOptions.size()) {
                value = faultOptions.get(++i);
            } else {
                throw new StampedeException.BadInput("--" + name + ": needs a value");
            }
            if (!factory.parameters().contains(name)) {
                throw new StampedeException.BadInput("unknown option '--" + name + "' for " + kind + "; "
                        + (factory.parameters().isEmpty() ? "it takes no options of its own"
                        : "its options: --" + String.join(", --", factory.parameters())));
            }
            params.put(name, new Located<>(value, "--" + name));
        }
        return params;
    }

    private static Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput(flag + ": " + e.getMessage());
        }
    }
}
