package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Re-splits of the open model's arrivals while workers run, as {@link ClusterPool} and the workers
 * do them: the coordinator dates each new split {@link ClusterPool#SLICE_MARGIN} ahead and beats with
 * the promise of no slice dated before now plus that margin; each worker gets these messages in order,
 * at random moments, often long after a slice's date (a worker or link stalled), lags the coordinator
 * by its own delay, decides each arrival by the slice in force at the arrival's offset, and none at or
 * past its horizon. Over many random joins and losses every arrival of the whole schedule starts
 * exactly once, or, for a lost worker's from its death to the re-split, is counted dropped exactly once.
 */
class SlicesTest {

    private static final long STEP_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long LAG_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** One step in this many, a worker hears nothing: runs of these are stalls of seconds, past a slice's date. */
    private static final int STALL_ODDS = 3;
    private static final long WAIT_SECONDS = 30;
    private final Random random = new Random(27);

    /** One worker: its clock of the whole schedule, its slices, and the slices on their way to it. */
    private static final class Sim {
        final ArrivalClock clock;
        final Slices slices = new Slices(Segment.WHOLE);
        /** What the coordinator sent it, as the coordinator keeps it (the lost-arrival count reads this). */
        final Slices sent = new Slices(Segment.NONE);
        /** Slices and beats on their way to it, in the order sent (one connection). */
        final Deque<WorkerProtocol.ToWorker> inbox = new ArrayDeque<>();
        final long joinedNanos;
        final long lagNanos;
        boolean alive = true;

        Sim(LoadModel.Open model, long joinedNanos, long lagNanos) {
            this.clock = new ArrivalClock(model);
            this.joinedNanos = joinedNanos;
            this.lagNanos = lagNanos;
        }

        void receive(WorkerProtocol.ToWorker message) {
            switch (message) {
                case WorkerProtocol.Slice slice -> slices.hold(slice.segment(), slice.from());
                case WorkerProtocol.Beat beat -> slices.promised(beat.until());
                default -> throw new AssertionError(message);
            }
        }
    }

    @Test
    void everyArrivalStartsExactlyOnceAcrossRandomResplits() {
        for (int c = 0; c < 150; c++) {
            LoadModel.Open model = randomModel();
            long endNanos = model.stagesDuration().isZero() ? TimeUnit.SECONDS.toNanos(20) : model.stagesDuration().toNanos();
            int[] started = new int[(int) ArrivalClock.count(model, new Slices(Segment.WHOLE), 0, endNanos)];
            long dropped = 0;
            List<Sim> sims = new ArrayList<>();
            int first = 1 + random.nextInt(5);
            for (int i = 0; i < first; i++) { // the go: a slice each from the start
                Sim sim = new Sim(model, Long.MIN_VALUE, random.nextLong(LAG_MAX_NANOS));
                sim.slices.hold(Segment.of(i, first), Duration.ZERO);
                sim.slices.horizon(ClusterPool.SLICE_MARGIN); // the go, at 0
                sim.sent.hold(Segment.of(i, first), Duration.ZERO);
                sims.add(sim);
            }
            int resplits = 0;
            for (long now = 0; now < endNanos; now += 1 + random.nextLong(STEP_MAX_NANOS)) {
                for (Sim sim : sims) {
                    if (sim.alive) {
                        decideUpTo(sim, now - sim.lagNanos, started);
                    }
                }
                int roll = random.nextInt(20);
                List<Sim> sharing = sims.stream().filter(s -> s.alive).toList();
                if (roll == 0 || (roll == 1 && sharing.size() > 1)) {
                    // dated in whole milliseconds, as the message carries it
                    long from = TimeUnit.MILLISECONDS.toNanos(TimeUnit.NANOSECONDS.toMillis(now + ClusterPool.SLICE_MARGIN.toNanos()));
                    List<Sim> next = new ArrayList<>(sharing);
                    if (roll == 0) { // one joins: on the schedule's clock now, nothing of its own until the date
                        Sim joiner = new Sim(model, now, random.nextLong(LAG_MAX_NANOS));
                        joiner.slices.hold(Segment.NONE, Duration.ZERO);
                        joiner.slices.horizon(Duration.ofNanos(now).plus(ClusterPool.SLICE_MARGIN));
                        sims.add(joiner);
                        next.add(joiner);
                    } else { // one is lost where it got to; the coordinator counts its arrivals up to the date
                        Sim lost = sharing.get(random.nextInt(sharing.size()));
                        lost.alive = false;
                        next.remove(lost);
                        long diedAt = Math.max(0, lost.clock.nextOffsetNanos());
                        dropped += ArrivalClock.count(model, lost.sent, diedAt, Math.min(from, endNanos));
                    }
                    for (int i = 0; i < next.size(); i++) {
                        WorkerProtocol.Slice slice = new WorkerProtocol.Slice(Segment.of(i, next.size()),
                                TimeUnit.NANOSECONDS.toMillis(from));
                        next.get(i).sent.hold(slice.segment(), slice.from());
                        next.get(i).inbox.add(slice);
                    }
                    resplits++;
                }
                for (Sim sim : sims) { // the beat: no slice dated before now plus the margin
                    sim.inbox.add(new WorkerProtocol.Beat(TimeUnit.NANOSECONDS.toMillis(now + ClusterPool.SLICE_MARGIN.toNanos())));
                }
                for (Sim sim : sims) { // messages arrive in order, now or much later: a stalled worker gets none for seconds
                    if (random.nextInt(STALL_ODDS) != 0) {
                        while (!sim.inbox.isEmpty() && random.nextInt(4) != 0) {
                            sim.receive(sim.inbox.poll());
                        }
                    }
                }
            }
            for (Sim sim : sims) {
                if (sim.alive) {
                    sim.inbox.add(new WorkerProtocol.Beat(TimeUnit.NANOSECONDS.toMillis(endNanos + ClusterPool.SLICE_MARGIN.toNanos())));
                    sim.inbox.forEach(sim::receive);
                    decideUpTo(sim, endNanos, started);
                }
            }
            long once = 0;
            for (int k = 0; k < started.length; k++) {
                assertThat(started[k]).as("case %d: arrival %d of %d, %d re-splits", c, k, started.length, resplits)
                        .isLessThanOrEqualTo(1);
                once += started[k];
            }
            assertThat(once + dropped).as("case %d: started and dropped of %d arrivals", c, started.length)
                    .isEqualTo(started.length);
        }
    }

    /**
     * A worker decides arrivals up to {@code untilNanos}, as {@link ArrivalDriver} does, but none at or past
     * its horizon: there {@link Slices#at} would wait for the next promise, which comes by {@link Sim#receive}.
     */
    private static void decideUpTo(Sim sim, long untilNanos, int[] started) {
        while (true) {
            if (sim.clock.nextOffsetNanos() >= sim.slices.horizonNanos()) {
                return;
            }
            if (!sim.clock.advance(Math.min(untilNanos, sim.slices.horizonNanos() - 1))) {
                return;
            }
            long k = sim.clock.index();
            if (k >= started.length) {
                return; // past the end of the run
            }
            long offset = sim.clock.offsetNanos();
            if (offset >= sim.joinedNanos && sim.slices.at(offset).owns(k)) {
                started[(int) k]++;
            }
        }
    }

    private LoadModel.Open randomModel() {
        List<LoadModel.RateStage> stages = new ArrayList<>();
        for (int s = 0; s < random.nextInt(4); s++) {
            stages.add(new LoadModel.RateStage(Duration.ofMillis(1_000 + random.nextInt(8_000)),
                    random.nextInt(5) == 0 ? 0 : random.nextDouble() * 400));
        }
        return new LoadModel.Open(random.nextInt(4) == 0 ? 0 : random.nextDouble() * 400, stages, 1_000);
    }

    @Test
    void aDecisionAtTheHorizonWaitsForThePromiseAndTheLateSliceBeforeIt() throws Exception {
        Slices slices = new Slices(Segment.of(0, 2));
        slices.horizon(Duration.ofSeconds(2));
        assertThat(slices.at(TimeUnit.MILLISECONDS.toNanos(1_999))).isEqualTo(Segment.of(0, 2));
        CompletableFuture<Segment> decided = CompletableFuture.supplyAsync(() -> slices.at(TimeUnit.SECONDS.toNanos(5)));
        // a stalled link: the slice dated 3 s comes when the worker is already due at 5 s
        assertThat(decided).as("nothing decided past the horizon").isNotDone();
        slices.hold(Segment.of(0, 3), Duration.ofSeconds(3));
        assertThat(decided).as("the slice's date is the horizon now, before 5 s").isNotDone();
        slices.promised(Duration.ofSeconds(6)); // the beat sent after the slice
        assertThat(decided.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the slice in force at 5 s, not the old one").isEqualTo(Segment.of(0, 3));
        assertThat(slices.at(TimeUnit.MILLISECONDS.toNanos(2_500))).as("before its date, the old split").isEqualTo(Segment.of(0, 2));

        CompletableFuture<Segment> stopping = CompletableFuture.supplyAsync(() -> slices.at(TimeUnit.SECONDS.toNanos(7)));
        slices.release(); // the run stops: nothing waits
        assertThat(stopping.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Segment.of(0, 3));
    }

    @Test
    void aSliceThatComesAfterItsDateHoldsFromTheNextDecision() {
        Slices slices = new Slices(Segment.of(0, 2));
        assertThat(slices.at(TimeUnit.SECONDS.toNanos(5))).isEqualTo(Segment.of(0, 2));
        slices.hold(Segment.of(0, 3), Duration.ofSeconds(4)); // late: arrivals up to 5 s went by the old split
        assertThat(slices.at(TimeUnit.SECONDS.toNanos(5))).isEqualTo(Segment.of(0, 2));
        assertThat(slices.at(TimeUnit.SECONDS.toNanos(5) + 1)).isEqualTo(Segment.of(0, 3));
        slices.hold(Segment.of(1, 2), Duration.ofSeconds(9));
        assertThat(slices.held(TimeUnit.SECONDS.toNanos(8))).isEqualTo(Segment.of(0, 3));
        assertThat(slices.at(TimeUnit.SECONDS.toNanos(9))).isEqualTo(Segment.of(1, 2));
        assertThat(slices.last()).isEqualTo(Segment.of(1, 2));
    }

    @Test
    void theClockNumbersTheSameArrivalsAtTheSameOffsetsEveryTime() {
        LoadModel.Open ramp = new LoadModel.Open(0, List.of(new LoadModel.RateStage(Duration.ofSeconds(2), 100),
                new LoadModel.RateStage(Duration.ofSeconds(1), 100)), 10);
        ArrivalClock a = new ArrivalClock(ramp);
        ArrivalClock b = new ArrivalClock(ramp);
        long n = 0;
        while (a.advance(Long.MAX_VALUE)) {
            assertThat(b.advance(a.offsetNanos() + 1)).isTrue();
            assertThat(b.index()).isEqualTo(a.index());
            assertThat(b.offsetNanos()).isEqualTo(a.offsetNanos());
            n++;
        }
        assertThat(a.over()).isTrue();
        assertThat(n).isGreaterThanOrEqualTo(100); // 100 in the last second alone
    }
}
