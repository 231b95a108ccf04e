package io.stampede.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsRecorderTest {

    @Test
    void intervalsTakenWhileThreadsRecordSumExactlyToWhatWasRecorded() throws Exception {
        StatsRecorder recorder = new StatsRecorder(0);
        int threads = 8;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    recorder.record("GET", id % 2 == 0 ? "/" : "/health", 1 + i % 1000, 10,
                            i % 10 == 0 ? "HTTP 500 Internal Server Error" : null);
                }
            }));
        }
        RunStats run = new RunStats(0);
        start.countDown();
        long now = 1;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            run.add(recorder.takeInterval(now++, threads));
        }
        run.add(recorder.takeInterval(now, threads));

        long expected = (long) threads * perThread;
        assertThat(run.total().count()).isEqualTo(expected);
        assertThat(run.total().histogram().getTotalCount()).isEqualTo(expected);
        assertThat(run.total().failures()).isEqualTo(expected / 10);
        assertThat(run.total().contentBytes()).isEqualTo(expected * 10);
        assertThat(run.totals().get(new RequestKey("GET", "/")).count()).isEqualTo(expected / 2);
        assertThat(run.failures().get(new FailureKey("GET", "/health", "HTTP 500 Internal Server Error")))
                .isEqualTo(expected / 20);
        assertThat(run.total().minMicros()).isEqualTo(1);
        assertThat(run.total().maxMicros()).isEqualTo(1000);
        // the 10 ms slots hold every sample too, however the intervals cut them
        Slots slots = run.slots();
        assertThat(Arrays.stream(slots.ok()).asLongStream().sum()).isEqualTo(expected - expected / 10);
        assertThat(Arrays.stream(slots.failed()).asLongStream().sum()).isEqualTo(expected / 10);
        assertThat(Arrays.stream(slots.stalled()).sum()).isZero();
    }

    @Test
    void aRequestThatWaitedPastTheStallTimeIsStalledWhereItsWaitReachedIt() {
        StatsRecorder recorder = new StatsRecorder(0);
        long before = System.currentTimeMillis();
        recorder.record("GET", "/", (Slots.STALL_MILLIS + 500) * 1000, 0, null); // answered after 1.5 s
        long after = System.currentTimeMillis();
        Slots slots = recorder.takeInterval(after, 1).slots();
        assertThat(Arrays.stream(slots.ok()).sum()).isEqualTo(1);
        assertThat(Arrays.stream(slots.stalled()).sum()).isEqualTo(1);
        int stalledAt = IntStream.range(0, slots.size()).filter(i -> slots.stalled()[i] > 0).findFirst().orElseThrow();
        // it started 1.5 s before it ended, so it had waited STALL_MILLIS 0.5 s before the end
        assertThat(Slots.startMillis(slots.slot()[stalledAt])).isBetween(before - 500 - Slots.SLOT_MILLIS, after - 500);
    }

    @Test
    void requestsInFlightAreStartsLessCompletionsWhateverTheIntervalsCut() throws Exception {
        StatsRecorder recorder = new StatsRecorder(0);
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    long start = System.nanoTime();
                    recorder.started(start);
                    if (i % 100 == 99) {
                        recorder.cancelled(System.nanoTime()); // a user stopped mid-request: no sample
                    } else {
                        recorder.record("GET", "/", 100, 0, null, System.nanoTime());
                    }
                }
                recorder.started(System.nanoTime()); // and each thread leaves one request waiting
            }));
        }
        RunStats run = new RunStats(0);
        go.countDown();
        long now = 1;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            run.add(recorder.takeInterval(now++, threads));
        }
        run.add(recorder.takeInterval(now, threads));
        long[] inFlight = run.slots().inFlight();
        assertThat(inFlight[inFlight.length - 1]).isEqualTo(threads);
        assertThat(Arrays.stream(run.slots().started()).asLongStream().sum())
                .isEqualTo(run.total().count() + threads);
    }

    @Test
    void mergingIntervalsGivesTheSameStatisticsAsRecordingEverythingInOne() {
        EntryStats a = new EntryStats();
        EntryStats b = new EntryStats();
        EntryStats all = new EntryStats();
        for (int i = 1; i <= 1000; i++) {
            (i % 3 == 0 ? a : b).record(i * 100L, i, i % 7 == 0);
            all.record(i * 100L, i, i % 7 == 0);
        }
        EntryStats merged = a.copy().add(b);
        assertThat(merged.count()).isEqualTo(all.count());
        assertThat(merged.failures()).isEqualTo(all.failures());
        assertThat(merged.averageMillis()).isEqualTo(all.averageMillis());
        assertThat(merged.minMicros()).isEqualTo(100);
        assertThat(merged.maxMicros()).isEqualTo(100_000);
        for (double p : new double[] {50, 90, 95, 99, 99.9, 100}) {
            assertThat(merged.percentileMillis(p)).isEqualTo(all.percentileMillis(p));
        }
    }

    @Test
    void latenciesFromAMicrosecondToAnHourKeepThreeDigitsAndLongerOnesCountAsAnHourWithTheirTrueMaximum() {
        StatsRecorder recorder = new StatsRecorder(0);
        long hour = KeyRecorder.LATENCY_MAX_MICROS;
        recorder.record("GET", "/", 1, 0, null);
        recorder.record("GET", "/", 1_234_567, 0, null);
        recorder.record("GET", "/", hour, 0, "timeout");
        recorder.record("GET", "/", 2 * hour, 0, "timeout");
        EntryStats entry = recorder.takeInterval(1, 1).entries().get(new RequestKey("GET", "/"));

        assertThat(entry.count()).isEqualTo(4);
        assertThat(entry.minMicros()).isEqualTo(1);
        assertThat(entry.maxMicros()).isEqualTo(2 * hour);
        assertThat(entry.histogram().getTotalCount()).isEqualTo(4);
        assertThat(entry.histogram().getCountBetweenValues(0, 1)).isEqualTo(1);
        assertThat(entry.histogram().getCountBetweenValues(1_233_000, 1_236_000)).isEqualTo(1);
        assertThat(entry.histogram().getMaxValue()).isBetween(hour, hour + hour / 1000);
        assertThat(entry.failureHistogram().getTotalCount()).isEqualTo(2);
        assertThat(entry.failureHistogram().getCountBetweenValues(hour - hour / 1000, hour + hour / 1000)).isEqualTo(2);
    }

    @Test
    void percentilesAreWithinThreeSignificantDigits() {
        EntryStats entry = new EntryStats();
        for (int i = 1; i <= 10_000; i++) {
            entry.record(i, 0, false); // 1 µs .. 10 ms, uniform
        }
        assertThat(entry.percentileMillis(50)).isCloseTo(5.0, within(0.005));
        assertThat(entry.percentileMillis(95)).isCloseTo(9.5, within(0.01));
        assertThat(entry.percentileMillis(99.9)).isCloseTo(9.99, within(0.01));
        assertThat(entry.percentileMillis(100)).isEqualTo(10.0);
        assertThat(entry.averageMillis()).isEqualTo(5.0005);
    }

    @Test
    void intervalsOfTwoWorkersMergeByAddingUsersAndCounts() {
        StatsRecorder one = new StatsRecorder(1000);
        StatsRecorder two = new StatsRecorder(1000);
        one.record("GET", "/", 2000, 5, null);
        two.record("GET", "/", 4000, 5, "connection refused");
        IntervalStats merged = one.takeInterval(2000, 10).merge(two.takeInterval(2000, 15));
        assertThat(merged.users()).isEqualTo(25);
        assertThat(merged.total().count()).isEqualTo(2);
        assertThat(merged.total().failures()).isEqualTo(1);
        assertThat(merged.total().averageMillis()).isEqualTo(3.0);
        assertThat(merged.failures()).containsEntry(new FailureKey("GET", "/", "connection refused"), 1L);
    }

    @Test
    void currentWindowCoversTheLastTenIntervals() {
        StatsRecorder recorder = new StatsRecorder(0);
        RunStats run = new RunStats(0);
        for (int second = 1; second <= 15; second++) {
            for (int i = 0; i < second; i++) {
                recorder.record("GET", "/", 1000, 0, null);
            }
            run.add(recorder.takeInterval(second * 1000L, 1));
        }
        // seconds 6..15 hold 6+7+...+15 = 105 requests
        assertThat(run.current(null).count()).isEqualTo(105);
        assertThat(run.currentWindowSeconds()).isEqualTo(10.0);
        assertThat(run.points()).hasSize(15);
        assertThat(run.points().get(14).requestsPerSecond()).isEqualTo(15.0);
    }

    @Test
    void slotsAreDatedOnTheRunsClockNotTheSystemOne() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        StatsRecorder recorder = new StatsRecorder(at.toEpochMilli(), InstantSource.fixed(at));
        recorder.record("GET", "/", 1_000, 0, null, System.nanoTime());
        Slots slots = recorder.takeInterval(at.toEpochMilli(), 1).slots();
        assertThat(slots.size()).isEqualTo(1);
        // the sample ended just after the recorder took the clock's time: within a second of it on a loaded machine
        assertThat(Slots.startMillis(slots.slot()[0])).isBetween(at.toEpochMilli() - Slots.SLOT_MILLIS, at.toEpochMilli() + 1_000);
    }
}
