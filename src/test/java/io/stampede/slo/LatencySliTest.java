package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A latency SLI over known requests: 10 successes (6 at 50 ms, 4 at 400 ms) and 5 refused at 1 ms.
 * By hand: excluding failures, 6 good of 10; counting them bad, 6 good of 15. Before, the refused
 * requests counted as good: 11 of 15.
 */
class LatencySliTest {

    private static final long T0 = 1_000_000;
    private static final RequestKey ROOT = new RequestKey("GET", "/");

    private static EntryStats knownRequests() {
        EntryStats entry = new EntryStats();
        for (int i = 0; i < 6; i++) {
            entry.record(50_000, 10, false);
        }
        for (int i = 0; i < 4; i++) {
            entry.record(400_000, 10, false);
        }
        for (int i = 0; i < 5; i++) {
            entry.record(1_000, 0, true);
        }
        return entry;
    }

    private static IntervalStats second(EntryStats entry) {
        return new IntervalStats(T0, T0 + 1000, 5, Map.of(ROOT, entry), Map.of());
    }

    private static SliSeries series(SloSpec.FailedRequests failures, IntervalStats interval) {
        SloSpec slo = new SloSpec("fast", 95, Optional.of(Duration.ofMillis(200)), Optional.empty(), Optional.empty(),
                "test", failures);
        SliSeries series = new SliSeries(slo);
        series.add(interval);
        return series;
    }

    @Test
    void failedRequestsAreLeftOutOfALatencySliByDefault() {
        SliSeries s = series(SloSpec.FailedRequests.EXCLUDE, second(knownRequests()));
        assertThat(s.total(0)).isEqualTo(10);
        assertThat(s.good(0)).isEqualTo(6);
    }

    @Test
    void failuresBadCountsEveryFailedRequestAsBad() {
        SliSeries s = series(SloSpec.FailedRequests.BAD, second(knownRequests()));
        assertThat(s.total(0)).isEqualTo(15);
        assertThat(s.good(0)).isEqualTo(6);
    }

    @Test
    void anAvailabilitySliIsUnchanged() {
        SliSeries s = new SliSeries(new SloSpec("availability", 99, Optional.empty(), Optional.empty(), Optional.empty(), "test"));
        s.add(second(knownRequests()));
        assertThat(s.total(0)).isEqualTo(15);
        assertThat(s.good(0)).isEqualTo(10);
    }

    @Test
    void theDefaultSpecExcludesFailures() {
        SloSpec slo = new SloSpec("fast", 95, Optional.of(Duration.ofMillis(200)), Optional.empty(), Optional.empty(), "test");
        assertThat(slo.failures()).isEqualTo(SloSpec.FailedRequests.EXCLUDE);
    }

    @Test
    void failuresLatenciesSurviveMergingAndTheWireFormat() throws Exception {
        IntervalStats merged = second(knownRequests()).merge(second(knownRequests()));
        IntervalStats decoded = IntervalCodec.decode(new ObjectMapper().readValue(
                new ObjectMapper().writeValueAsString(IntervalCodec.encode(merged)), IntervalCodec.Encoded.class));
        EntryStats entry = decoded.entries().get(ROOT);
        assertThat(entry.failureHistogram().getTotalCount()).isEqualTo(10);
        SliSeries s = series(SloSpec.FailedRequests.EXCLUDE, decoded);
        assertThat(s.total(0)).isEqualTo(20);
        assertThat(s.good(0)).isEqualTo(12);
    }

    @Test
    void successesPercentilesLeaveTheInstantFailuresOut() {
        EntryStats entry = knownRequests();
        // all 15: the 95th percentile is the 15th value (400 ms); the median is the 8th: 50 ms, not the 1 ms refusals
        // successes alone: p50 is the 5th of 10 (50 ms), p95 the 10th (400 ms)
        assertThat(entry.successPercentileMillis(50)).isBetween(49.9, 50.1);
        assertThat(entry.successPercentileMillis(95)).isBetween(399.5, 400.5);
        assertThat(entry.percentileMillis(30)).isBetween(0.99, 1.01);          // 5 of 15 are the 1 ms failures
        assertThat(entry.successPercentileMillis(30)).isBetween(49.9, 50.1);
    }

    @Test
    void anOlderFileWithoutFailuresLatenciesNeverCountsMoreGoodThanSuccesses() {
        EntryStats recorded = knownRequests();
        EntryStats old = EntryStats.of(recorded.count(), recorded.failures(), recorded.contentBytes(),
                recorded.latencySumMicros(), recorded.minMicros(), recorded.maxMicros(), recorded.histogram().copy());
        // 11 requests under 200 ms, of which at most 10 successes; 6 truly
        assertThat(old.countFasterThan(200_000, true)).isEqualTo(10);
        assertThat(old.countFasterThan(200_000, false)).isEqualTo(11);
    }
}
