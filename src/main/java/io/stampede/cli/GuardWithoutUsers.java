package io.stampede.cli;

import io.stampede.chaos.ChaosEngine;
import io.stampede.chaos.GuardSpec;
import io.stampede.chaos.HaltCondition;
import io.stampede.events.EventLog;
import io.stampede.input.Addresses;
import io.stampede.input.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.slo.ServerSli;
import io.stampede.slo.SloSpec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import io.stampede.target.TargetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A plan's {@code halt:} and {@code steady:} for {@code stampede chaos}, where no user sends a request:
 * what reads the service itself guards as in a run (probes, Prometheus queries, server-side SLOs);
 * what reads the users' requests (their SLOs, k6 thresholds) has nothing to read and is left out, each
 * with a line at the start that says so. Seconds go by on a timer instead of the users' statistics.
 */
final class GuardWithoutUsers implements AutoCloseable {

    /** One second of the guard's SLIs, as the runner's statistics thread closes one in a run. */
    static final Duration SECOND = Duration.ofSeconds(1);

    private final List<ServerSli> servers;
    private final GuardedChaos guarded;
    private final ScheduledExecutorService seconds;
    private final RunStats soFar;
    private long secondStart;

    private GuardWithoutUsers(List<ServerSli> servers, GuardedChaos guarded) {
        this.servers = servers;
        this.guarded = guarded;
        this.seconds = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stampede-chaos-seconds");
            t.setDaemon(true);
            return t;
        });
        this.secondStart = System.currentTimeMillis();
        this.soFar = new RunStats(secondStart);
    }

    /** What a plan's guard keeps without users, and why each part left out is. */
    record Kept(GuardSpec spec, List<SloSpec> slos, List<String> leftOut) {
    }

    /** The plan's guard without what reads the users' requests; {@code leftOut} says what and why, one line each. */
    static Kept withoutUsers(GuardSpec spec, List<SloSpec> slos) {
        List<SloSpec> server = slos.stream().filter(s -> s.prometheus().isPresent()).toList();
        Set<String> serverNames = server.stream().map(SloSpec::name).collect(Collectors.toSet());
        List<String> leftOut = new ArrayList<>();
        List<HaltCondition> kept = new ArrayList<>();
        for (HaltCondition c : spec.halt()) {
            Optional<String> usersSlo = switch (c) {
                case HaltCondition.BudgetLeft b -> serverNames.contains(b.slo()) ? Optional.empty() : Optional.of(b.slo());
                case HaltCondition.BurnRate r -> serverNames.contains(r.slo()) ? Optional.empty() : Optional.of(r.slo());
                case HaltCondition.ThresholdFails t -> Optional.of("");
                case HaltCondition.ProbeFails p -> Optional.empty();
                case HaltCondition.PrometheusQuery q -> Optional.empty();
            };
            if (usersSlo.isEmpty()) {
                kept.add(c);
            } else {
                leftOut.add(c.where() + ": " + c.describe() + " reads the users' requests"
                        + (usersSlo.get().isEmpty() ? "" : " (SLO " + usersSlo.get() + " counts them)")
                        + ": without users it cannot fire, so it does not guard this chaos");
            }
        }
        Optional<GuardSpec.Steady> steady = spec.steady();
        if (steady.isPresent() && server.isEmpty()) {
            leftOut.add(steady.get().where() + ": the steady state needs an SLO with data, and without users only a"
                    + " server-side SLO (prometheus:) has any: the faults start at once, unchecked");
            steady = Optional.empty();
        } else if (steady.isPresent() && server.size() < slos.size()) {
            leftOut.add(steady.get().where() + ": without users the steady state is judged on the server-side SLOs alone ("
                    + String.join(", ", serverNames) + ")");
        }
        return new Kept(new GuardSpec(kept, spec.stop(), steady), server, leftOut);
    }

    /**
     * The guard for {@code chaos --plan}: checks its queries (bad input, or exit 3) and prints what it
     * leaves out; empty when the plan guards nothing that applies.
     *
     * @param stop ends the command, given why, when a condition fires with {@code then: stop}
     */
    static Optional<GuardWithoutUsers> of(PlanDraft plan, List<TargetSpec> targets, ChaosEngine chaos, EventLog events,
                                          Consumer<String> warn, Consumer<String> stop) {
        Kept kept = withoutUsers(plan.guard(), plan.slos());
        kept.leftOut().forEach(warn);
        if (kept.spec().isEmpty()) {
            return Optional.empty();
        }
        ServerSli.check(kept.slos());
        List<ServerSli> servers = kept.slos().stream().map(s -> new ServerSli(s, events)).toList();
        GuardedChaos guarded = new GuardedChaos(kept.spec(), host(plan.host(), targets), kept.slos(), chaos, servers, events, stop);
        return Optional.of(new GuardWithoutUsers(servers, guarded));
    }

    /** The plan's host, else its first target's url: what a probe's path is resolved against. */
    private static String host(Located<String> host, List<TargetSpec> targets) {
        if (host != null) {
            return Addresses.httpBase(host.value());
        }
        return targets.stream().filter(t -> t.url() != null).findFirst().map(t -> Addresses.httpBase(t.url().toString()))
                .orElse("http://127.0.0.1");
    }

    /** The chaos starts now, or once steady; server-side SLOs count from a baseline; a second closes every second. */
    void start() {
        servers.forEach(ServerSli::baseline);
        servers.forEach(ServerSli::start);
        secondStart = System.currentTimeMillis();
        guarded.start();
        long period = SECOND.toMillis();
        seconds.scheduleAtFixedRate(this::second, period, period, TimeUnit.MILLISECONDS);
    }

    private void second() {
        try {
            long end = System.currentTimeMillis();
            IntervalStats interval = new IntervalStats(secondStart, end, 0, Map.of(), Map.of());
            secondStart = end;
            soFar.add(interval);
            guarded.onInterval(interval, soFar);
        } catch (RuntimeException e) {
            // a guard that stopped evaluating would let faults go on unguarded: say it and go on
            System.err.println("stampede: halt guard: " + e);
        }
    }

    /** Why no fault was injected when the steady state was not reached, or null. */
    String notSteady() {
        return guarded.notSteady();
    }

    /** The longest the steady state may hold the schedule back. */
    Duration steadyWait() {
        return guarded.steadyWithin();
    }

    @Override
    public void close() {
        seconds.shutdownNow();
        guarded.close();
        servers.forEach(ServerSli::close);
    }
}
