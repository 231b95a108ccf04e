package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.slo.threshold.Status;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code http_reqs{window:10s}: count>780} over 12 full seconds of 80 requests, except 50 in
 * second 10 and 40 in second 11, then a 300 ms stub of a second with 10. By hand, the full windows:
 * 0–10 s: 800, 1–11 s: 770, 2–12 s: 730. Two of three fail; the worst is 2–12 s at 730. The window
 * ending with the stub (3–12.3 s, 9.3 s long: 660 requests) is not a full window and not judged.
 */
class WindowThresholdTest {

    private static final long T0 = 1_000_000;

    private static IntervalStats second(long startMillis, long lengthMillis, int requests) {
        EntryStats entry = new EntryStats();
        for (int i = 0; i < requests; i++) {
            entry.record(10_000, 0, false);
        }
        return new IntervalStats(startMillis, startMillis + lengthMillis, 1, Map.of(new RequestKey("GET", "/"), entry), Map.of());
    }

    private static ThresholdOutcome judge(String expression, int[] counts, long stubMillis, int stubRequests) {
        PlanThreshold t = new PlanThreshold("http_reqs", ThresholdSpec.parse("http_reqs", expression),
                Optional.of(Duration.ofSeconds(10)));
        Thresholds thresholds = new Thresholds(List.of(t));
        RunStats stats = new RunStats(T0);
        for (int i = 0; i < counts.length; i++) {
            IntervalStats s = second(T0 + i * 1000L, 1000, counts[i]);
            stats.add(s);
            thresholds.onInterval(s, stats);
        }
        if (stubMillis > 0) {
            IntervalStats stub = second(T0 + counts.length * 1000L, stubMillis, stubRequests);
            stats.add(stub);
            thresholds.onInterval(stub, stats);
        }
        return thresholds.judge(stats).get(0);
    }

    private static final int[] COUNTS = {80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 50, 40};

    @Test
    void theWorstFullWindowIsShownWithItsTime() {
        ThresholdOutcome outcome = judge("count>780", COUNTS, 300, 10);
        assertThat(outcome.status()).isEqualTo(Status.FAIL);
        assertThat(outcome.value()).isEqualTo(730.0);
        assertThat(outcome.detail()).startsWith("failed in 2 of 3 windows; worst window 2.0–12.0 s: ");
    }

    @Test
    void theLastStubOfASecondIsNotJudgedAsAFullWindow() {
        int[] steady = {80, 80, 80, 80, 80, 80, 80, 80, 80, 80};
        // one full window of 800; the stub's window would hold 720 + 10 = 730
        ThresholdOutcome outcome = judge("count>750", steady, 300, 10);
        assertThat(outcome.status()).isEqualTo(Status.PASS);
        assertThat(outcome.value()).isEqualTo(800.0);
        assertThat(outcome.detail()).startsWith("held in all 1 windows; worst window 0.0–10.0 s: ");
    }

    @Test
    void aRunShorterThanOneFullWindowHasNoData() {
        ThresholdOutcome outcome = judge("count>750", new int[] {80, 80, 80, 80, 80, 80, 80, 80, 80}, 300, 10);
        assertThat(outcome.status()).isEqualTo(Status.NO_DATA);
    }
}
