package io.stampede.chaos;

import io.stampede.StampedeException;
import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Durations;
import io.stampede.target.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Runs the chaos schedule against the run's targets: fires each entry on time, chooses targets,
 * injects, rolls back at the end of each fault's duration, and rolls back everything still in
 * effect on {@link #close()} — whichever way the run ends. Every step is an event.
 */
public final class ChaosEngine implements AutoCloseable {

    /** Regex target selectors start with this, as in Pumba. */
    public static final String REGEX_PREFIX = TargetSpec.Container.REGEX_PREFIX;
    /** How long {@link #close()} lets a firing already under way finish its inject before rolling it back. */
    static final Duration FIRING_FINISH_WAIT = Duration.ofSeconds(5);
    private static final int SCHEDULER_THREADS = 2;

    private final List<ChaosSpec> schedule;
    private final Map<String, TargetHandle> targets;
    private final EventLog events;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final Map<String, Active> active = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<ScheduledFuture<?>> firings = new ArrayList<>();
    private final AtomicInteger serial = new AtomicInteger();
    private volatile boolean closed;
    /** A halt condition fired: nothing more is injected, though the engine stays open until the run ends. */
    private volatile boolean halted;

    private record Active(String id, String kind, TargetHandle handle, Injection injection, ScheduledFuture<?> rollback) {
        String target() {
            return handle.name();
        }
    }

    /** An engine on the timeline's clock ({@link EventLog#clock()}), firing on its own daemon threads. */
    public ChaosEngine(List<ChaosSpec> schedule, Map<String, TargetHandle> targets, EventLog events, RandomGenerator random) {
        this(schedule, targets, events, random, threads(), events.clock());
    }

    /**
     * An engine whose firings and rollbacks run on {@code scheduler}, with events and fault durations
     * timed by {@code clock}: a test hands in a manual pair and asserts the schedule without sleeping.
     * The engine owns {@code scheduler} and shuts it down on {@link #close()}.
     */
    public ChaosEngine(List<ChaosSpec> schedule, Map<String, TargetHandle> targets, EventLog events, RandomGenerator random,
                       ScheduledExecutorService scheduler, InstantSource clock) {
        this.schedule = List.copyOf(schedule);
        this.targets = Map.copyOf(targets);
        this.events = events;
        this.random = random;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    private static ScheduledExecutorService threads() {
        ScheduledThreadPoolExecutor threads = new ScheduledThreadPoolExecutor(SCHEDULER_THREADS, r -> {
            Thread t = new Thread(r, "stampede-chaos");
            t.setDaemon(true);
            return t;
        });
        threads.setRemoveOnCancelPolicy(true);
        return threads;
    }

    /** The names a selector picks from: one name, or every name matching {@code re2:REGEX}. */
    public static List<String> matching(String selector, Collection<String> names) {
        if (!selector.startsWith(REGEX_PREFIX)) {
            return names.contains(selector) ? List.of(selector) : List.of();
        }
        Pattern pattern = Pattern.compile(selector.substring(REGEX_PREFIX.length()));
        return names.stream().filter(n -> pattern.matcher(n).find()).sorted().toList();
    }

    /**
     * Asks every scheduled fault whether it can act on each target it may hit ({@link Fault#check}),
     * so a fault this machine cannot do fails the run at its start, not in the middle.
     */
    public void check() {
        for (ChaosSpec spec : schedule) {
            for (TargetHandle target : candidates(spec)) {
                try {
                    spec.fault().check(target);
                } catch (Exception e) {
                    throw new StampedeException.CannotRun(spec.where() + ": " + spec.kind() + " cannot act on target "
                            + target.label() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Schedules every entry relative to now, the start of the run; {@link #close()} cancels what is left. */
    public void start() {
        if (halted) {
            return;
        }
        synchronized (firings) {
            for (ChaosSpec spec : schedule) {
                if (spec.at().isPresent()) {
                    firings.add(scheduler.schedule(() -> fire(spec), spec.at().get().toNanos(), TimeUnit.NANOSECONDS));
                    continue;
                }
                Repeating repeating = new Repeating(spec);
                repeating.future = scheduler.scheduleAtFixedRate(repeating, spec.startAfter().toNanos(),
                        spec.every().orElseThrow().toNanos(), TimeUnit.NANOSECONDS);
                firings.add(repeating.future);
            }
        }
    }

    /** An {@code every:} entry's firings: it cancels its own schedule once its count is spent. */
    private final class Repeating implements Runnable {
        private final ChaosSpec spec;
        private final int limit;
        private final AtomicInteger fired = new AtomicInteger();
        private volatile ScheduledFuture<?> future;

        Repeating(ChaosSpec spec) {
            this.spec = spec;
            this.limit = spec.count().orElse(Integer.MAX_VALUE);
        }

        @Override
        public void run() {
            if (fired.incrementAndGet() > limit) {
                future.cancel(false);
            } else {
                fire(spec);
            }
        }
    }

    /** Fires one entry now, e.g. from an "inject now" button. */
    public void fire(ChaosSpec spec) {
        if (closed) {
            return;
        }
        if (halted) { // e.g. the page's "inject now": said, not done
            events.emit(new Event(clock.millis(), Event.Kind.FAULT_FAILED, spec.target(), spec.kind(), "", "not injected: the chaos was halted"));
            return;
        }
        List<TargetHandle> candidates = candidates(spec);
        if (candidates.isEmpty()) {
            events.emit(new Event(clock.millis(), Event.Kind.FAULT_FAILED, spec.target(), spec.kind(), "", "no target matches"));
            return;
        }
        List<TargetHandle> chosen;
        if (spec.limit().isPresent() && spec.limit().getAsInt() < candidates.size()) {
            Collections.shuffle(candidates, random);
            chosen = candidates.subList(0, spec.limit().getAsInt());
        } else if (spec.all() || spec.limit().isPresent()) {
            chosen = candidates;
        } else {
            chosen = List.of(candidates.get(random.nextInt(candidates.size())));
        }
        for (TargetHandle target : chosen) {
            injectInto(spec, target);
        }
    }

    /** What an entry may hit: each matching target, or each container of a matching container target. */
    private List<TargetHandle> candidates(ChaosSpec spec) {
        List<TargetHandle> candidates = new ArrayList<>();
        for (String name : matching(spec.target(), targets.keySet())) {
            candidates.addAll(targets.get(name).members());
        }
        return candidates;
    }

    private void injectInto(ChaosSpec spec, TargetHandle target) {
        String id = spec.kind() + "#" + serial.incrementAndGet();
        Injection injection;
        // The injection's place on the timeline is taken before the damage: effects such as the
        // target's exit are emitted by other threads while inject() runs, and must come after it.
        EventLog.Place place = events.reserve();
        Instant injected = clock.instant();
        long injectedAt = injected.toEpochMilli();
        try {
            try {
                injection = spec.fault().inject(target);
            } catch (Exception e) {
                place.emit(new Event(injectedAt, Event.Kind.FAULT_FAILED, target.name(), spec.kind(), id,
                        String.valueOf(e.getMessage())));
                return;
            }
            place.emit(new Event(injectedAt, Event.Kind.FAULT_INJECTED, target.name(), spec.kind(), id,
                    injection.detail() + spec.duration().map(d -> ", for " + Durations.format(d)).orElse(""),
                    spec.duration().map(Duration::toMillis).orElse(null)));
        } finally {
            place.cancel(); // only if an error left it empty: never hold the timeline back
        }
        // Health is probed fast while a fault is in effect, and a while after (an instant fault's effect outlasts it).
        target.sampleHealthFast(true);
        if (spec.duration().isEmpty()) {
            target.sampleHealthFast(false);
            return;
        }
        synchronized (active) {
            if (closed || halted) {
                rollback(new Active(id, spec.kind(), target, injection, null), closed ? "run ended" : "chaos halted");
                return;
            }
            // The duration runs from the moment of injection, not from when inject() returned.
            long left = spec.duration().get().minus(Duration.between(injected, clock.instant())).toNanos();
            ScheduledFuture<?> timer = scheduler.schedule(() -> {
                Active done = active.remove(id);
                if (done != null) {
                    rollback(done, "after " + Durations.format(spec.duration().get()));
                }
            }, Math.max(0, left), TimeUnit.NANOSECONDS);
            active.put(id, new Active(id, spec.kind(), target, injection, timer));
        }
    }

    private void rollback(Active done, String why) {
        // Stamped and placed before the undoing, like an injection: the recovery it causes comes after it.
        EventLog.Place place = events.reserve();
        long at = clock.millis();
        try {
            done.injection().rollback();
            place.emit(new Event(at, Event.Kind.FAULT_ROLLED_BACK, done.target(), done.kind(), done.id(), why));
        } catch (Exception e) {
            place.emit(new Event(at, Event.Kind.FAULT_FAILED, done.target(), done.kind(), done.id(),
                    "rollback failed: " + e.getMessage()));
        } finally {
            place.cancel();
            done.handle().sampleHealthFast(false);
        }
    }

    /** Faults in effect now, by injection id. */
    public List<String> activeInjections() {
        synchronized (active) {
            return List.copyOf(active.keySet());
        }
    }

    /**
     * A halt condition fired: cancels what has not fired, refuses any new injection (a firing under
     * way is rolled back as soon as its inject returns) and rolls back, newest first, everything in
     * effect, as the end of a run does. Idempotent; {@link #close()} still ends the engine.
     */
    public void halt(String why) {
        List<Active> toUndo;
        synchronized (active) {
            if (closed || halted) {
                return;
            }
            halted = true;
            toUndo = new ArrayList<>(active.values());
            active.clear();
        }
        undo(toUndo, why);
    }

    /** Whether a halt condition stopped the chaos. */
    public boolean halted() {
        return halted;
    }

    private void undo(List<Active> toUndo, String why) {
        synchronized (firings) {
            firings.forEach(f -> f.cancel(false));
        }
        Collections.reverse(toUndo);
        for (Active a : toUndo) {
            if (a.rollback() != null) {
                a.rollback().cancel(false);
            }
            rollback(a, why);
        }
    }

    /** Cancels what has not fired and rolls back, newest first, everything still in effect. Idempotent. */
    @Override
    public void close() {
        List<Active> toUndo;
        synchronized (active) {
            if (closed) {
                return;
            }
            closed = true;
            toUndo = new ArrayList<>(active.values());
            active.clear();
        }
        undo(toUndo, "run ended");
        scheduler.shutdown();
        try {
            // a firing already running finishes its inject; roll back whatever it left behind
            scheduler.awaitTermination(FIRING_FINISH_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Active> late;
        synchronized (active) {
            late = new ArrayList<>(active.values());
            active.clear();
        }
        late.forEach(a -> rollback(a, "run ended"));
    }
}
