package io.stampede.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Phase times go from the recorder into the interval, through the wire between processes and into
 * the run's totals without losing a count: two workers' intervals merged equal one process that
 * recorded every request.
 */
class PhaseStatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Request {@code i}'s times in microseconds: connecting only on the first, the rest vary with i. */
    private static PhaseTimes times(int i) {
        PhaseTimes t = new PhaseTimes();
        if (i == 0) {
            t.add(Phase.CONNECTING, 150_000);
        }
        t.add(Phase.SENDING, 2_000 + i);
        t.add(Phase.WAITING, 1_000_000L * (1 + i % 50));   // 1 to 50 ms
        t.add(Phase.RECEIVING, 30_000L * i);
        return t;
    }

    private static void record(StatsRecorder recorder, int from, int to) {
        for (int i = from; i < to; i++) {
            recorder.record("GET", i % 3 == 0 ? "/a" : "/b", 10_000, 10, null, System.nanoTime(), times(i));
        }
    }

    private static IntervalStats viaWire(IntervalStats interval) throws Exception {
        String line = JSON.writeValueAsString(IntervalCodec.encode(interval));
        return IntervalCodec.decode(JSON.readValue(line, IntervalCodec.Encoded.class));
    }

    @Test
    void eachRequestRecordsEveryPhaseAndAReusedConnectionConnectsInNoTime() {
        StatsRecorder recorder = new StatsRecorder(0);
        record(recorder, 0, 10);

        PhaseStats phases = recorder.takeInterval(1000, 1).total().phases();

        assertThat(phases.count()).isEqualTo(10);
        for (Phase phase : Phase.ALL) {
            assertThat(phases.histogram(phase).getTotalCount()).isEqualTo(10);
        }
        assertThat(phases.histogram(Phase.CONNECTING).getCountAtValue(0)).isEqualTo(9);
        assertThat(phases.maxMillis(Phase.CONNECTING)).isCloseTo(0.150, withPercentage(1));
        assertThat(phases.maxMillis(Phase.TLS_HANDSHAKING)).isZero();
        assertThat(phases.percentileMillis(Phase.WAITING, 50)).isCloseTo(5, withPercentage(1));
    }

    @Test
    void theRecorderLeavesZerosOutOnTheHotPathAndGivesTheHistogramsOfEveryValueRecorded() {
        StatsRecorder recorder = new StatsRecorder(0);
        PhaseStats everyValue = new PhaseStats();
        PhaseTimes refused = new PhaseTimes(); // a refused connect: connecting only, waiting 0 too
        refused.add(Phase.CONNECTING, 80_000);
        PhaseTimes quick = new PhaseTimes(); // under a microsecond of receiving counts as 0
        quick.add(Phase.SENDING, 3_000);
        quick.add(Phase.WAITING, 40_000);
        quick.add(Phase.RECEIVING, 999);
        for (PhaseTimes t : List.of(times(0), times(1), refused, quick, times(7), quick)) {
            recorder.record("GET", "/", 10_000, 10, null, System.nanoTime(), t);
            everyValue.record(t);
        }

        PhaseStats recorded = recorder.takeInterval(1000, 1).total().phases();

        assertThat(recorded.count()).isEqualTo(6);
        for (Phase phase : Phase.ALL) {
            assertThat(recorded.histogram(phase)).as(phase.json()).isEqualTo(everyValue.histogram(phase));
            assertThat(recorded.minMillis(phase)).as(phase.json()).isEqualTo(everyValue.minMillis(phase));
            assertThat(recorded.meanMillis(phase)).as(phase.json()).isEqualTo(everyValue.meanMillis(phase));
        }
        assertThat(recorded.histogram(Phase.RECEIVING).getCountAtValue(0)).isEqualTo(4);
        assertThat(recorded.histogram(Phase.WAITING).getCountAtValue(0)).isEqualTo(1);
    }

    @Test
    void twoWorkersThroughTheWireMergeToExactlyWhatOneProcessRecords() throws Exception {
        StatsRecorder one = new StatsRecorder(0);
        record(one, 0, 1000);
        StatsRecorder workerA = new StatsRecorder(0);
        record(workerA, 0, 400);
        StatsRecorder workerB = new StatsRecorder(0);
        record(workerB, 400, 1000);

        IntervalStats alone = one.takeInterval(1000, 1);
        IntervalStats merged = viaWire(workerA.takeInterval(1000, 1)).merge(viaWire(workerB.takeInterval(1000, 1)));
        RunStats run = new RunStats(0);
        run.add(merged);

        for (RequestKey key : alone.entries().keySet()) {
            for (Phase phase : Phase.ALL) {
                Histogram expected = alone.entries().get(key).phases().histogram(phase);
                assertThat(merged.entries().get(key).phases().histogram(phase)).as(key + " " + phase).isEqualTo(expected);
                assertThat(run.totals().get(key).phases().histogram(phase)).isEqualTo(expected);
            }
        }
        assertThat(run.total().phases().count()).isEqualTo(1000);
        assertThat(run.points().getFirst().phases()).isEqualTo(PhaseMillis.meansOf(alone.total().phases()));
    }

    /**
     * The current window lives 10 s, past young collections: it keeps what "current" figures read,
     * not an interval's phase histograms (they would be promoted and die in the old generation).
     */
    @Test
    void theCurrentWindowKeepsLatenciesButNotPhases() {
        StatsRecorder recorder = new StatsRecorder(0);
        record(recorder, 0, 299);
        recorder.record("GET", "/a", 10_000, 0, "connection refused");
        IntervalStats interval = recorder.takeInterval(1000, 1);
        RunStats run = new RunStats(0);
        run.add(interval);

        RequestKey key = new RequestKey("GET", "/a");
        EntryStats current = run.current(key);
        assertThat(current.count()).isEqualTo(101);
        assertThat(current.percentileMillis(95)).isEqualTo(interval.entries().get(key).percentileMillis(95));
        assertThat(run.current(null).count()).isEqualTo(300);
        assertThat(current.phases()).isNull();
        assertThat(current.failures()).isEqualTo(1);
        assertThat(current.failureHistogram().getTotalCount()).as("failures' latencies apart are not kept").isZero();
        assertThat(interval.entries().get(key).failureHistogram().getTotalCount()).isEqualTo(1);
        assertThat(run.totals().get(key).phases().count()).as("the totals keep them").isEqualTo(100);
        assertThat(interval.entries().get(key).phases().count()).as("the interval itself is left whole").isEqualTo(100);
    }

    /** A worker process's run keeps no current window at all: it reads no current figures. */
    @Test
    void aRunWithoutACurrentWindowKeepsItsTotals() {
        StatsRecorder recorder = new StatsRecorder(0);
        record(recorder, 0, 300);
        RunStats run = new RunStats(0, false);
        run.add(recorder.takeInterval(1000, 1));

        assertThat(run.current(null).count()).isZero();
        assertThat(run.total().count()).isEqualTo(300);
        assertThat(run.points()).hasSize(1);
        assertThat(run.snapshot().current(null).count()).isZero();
    }

    @Test
    void requestsWithoutPhaseTimesLeaveThePhasesOutOfTheWire() throws Exception {
        StatsRecorder recorder = new StatsRecorder(0);
        recorder.record("GET", "/", 1_000, 0, null);

        IntervalStats interval = recorder.takeInterval(1000, 1);

        assertThat(interval.total().phases()).isNull();
        assertThat(JSON.writeValueAsString(IntervalCodec.encode(interval))).doesNotContain("phases");
        assertThat(viaWire(interval).total().phases()).isNull();
        assertThat(new RunStats(0)).satisfies(run -> {
            run.add(interval);
            assertThat(run.points().getFirst().phases()).isNull();
        });
    }

    @Test
    void phaseHistogramsOfDifferentCountsAreNotAnInterval() {
        Histogram one = PhaseStats.newHistogram();
        one.recordValue(3);
        List<Histogram> byPhase = List.of(one, PhaseStats.newHistogram(), PhaseStats.newHistogram(),
                PhaseStats.newHistogram(), PhaseStats.newHistogram());

        assertThatThrownBy(() -> PhaseStats.of(byPhase.toArray(Histogram[]::new)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different counts");
    }
}
