package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's merge is exact: three workers' intervals, each sent as its message and read
 * back, merge to the counts and the percentiles of one histogram of every request (no rounded
 * buckets, no averaged percentiles).
 */
class ClusterMergeTest {

    @Test
    void theMergedP99IsTheP99OfTheUnion() throws Exception {
        Random random = new Random(15);
        Histogram union = new Histogram(EntryStats.SIGNIFICANT_DIGITS);
        IntervalStats merged = new IntervalStats(1_000, 2_000, 0, Map.of(), Map.of());
        long requests = 0;
        long max = 0;
        for (int worker = 0; worker < 3; worker++) {
            StatsRecorder recorder = new StatsRecorder(1_000);
            recorder.started(System.nanoTime());
            int count = 2_000 + worker * 1_337;
            for (int i = 0; i < count; i++) {
                // each worker its own spread: one fast, one slow, one with a long tail
                long micros = switch (worker) {
                    case 0 -> 500 + random.nextInt(2_000);
                    case 1 -> 20_000 + random.nextInt(30_000);
                    default -> random.nextInt(100) == 0 ? 900_000 + random.nextInt(100_000) : 1_000 + random.nextInt(5_000);
                };
                recorder.record("GET", "/", micros, 10, null);
                union.recordValue(micros);
                max = Math.max(max, micros);
            }
            requests += count;
            WorkerProtocol.Message sent = WorkerProtocol.read(WorkerProtocol.line(
                    new WorkerProtocol.Interval(IntervalCodec.encode(recorder.takeInterval(2_000, 1)), Map.of())));
            merged = merged.merge(IntervalCodec.decode(((WorkerProtocol.Interval) sent).interval()));
        }
        EntryStats total = merged.total();
        assertThat(total.count()).isEqualTo(requests);
        for (double percentile : List.of(50.0, 90.0, 99.0, 99.9)) {
            assertThat(total.histogram().getValueAtPercentile(percentile)).as("p%s", percentile)
                    .isEqualTo(union.getValueAtPercentile(percentile));
        }
        assertThat(total.maxMicros()).as("the exact slowest, not its bucket's top").isEqualTo(max);
    }
}
