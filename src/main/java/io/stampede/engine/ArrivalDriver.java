package io.stampede.engine;

import io.stampede.api.User;
import io.stampede.http.UserHttpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: iterations start on a clock, each on its own virtual thread, borrowing an idle
 * user (made on demand up to the concurrency cap); an iteration that finds no user and no room is
 * dropped and counted, as k6 does. Each iteration's first request is measured from the moment the
 * clock said it should start.
 */
final class ArrivalDriver extends LocalDriver {

    /** Arrivals due within this much of now are started together: the clock's resolution. */
    static final long ARRIVAL_SLACK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** A user of the open model, borrowed by one iteration at a time. */
    private record Vu(User user, UserHttpSession http, TaskPicker picker, UserType type) {
    }

    private final LoadModel.Open model;
    private final ConcurrentLinkedDeque<Vu> idle = new ConcurrentLinkedDeque<>();
    private final List<Vu> all = new ArrayList<>();
    /** Iterations running now: their thread, and the user class and task, to name one the stop abandons. */
    private final Map<Thread, List<String>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger allocated = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong started = new AtomicLong();

    ArrivalDriver(RunSpec spec, LoadModel.Open model, List<UserType> types, TaskErrors errors) {
        super(spec, types, errors);
        this.model = model;
    }

    @Override
    public int users() {
        return allocated.get();
    }

    @Override
    public long droppedIterations() {
        return dropped.get();
    }

    @Override
    public void changeUsers(Spawner.Target target) {
        throw LoadDriver.noUserCount();
    }

    long started() {
        return started.get();
    }

    /** Starts iterations on the clock until {@code endNanos}, the end of the stages, or {@code stop}. */
    @Override
    public void drive(long startNanos, long endNanos, CountDownLatch stop) {
        for (int i = 0; i < segment().part(model.preAllocated()) && stop.getCount() > 0; i++) {
            Vu vu = newVu();
            if (vu != null) {
                idle.addLast(vu);
            }
        }
        // the whole schedule's arrivals, numbered; this process starts those its slice in force at the
        // arrival's offset owns, so every arrival has one owner, across re-splits too. A late joiner
        // skips (numbering them) those due before it joined.
        ArrivalClock clock = new ArrivalClock(model);
        long joined = joinedAt().isZero() ? Long.MIN_VALUE : joinedAt().toNanos();
        while (stop.getCount() > 0) {
            long now = System.nanoTime();
            if (startNanos + clock.nextOffsetNanos() >= endNanos) {
                // no arrival left before the end (a slow rate): the run still lasts its run time
                try {
                    stop.await(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (!clock.advance(now - startNanos + ARRIVAL_SLACK_NANOS)) {
                if (clock.over()) {
                    return;
                }
                long due = startNanos + clock.nextOffsetNanos();
                LockSupport.parkNanos(Math.max(1, Math.min(due - now, TimeUnit.MILLISECONDS.toNanos(50))));
                continue;
            }
            long offset = clock.offsetNanos();
            if (offset >= joined && segmentAt(offset).owns(clock.index())) {
                arrive(startNanos + offset);
            }
        }
    }

    private void arrive(long intendedNanos) {
        Vu vu = idle.pollFirst();
        if (vu == null) {
            if (allocated.get() >= Math.max(1, segment().part(model.maxConcurrency()))) {
                dropped.incrementAndGet();
                recorder().recordDroppedIteration();
                return;
            }
            vu = newVu();
            if (vu == null) {
                return;
            }
        }
        Vu borrowed = vu;
        UserType.TaskDef task = vu.picker().next(ThreadLocalRandom.current()); // the user is borrowed: its picker is ours
        started.incrementAndGet();
        Thread iteration = Thread.ofVirtual().name("iteration").unstarted(() -> iterate(borrowed, task, intendedNanos));
        // in flight from now, not from when it first runs: a stop must wait for it (or name it) either way
        inFlight.put(iteration, List.of(vu.type().name(), task.name()));
        iteration.start();
    }

    private void iterate(Vu vu, UserType.TaskDef task, long intendedNanos) {
        Thread self = Thread.currentThread();
        try {
            vu.http().intendedStart(intendedNanos);
            try {
                task.body().run(vu.user());
            } catch (CancellationException stopped) {
                return;
            } catch (Throwable e) {
                if (!self.isInterrupted()) {
                    errors.record(vu.type().name(), task.name(), e);
                }
            }
            idle.addLast(vu); // in turn: every user keeps its connection warm, as real clients would
        } finally {
            inFlight.remove(self);
        }
    }

    private Vu newVu() {
        UserType type = pickType();
        User user = newUser(type);
        if (user == null) {
            return null;
        }
        UserHttpSession http = newSession();
        user.attach(http, ThreadLocalRandom.current());
        try {
            user.onStart();
        } catch (RuntimeException e) {
            errors.record(type.name(), "onStart", e);
        }
        Vu vu = new Vu(user, http, new TaskPicker(type.tasks(), type.sequential()), type);
        synchronized (all) {
            all.add(vu);
        }
        allocated.incrementAndGet();
        return vu;
    }

    /** A user class at random in proportion to the class weights. */
    private UserType pickType() {
        int total = types.stream().mapToInt(UserType::weight).sum();
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (UserType type : types) {
            ticket -= type.weight();
            if (ticket < 0) {
                return type;
            }
        }
        return types.get(types.size() - 1);
    }

    /**
     * Stops: iterations in flight may finish for up to the stop timeout, then are interrupted; those
     * still running {@link Runner#ABANDON_AFTER} later are abandoned and returned. Then each other
     * user's onStop runs, bounded the same way.
     */
    @Override
    public List<RunEnd.Abandoned> stop() {
        Duration stopTimeout = spec.stopTimeout();
        Duration abandonAfter = Runner.ABANDON_AFTER;
        awaitIdle(System.nanoTime() + stopTimeout.toNanos());
        inFlight.keySet().forEach(Thread::interrupt);
        awaitIdle(System.nanoTime() + abandonAfter.toNanos());
        Map<List<String>, Integer> busy = new TreeMap<>(Comparator.comparing(Object::toString));
        inFlight.values().forEach(doing -> busy.merge(doing, 1, Integer::sum));
        List<Vu> stopping;
        synchronized (all) {
            stopping = List.copyOf(all);
        }
        // onStop for the users not left in an iteration, on a thread of its own: scenario code may block
        Set<Vu> idleNow = Collections.newSetFromMap(new IdentityHashMap<>());
        idleNow.addAll(idle);
        Thread onStops = Thread.ofVirtual().name("stampede-onstop").start(() -> {
            for (Vu vu : stopping) {
                if (busy.isEmpty() || idleNow.contains(vu)) {
                    try {
                        vu.user().onStop();
                    } catch (RuntimeException e) {
                        errors.record(vu.type().name(), "onStop", e);
                    }
                    vu.http().close();
                }
            }
        });
        try {
            if (!onStops.join(abandonAfter)) {
                onStops.interrupt();
                busy.merge(List.of("(open model)", "onStop"), 1, Integer::sum);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        allocated.set(0);
        List<RunEnd.Abandoned> abandoned = new ArrayList<>();
        busy.forEach((doing, n) -> abandoned.add(new RunEnd.Abandoned(doing.get(0), doing.get(1), n)));
        return abandoned;
    }

    private void awaitIdle(long deadlineNanos) {
        while (!inFlight.isEmpty() && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
