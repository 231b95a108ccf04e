package io.stampede.plan;

import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.GuardSpec;
import io.stampede.engine.LoadModel;
import io.stampede.engine.RunSpec;
import io.stampede.engine.Scenario;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpOptions;
import io.stampede.slo.Analysis;
import io.stampede.slo.PlanThreshold;
import io.stampede.slo.SloSpec;
import io.stampede.target.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One load test, validated: what to hit, how many users, what they do, what to write. Built from a
 * plan file, from command-line flags, or both (flags win) through {@link PlanDraft}, whose
 * {@code toPlan()} is the one way to a plan. The engine gets its own part, {@link #run()}.
 *
 * @param name        the run's name (results folder prefix)
 * @param host        base URL of the service, with scheme
 * @param load        how many users over time
 * @param runTime     stop after this long; empty means until stopped (or until the stages end)
 * @param scenario    what the users do
 * @param http        connection behaviour
 * @param tags        run only tasks with one of these tags (empty: all)
 * @param excludeTags skip tasks with one of these tags
 * @param output      where results go
 * @param stopTimeout how long users may finish their current task when the run stops
 * @param targets     what faults act on (may be empty)
 * @param chaos       the fault schedule (may be empty)
 * @param judgement   what the run is judged against
 */
public record Plan(String name, String host, LoadModel load, Optional<Duration> runTime, Scenario scenario,
                   HttpOptions http, Set<String> tags, Set<String> excludeTags, Output output,
                   Duration stopTimeout, List<TargetSpec> targets, List<ChaosSpec> chaos, Judgement judgement) {

    public Plan {
        tags = Set.copyOf(tags);
        excludeTags = Set.copyOf(excludeTags);
        targets = List.copyOf(targets);
        chaos = List.copyOf(chaos);
    }

    /** The same plan with users pointed at another base URL (e.g. a fault proxy in front of the target). */
    public Plan withHost(String newHost) {
        return new Plan(name, newHost, load, runTime, scenario, http, tags, excludeTags, output, stopTimeout, targets,
                chaos, judgement);
    }

    /** The same plan with more connect-to entries, laid over its own (a fault proxy's over the plan's hosts:). */
    public Plan withConnectTo(ConnectTo more) {
        return new Plan(name, host, load, runTime, scenario, http.withConnectTo(http.connectTo().with(more)), tags, excludeTags,
                output, stopTimeout, targets, chaos, judgement);
    }

    /** What the engine runs: its part of this plan. */
    public RunSpec run() {
        return new RunSpec(name, host, load, runTime, http, tags, excludeTags, stopTimeout);
    }

    /**
     * The SLOs and thresholds, and K: the consecutive good seconds that count as recovered.
     *
     * @param exitCodeOnError the exit code of a run with nothing to judge (no SLO, threshold or fault)
     *                        in which a request failed or scenario code threw, as Locust's
     *                        {@code --exit-code-on-error}
     * @param guard           what the SLOs guard in the chaos: halt conditions and the steady state
     */
    public record Judgement(List<SloSpec> slos, List<PlanThreshold> thresholds, int recoverySeconds, int exitCodeOnError,
                            GuardSpec guard) {
        /** Locust's default: a failure is an error. */
        public static final int DEFAULT_EXIT_CODE_ON_ERROR = 1;

        public Judgement {
            slos = List.copyOf(slos);
            thresholds = List.copyOf(thresholds);
        }

        public Judgement(List<SloSpec> slos, List<PlanThreshold> thresholds, int recoverySeconds, int exitCodeOnError) {
            this(slos, thresholds, recoverySeconds, exitCodeOnError, GuardSpec.none());
        }

        public Judgement(List<SloSpec> slos, List<PlanThreshold> thresholds, int recoverySeconds) {
            this(slos, thresholds, recoverySeconds, DEFAULT_EXIT_CODE_ON_ERROR);
        }

        public static Judgement none() {
            return new Judgement(List.of(), List.of(), Analysis.DEFAULT_RECOVERY_SECONDS);
        }
    }

    /**
     * Where and how results are written.
     *
     * @param resultsDir parent folder of the per-run results folder; empty: no results folder
     * @param csvPrefix  also write Locust's {@code PREFIX_stats.csv} etc. (empty: don't)
     * @param headless   no web UI; the console shows progress
     * @param web        where the web UI listens when not headless
     */
    public record Output(Optional<Path> resultsDir, Optional<String> csvPrefix, boolean headless, Web web) {

        public Output(Optional<Path> resultsDir, Optional<String> csvPrefix, boolean headless) {
            this(resultsDir, csvPrefix, headless, Web.defaults());
        }
    }

    /**
     * The live web UI's address.
     *
     * @param port     0 for the default (8089, or a free port when it is taken)
     * @param portSet  the user chose the port: a taken port is then an error
     * @param token    required from every client when set (needed for a non-loopback host)
     */
    public record Web(String host, int port, boolean portSet, String token) {
        public static Web defaults() {
            return new Web("127.0.0.1", 0, false, null);
        }
    }
}
