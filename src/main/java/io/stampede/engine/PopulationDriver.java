package io.stampede.engine;

import io.stampede.api.User;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The closed model in this process: a population of users, each looping over its tasks on a
 * virtual thread, moved towards the {@link Spawner}'s target every {@link Runner#SPAWN_TICK}, or
 * towards a target set while running.
 */
final class PopulationDriver extends LocalDriver {

    private final LoadModel.Closed model;
    private final AtomicInteger userCount = new AtomicInteger();
    private final List<Deque<UserLoop>> runningByType = new ArrayList<>();
    /** Which classes this process's share of the whole population is, the same over all workers. */
    private final UserMix mix;
    /** Every user started and not yet ended, for the final stop to wait on. */
    private final Set<UserLoop> live = ConcurrentHashMap.newKeySet();
    /** Ends the users' waits between tasks (see {@link UserLoop}). */
    private final WaitTimer waits = new WaitTimer("stampede-waits");
    /** A population set while running (web UI, API); replaces the plan's schedule from then on. */
    private volatile Spawner.Target override;
    private long userSerial;

    PopulationDriver(RunSpec spec, LoadModel.Closed model, List<UserType> types, TaskErrors errors) {
        super(spec, types, errors);
        this.model = model;
        this.mix = new UserMix(types.stream().map(UserType::weight).toList());
        types.forEach(t -> runningByType.add(new ArrayDeque<>()));
    }

    @Override
    public int users() {
        return userCount.get();
    }

    @Override
    public long droppedIterations() {
        return 0;
    }

    @Override
    public void changeUsers(Spawner.Target target) {
        override = target;
    }

    @Override
    public void drive(long startNanos, long endNanos, CountDownLatch stop) {
        Spawner spawner = new Spawner(model);
        double tickSeconds = Runner.SPAWN_TICK.toNanos() / 1e9;
        // the whole schedule's population, as one process would run it; this one runs its slice of it,
        // so the slices add up to it at every tick. A late joiner replays the schedule up to now first.
        int whole = 0;
        for (long t = 0; t < joinedAt().toNanos(); t += Runner.SPAWN_TICK.toNanos()) {
            Spawner.Target target = spawner.targetAt(Duration.ofNanos(t));
            if (target == null) {
                break;
            }
            whole += spawner.step(target, whole, tickSeconds);
        }
        while (true) {
            long now = System.nanoTime();
            if (now >= endNanos) {
                return;
            }
            Spawner.Target set = override;
            Spawner.Target target = set != null ? set : spawner.targetAt(Duration.ofNanos(now - startNanos));
            if (target == null) {
                return;
            }
            whole += spawner.step(target, whole, tickSeconds);
            int[] held = mix.held(whole, segmentAt(now - startNanos));
            for (int type = 0; type < types.size(); type++) {
                for (int i = runningByType.get(type).size(); i > held[type]; i--) {
                    stopOneUser(type);
                }
            }
            for (int type = 0; type < types.size(); type++) {
                for (int i = runningByType.get(type).size(); i < held[type]; i++) {
                    if (!startUser(type)) {
                        break; // its class could not be made: tried again next tick
                    }
                }
            }
            try {
                long waitNanos = Math.min(Runner.SPAWN_TICK.toNanos(), endNanos - System.nanoTime());
                if (waitNanos > 0 && stop.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean startUser(int typeIndex) {
        UserType type = types.get(typeIndex);
        User user = newUser(type);
        if (user == null) {
            return false;
        }
        UserLoop loop = new UserLoop(type, user, newSession(), errors,
                waits, type.name() + "-" + (++userSerial), live::remove);
        runningByType.get(typeIndex).addLast(loop);
        userCount.incrementAndGet();
        live.add(loop);
        loop.start();
        return true;
    }

    private void stopOneUser(int typeIndex) {
        UserLoop loop = runningByType.get(typeIndex).pollLast();
        if (loop != null) {
            loop.stop(true);
            userCount.decrementAndGet();
        }
    }

    /**
     * Stops every user: at once with no stop timeout, else each may finish its task for up to the
     * stop timeout; then the busy ones are interrupted, and those still running after
     * {@link Runner#ABANDON_AFTER} are abandoned and returned, by class and task.
     */
    @Override
    public List<RunEnd.Abandoned> stop() {
        boolean now = spec.stopTimeout().isZero();
        for (Deque<UserLoop> running : runningByType) {
            running.forEach(loop -> loop.stop(now));
        }
        if (!now && !awaitUsers(System.nanoTime() + spec.stopTimeout().toNanos())) {
            live.forEach(loop -> loop.stop(true)); // busy past the stop timeout: cut off mid-task
        }
        awaitUsers(System.nanoTime() + Runner.ABANDON_AFTER.toNanos());
        runningByType.forEach(Deque::clear);
        userCount.set(0);
        Map<List<String>, Integer> busy = new TreeMap<>(Comparator.comparing(Object::toString));
        for (UserLoop loop : List.copyOf(live)) {
            busy.merge(List.of(loop.typeName(), loop.doing()), 1, Integer::sum);
        }
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        busy.forEach((key, n) -> abandoned.add(new RunEnd.Abandoned(key.get(0), key.get(1), n)));
        return abandoned;
    }

    /** Waits until every user has ended or {@code deadlineNanos} passed; true if all ended. */
    private boolean awaitUsers(long deadlineNanos) {
        for (UserLoop loop : List.copyOf(live)) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left <= 0 || !loop.awaitEnd(Duration.ofNanos(left))) {
                    return live.isEmpty();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live.isEmpty();
            }
        }
        return true;
    }

    @Override
    public void close() {
        waits.close();
    }
}
