package io.stampede.slo.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k6's {@code expected_response} tag over known requests: 6 successes at 100 ms and 4 failures
 * refused in 1 ms. By hand: over successes, count 6, avg 100 ms, p(95) 100 ms; over all, the
 * median is 100 ms but min is 1 ms; over failures, count 4, rate 100%.
 */
class ExpectedResponseTest {

    private static RunStats run() {
        EntryStats entry = new EntryStats();
        for (int i = 0; i < 6; i++) {
            entry.record(100_000, 0, false);
        }
        for (int i = 0; i < 4; i++) {
            entry.record(1_000, 0, true);
        }
        RunStats stats = new RunStats(0);
        stats.add(new IntervalStats(0, 1000, 1, Map.of(new RequestKey("GET", "/"), entry), Map.of()));
        return stats;
    }

    private static double observed(String key, String expression) {
        return Threshold.parse(key, expression).evaluate(run()).observed().getAsDouble();
    }

    @Test
    void expectedResponseTrueKeepsTheSuccessfulRequestsOnly() {
        assertThat(observed("http_reqs{expected_response:true}", "count>0")).isEqualTo(6);
        assertThat(observed("http_req_duration{expected_response:true}", "avg<1000")).isCloseTo(100, within(0.1));
        assertThat(observed("http_req_duration{expected_response:true}", "min<1000")).isCloseTo(100, within(0.1));
        assertThat(observed("http_req_duration{expected_response:true}", "p(95)<1000")).isCloseTo(100, within(0.1));
        assertThat(observed("http_req_duration", "min<1000")).isEqualTo(1.0);
    }

    @Test
    void expectedResponseFalseKeepsTheFailedOnes() {
        assertThat(observed("http_reqs{expected_response:false}", "count>0")).isEqualTo(4);
        assertThat(observed("http_req_failed{expected_response:false}", "rate<1")).isEqualTo(1.0);
        assertThat(observed("http_req_duration{expected_response:false,name:/}", "max<1000")).isCloseTo(1, within(0.01));
    }

    @Test
    void theTagIsShownAsWritten() {
        assertThat(MetricKey.parse("http_req_duration{name:/,expected_response:true}").filter().text())
                .isEqualTo("{name:/,expected_response:true}");
    }
}
