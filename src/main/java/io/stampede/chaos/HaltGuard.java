package io.stampede.chaos;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Guards the chaos schedule with the plan's {@link GuardSpec}: holds the first fault until the steady
 * state is reached (or gives up at its deadline, injecting nothing), then evaluates the halt
 * conditions every {@link #EVALUATE_EVERY} and on each new second of statistics. The first condition
 * that fires halts the chaos engine (no new fault, every active one rolled back) and, with
 * {@code then: stop}, the users. Every decision is an event on the timeline.
 *
 * <p>The SLI figures come through {@link Readings}, which the run feeds from its statistics: the
 * chaos side does not depend on how SLOs are computed.
 */
public final class HaltGuard implements AutoCloseable {

    /** How often the conditions are evaluated (and probes sent) besides each new second of statistics. */
    public static final Duration EVALUATE_EVERY = Duration.ofSeconds(1);

    /** The SLI figures the conditions read; called from the guard's thread, so thread-safe. */
    public interface Readings {
        /** What is left of the SLO's budget over the run so far, in percent; empty while too few requests tell. */
        OptionalDouble budgetLeftPercent(String slo);

        /** The SLO's burn rate over the last {@code window}; empty without requests in it or before it has passed. */
        OptionalDouble burnRate(String slo, Duration window);

        /** The threshold's observed value when it fails now, else empty (holding, or no data). */
        Optional<String> thresholdFailing(HaltCondition.ThresholdFails threshold);

        /** How many whole seconds in a row, up to the latest, every SLO held. */
        int secondsAllSlosHeld();

        /** What broke the SLOs in the latest second that did not hold ("availability 70.1% < 99%"), or "". */
        String lastBreach();
    }

    private final GuardSpec spec;
    private final ChaosEngine chaos;
    private final Readings readings;
    private final EventLog events;
    private final Consumer<String> stopUsers;
    private final InstantSource clock;
    private final Map<HaltCondition.ProbeFails, Integer> failuresInARow = new HashMap<>();
    private final PrometheusQueries prometheus;
    /** Each query's latest answer: what it returned, or why it could not be read. */
    private final Map<HaltCondition.PrometheusQuery, PrometheusQueries.Reading> lastAnswer = new HashMap<>();
    private ScheduledExecutorService ticks;
    private long startMillis = -1;
    private boolean chaosStarted;
    private String notSteady;
    private String haltedBy;

    /**
     * A guard on the system clock, evaluating on its own daemon thread.
     *
     * @param stopUsers stops the users, given why; called once, when a condition fires with {@code then: stop}
     */
    public HaltGuard(GuardSpec spec, ChaosEngine chaos, Readings readings, EventLog events, Consumer<String> stopUsers) {
        this(spec, chaos, readings, events, stopUsers, spec.isEmpty() ? null : thread(), InstantSource.system());
    }

    /**
     * A guard whose evaluations run on {@code ticks} and are timed by {@code clock}: a test hands in a
     * manual pair. The guard owns {@code ticks} and shuts it down on {@link #close()}.
     */
    public HaltGuard(GuardSpec spec, ChaosEngine chaos, Readings readings, EventLog events, Consumer<String> stopUsers,
                     ScheduledExecutorService ticks, InstantSource clock) {
        this.ticks = ticks;
        this.spec = spec;
        this.chaos = chaos;
        this.readings = readings;
        this.events = events;
        this.stopUsers = stopUsers;
        this.clock = clock;
        spec.halt().forEach(c -> {
            if (c instanceof HaltCondition.ProbeFails p) failuresInARow.put(p, 0);
        });
        prometheus = new PrometheusQueries(spec.halt());
    }


    /** The run starts now: starts the chaos at once, or once steady; evaluates every {@link #EVALUATE_EVERY}. */
    public synchronized void start() {
        startMillis = clock.millis();
        if (spec.steady().isEmpty()) {
            startChaos();
        }
        if (spec.isEmpty() || ticks == null) {
            return;
        }
        long period = EVALUATE_EVERY.toNanos();
        ticks.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    private static ScheduledExecutorService thread() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stampede-halt-guard");
            t.setDaemon(true);
            return t;
        });
    }

    private void tick() {
        try {
            probe();
            queryPrometheus();
            evaluate();
        } catch (RuntimeException e) {
            // a guard that stopped ticking would let faults go on unguarded: say it and keep ticking
            System.err.println("stampede: halt guard: " + e);
        }
    }

    /** Sends each probe once; counts its failures in a row. Not under the guard's lock: a probe may take its timeout. */
    private void probe() {
        for (HaltCondition.ProbeFails p : failuresInARow.keySet()) {
            boolean ok = probeOnce(p);
            synchronized (this) {
                failuresInARow.put(p, ok ? 0 : failuresInARow.get(p) + 1);
            }
        }
    }


    /**
     * Runs each query once; an answer replaces the last. Not under the guard's lock: a query may take its
     * timeout. An unreadable query is an event when it becomes unreadable, not a halt (see the README).
     */
    private void queryPrometheus() {
        for (HaltCondition.PrometheusQuery q : prometheus.queries()) {
            PrometheusQueries.Reading reading = prometheus.read(q);
            synchronized (this) {
                PrometheusQueries.Reading before = lastAnswer.put(q, reading);
                if (reading instanceof PrometheusQueries.Reading.Unreadable u && !(before instanceof PrometheusQueries.Reading.Unreadable)
                        && haltedBy == null && startMillis >= 0) {
                    events.emit(new Event(clock.millis(), Event.Kind.HALT_CONDITION_UNREADABLE, "", "", "",
                            q.describe() + " cannot be read, so it cannot halt the chaos: " + u.why()));
                }
            }
        }
    }

    private static boolean probeOnce(HaltCondition.ProbeFails p) {
        try {
            HttpURLConnection c = (HttpURLConnection) p.url().toURL().openConnection(Proxy.NO_PROXY);
            int timeout = (int) Math.max(1, p.timeout().toMillis());
            c.setConnectTimeout(timeout);
            c.setReadTimeout(timeout);
            c.setInstanceFollowRedirects(false);
            try {
                int status = c.getResponseCode();
                try (var body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    if (body != null) body.readNBytes(64 * 1024);
                }
                return status >= 200 && status < 300;
            } finally {
                c.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Evaluates the steady state and the halt conditions now; the run calls it after each new second
     * of statistics, the guard's own clock every {@link #EVALUATE_EVERY}.
     */
    public synchronized void evaluate() {
        if (startMillis < 0 || haltedBy != null || notSteady != null) {
            return;
        }
        if (!chaosStarted) {
            GuardSpec.Steady steady = spec.steady().orElseThrow();
            long elapsed = clock.millis() - startMillis;
            if (readings.secondsAllSlosHeld() >= steady.hold().toSeconds()) {
                events.emit(new Event(clock.millis(), Event.Kind.STEADY_STATE_REACHED, "", "", "",
                        "every SLO held for " + Durations.format(steady.hold()) + " at " + clockTime(elapsed)
                                + ": the chaos starts"));
                startChaos();
            } else if (elapsed >= steady.within().toMillis()) {
                String breach = readings.lastBreach();
                notSteady = "the service was not steady: the SLOs did not hold for " + Durations.format(steady.hold())
                        + " within " + Durations.format(steady.within()) + (breach.isEmpty() ? "" : " (" + breach + ")")
                        + "; no fault injected";
                events.emit(new Event(clock.millis(), Event.Kind.STEADY_STATE_NOT_REACHED, "", "", "", notSteady));
            }
            return; // halt conditions guard faults: none before the chaos starts
        }
        for (HaltCondition condition : spec.halt()) {
            Optional<String> value = firing(condition);
            if (value.isPresent()) {
                halt(condition, value.get());
                return;
            }
        }
    }

    /** The value that makes {@code condition} fire now, or empty while it holds. */
    private Optional<String> firing(HaltCondition condition) {
        return switch (condition) {
            case HaltCondition.BudgetLeft b -> {
                OptionalDouble left = readings.budgetLeftPercent(b.slo());
                yield left.isPresent() && left.getAsDouble() < b.percent()
                        ? Optional.of(String.format(Locale.ROOT, "%.1f%% left", left.getAsDouble())) : Optional.empty();
            }
            case HaltCondition.BurnRate r -> {
                OptionalDouble burn = readings.burnRate(r.slo(), r.window());
                yield burn.isPresent() && burn.getAsDouble() > r.factor()
                        ? Optional.of(String.format(Locale.ROOT, "burn rate %.2f", burn.getAsDouble())) : Optional.empty();
            }
            case HaltCondition.ThresholdFails t -> readings.thresholdFailing(t);
            case HaltCondition.ProbeFails p -> failuresInARow.get(p) >= p.inARow()
                    ? Optional.of(failuresInARow.get(p) + " failures in a row") : Optional.empty();
            case HaltCondition.PrometheusQuery q -> lastAnswer.get(q) instanceof PrometheusQueries.Reading.Answered a && !a.samples().isEmpty()
                    ? Optional.of(PrometheusQueries.series(a.samples())) : Optional.empty();
        };
    }


    private void halt(HaltCondition condition, String value) {
        long now = clock.millis();
        haltedBy = "chaos halted at " + clockTime(now - startMillis) + " by " + condition.describe() + " (" + value + ")";
        // the decision first on the timeline, then the rollbacks it causes
        events.emit(new Event(now, Event.Kind.CHAOS_HALTED, "", "", "", haltedBy));
        chaos.halt("chaos halted by " + condition.describe());
        if (spec.stop()) {
            stopUsers.accept(haltedBy);
        }
    }

    private synchronized void startChaos() {
        chaosStarted = true;
        chaos.start();
    }

    /**
     * What the guard sees now, for the live page: each condition with its current value, the steady
     * state's progress, and the decision once one fired.
     *
     * @param conditions in the plan's order
     * @param steady     the steady-state wait, if the plan has one
     * @param haltedBy   "chaos halted at 0:42 by ...", or null
     */
    public record Status(List<ConditionStatus> conditions, Optional<SteadyStatus> steady, String haltedBy) {
    }

    /**
     * @param value  its current value in words ("62.5% left", "burn rate 3.10", "2 failures in a row",
     *               "empty", "1 series: ..."), or null while nothing tells
     * @param firing the value is past the condition's bound
     */
    public record ConditionStatus(String condition, String value, boolean firing) {
    }

    /** @param state waiting, reached or not reached */
    public record SteadyStatus(String state, int heldSeconds, int holdSeconds, long withinSeconds) {
    }

    /** The guard as it stands; cheap: reads the latest figures, sends nothing. */
    public synchronized Status status() {
        List<ConditionStatus> conditions = spec.halt().stream().map(c -> {
            Optional<String> firing = firing(c);
            return new ConditionStatus(c.describe(), firing.orElseGet(() -> current(c)), firing.isPresent());
        }).toList();
        Optional<SteadyStatus> steady = spec.steady().map(s -> new SteadyStatus(
                notSteady != null ? "not reached" : chaosStarted ? "reached" : "waiting",
                readings.secondsAllSlosHeld(), (int) s.hold().toSeconds(), s.within().toSeconds()));
        return new Status(conditions, steady, haltedBy);
    }

    /** A condition's value while it does not fire, or null while nothing tells. */
    private String current(HaltCondition condition) {
        return switch (condition) {
            case HaltCondition.BudgetLeft b -> {
                OptionalDouble left = readings.budgetLeftPercent(b.slo());
                yield left.isPresent() ? String.format(Locale.ROOT, "%.1f%% left", left.getAsDouble()) : null;
            }
            case HaltCondition.BurnRate r -> {
                OptionalDouble burn = readings.burnRate(r.slo(), r.window());
                yield burn.isPresent() ? String.format(Locale.ROOT, "burn rate %.2f", burn.getAsDouble()) : null;
            }
            case HaltCondition.ThresholdFails t -> startMillis < 0 ? null : "holds";
            case HaltCondition.ProbeFails p -> startMillis < 0 ? null : failuresInARow.get(p) + " failures in a row";
            case HaltCondition.PrometheusQuery q -> switch (lastAnswer.get(q)) {
                case null -> null;
                case PrometheusQueries.Reading.Answered a -> a.samples().isEmpty() ? "empty" : PrometheusQueries.series(a.samples());
                case PrometheusQueries.Reading.Unreadable u -> "unreadable: " + u.why();
            };
        };
    }

    /** "chaos halted at 0:42 by ... (...)", or null while no condition fired. */
    public synchronized String haltedBy() {
        return haltedBy;
    }

    /** Why no fault was injected when the steady state was not reached, or null. */
    public synchronized String notSteady() {
        return notSteady;
    }

    /**
     * Runs each Prometheus query once, before the run: a query Prometheus refuses as malformed, or one
     * that is not an instant vector, is bad input (exit 2); a server that cannot be reached, exit 3.
     */
    public void check() {
        prometheus.check();
    }

    /** Stops evaluating. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticks;
            ticks = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** 0:42, 1:05:09: the run's clock as the console shows it. */
    static String clockTime(long millis) {
        long s = Math.max(0, millis) / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** 50, 12.5: no trailing zeros. */
    static String number(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
