package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.api.Task;
import io.stampede.api.User;
import io.stampede.api.WaitTime;
import io.stampede.api.Weight;
import io.stampede.http.HttpOptions;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.EndToEnd;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runner in process, against the real demo service: spawning, weights, hooks, stages, exceptions. */
class RunnerTest {

    private static DemoService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static final AtomicInteger readers = new AtomicInteger();
    static final AtomicInteger writers = new AtomicInteger();
    static final AtomicInteger starts = new AtomicInteger();
    static final AtomicInteger stops = new AtomicInteger();

    @Weight(3)
    public static class Reader extends User {
        public Reader() {
            readers.incrementAndGet();
        }

        @Override
        public WaitTime waitTime() {
            return WaitTime.constant(Duration.ofMillis(100));
        }

        @Override
        public void onStart() {
            starts.incrementAndGet();
        }

        @Override
        public void onStop() {
            stops.incrementAndGet();
        }

        @Task
        public void read() {
            http().get("/");
        }
    }

    public static class Writer extends User {
        public Writer() {
            writers.incrementAndGet();
        }

        @Override
        public WaitTime waitTime() {
            return WaitTime.constant(Duration.ofMillis(100));
        }

        @Task
        public void write() {
            http().post("/login", "");
        }

        @Task(weight = 0)
        public void never() {
            throw new AssertionError("weight 0 tasks never run");
        }
    }

    public static class Thrower extends User {
        @Task
        public void explode() {
            http().get("/health");
            throw new IllegalStateException("boom");
        }

        @Override
        public WaitTime waitTime() {
            return WaitTime.constant(Duration.ofMillis(200));
        }
    }

    private static RunSpec plan(LoadModel load, Duration runTime) {
        return plan(load, runTime, Duration.ZERO);
    }

    private static RunSpec plan(LoadModel load, Duration runTime, Duration stopTimeout) {
        return new RunSpec("test", service.baseUrl(), load, Optional.of(runTime), HttpOptions.defaults(), Set.of(), Set.of(),
                stopTimeout);
    }

    @Test
    @EndToEnd // a run of real seconds
    void splitsUsersByClassWeightAndRunsTheHooksOnce() {
        readers.set(0);
        writers.set(0);
        starts.set(0);
        stops.set(0);
        List<UserType> types = List.of(UserTypes.fromClass(Reader.class, "test"), UserTypes.fromClass(Writer.class, "test"));
        // 5 s and a stop that waits for every user: on a loaded machine the 25 writers may need seconds for
        // their first request, and each user's onStop runs only once its iteration is over
        RunSpec plan = plan(new LoadModel.Closed(100, 1000, List.of()), Duration.ofSeconds(5), Duration.ofSeconds(30));
        Runner runner = new Runner(plan, types, List.of());
        RunStats stats = runner.run();
        assertThat(readers.get()).isEqualTo(75);
        assertThat(writers.get()).isEqualTo(25);
        assertThat(starts.get()).isEqualTo(75);
        assertThat(stops.get()).isEqualTo(75);
        assertThat(stats.total().failures()).isZero();
        assertThat(stats.totals().keySet()).extracting(k -> k.method() + " " + k.name()).containsExactly("GET /", "POST /login");
        assertThat(runner.taskErrors().snapshot()).isEmpty();
    }

    @Test
    @EndToEnd // a run of real seconds
    void stagesRampUpAndDownAndEndTheRun() {
        List<Integer> users = new ArrayList<>();
        RunListener usersPerSecond = new RunListener() {
            @Override
            public void onInterval(IntervalStats interval, RunStats stats) {
                users.add(interval.users());
            }
        };
        LoadModel.Closed staged = new LoadModel.Closed(1, 1, List.of(
                new LoadModel.Stage(Duration.ofSeconds(2), 20, 100),
                new LoadModel.Stage(Duration.ofSeconds(2), 5, 100)));
        long start = System.nanoTime();
        RunStats stats = new Runner(plan(staged, Duration.ofSeconds(4)), List.of(UserTypes.fromClass(Reader.class, "test")),
                List.of(usersPerSecond)).run();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(8));
        assertThat(users.get(0)).isEqualTo(20);
        // the second stage (2-4 s) is at 5 users by 2.15 s; second 3 shows it. The 4th interval races
        // the end of the run (the last one is published with 0 users), so it is not asserted on.
        assertThat(users.get(2)).isEqualTo(5);
        assertThat(stats.points()).extracting(IntervalPoint::users).last().isEqualTo(0);
    }

    @Test
    @EndToEnd // a run of real seconds
    void anExceptionInATaskIsCountedAndTheUserGoesOn() {
        Runner runner = new Runner(plan(new LoadModel.Closed(2, 100, List.of()), Duration.ofSeconds(2)),
                List.of(UserTypes.fromClass(Thrower.class, "test")), List.of());
        RunStats stats = runner.run();
        assertThat(stats.total().count()).isGreaterThan(10); // the users kept going after each exception
        assertThat(runner.taskErrors().snapshot()).hasSize(1).allSatisfy((key, n) -> {
            assertThat(key).isEqualTo("Thrower.explode: java.lang.IllegalStateException: boom");
            assertThat(n).isGreaterThan(10);
        });
    }

    static final Queue<Thread> sleeperThreads = new ConcurrentLinkedQueue<>();
    static final Queue<Long> sleeperRandoms = new ConcurrentLinkedQueue<>();
    static final AtomicInteger sleeperStops = new AtomicInteger();

    /** One task, then a wait far longer than the run. */
    public static class Sleeper extends User {
        @Override
        public WaitTime waitTime() {
            return WaitTime.constant(Duration.ofSeconds(30));
        }

        @Task
        public void once() {
            http().get("/");
            sleeperThreads.add(Thread.currentThread());
            sleeperRandoms.add(random().nextLong());
        }

        @Override
        public void onStop() {
            sleeperStops.incrementAndGet();
        }
    }

    @Test
    @EndToEnd // a run of real seconds
    void aWaitingUserHoldsNoThreadAndAStopEndsItsWaitAtOnce() {
        sleeperThreads.clear();
        sleeperRandoms.clear();
        sleeperStops.set(0);
        List<Boolean> anyAliveWhileWaiting = new ArrayList<>();
        RunListener probe = new RunListener() {
            @Override
            public void onInterval(IntervalStats interval, RunStats stats) {
                if (anyAliveWhileWaiting.isEmpty()) { // at 1 s: all 20 users have done their task and wait
                    anyAliveWhileWaiting.add(sleeperThreads.size() < 20 || sleeperThreads.stream().anyMatch(Thread::isAlive));
                }
            }
        };
        long start = System.nanoTime();
        RunStats stats = new Runner(plan(new LoadModel.Closed(20, 1000, List.of()), Duration.ofMillis(2500)),
                List.of(UserTypes.fromClass(Sleeper.class, "test")), List.of(probe)).run();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10)); // not the 30 s wait
        assertThat(stats.total().count()).isEqualTo(20);
        assertThat(anyAliveWhileWaiting).containsExactly(false);
        assertThat(sleeperStops.get()).isEqualTo(20);
        // each user's random numbers come from its own generator, however many threads it ran on
        assertThat(new HashSet<>(sleeperRandoms)).hasSize(20);
    }

    @Test
    void theRunIsDatedOnItsClock() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Long> dates = new CopyOnWriteArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void onStart(RunInfo run) {
                dates.add(run.startEpochMillis());
            }

            @Override
            public void onInterval(IntervalStats interval, RunStats stats) {
                dates.add(interval.startEpochMillis());
                dates.add(interval.endEpochMillis());
            }
        };
        RunStats stats = new Runner(plan(new LoadModel.Closed(1, 100, List.of()), Duration.ofMillis(300)),
                List.of(UserTypes.fromClass(Thrower.class, "test")), List.of(listener), null, InstantSource.fixed(at)).run();
        // the start, every interval's bounds and the folder name that follows from them: the clock's, exactly
        assertThat(dates).isNotEmpty().containsOnly(at.toEpochMilli());
        assertThat(stats.startEpochMillis()).isEqualTo(at.toEpochMilli());
    }
}
