package io.stampede.slo.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.RunStats;
import io.stampede.stats.StatsRecorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The k6 phase metrics judged on a run computable by hand: 100 requests to GET / whose wait for the
 * first byte is i ms (i = 1..100), the first on a new connection (4 ms to connect), and 10 to
 * GET /health without phase times (as a request not made by the HTTP client).
 */
class PhaseThresholdTest {

    private static RunStats run;

    @BeforeAll
    static void recordTheRun() {
        StatsRecorder recorder = new StatsRecorder(0);
        PhaseTimes times = new PhaseTimes();
        for (int i = 1; i <= 100; i++) {
            times.reset();
            if (i == 1) {
                times.add(Phase.CONNECTING, 4_000_000);
            }
            times.add(Phase.SENDING, 20_000);
            times.add(Phase.WAITING, i * 1_000_000L);
            recorder.record("GET", "/", i * 1000L + 100, 10, null, System.nanoTime(), times);
        }
        for (int i = 0; i < 10; i++) {
            recorder.record("GET", "/health", 1_000, 2, null);
        }
        run = new RunStats(0);
        run.add(recorder.takeInterval(10_000, 10));
    }

    private static ThresholdResult judge(String key, String expression) {
        return Threshold.parse(key, expression).evaluate(run);
    }

    @Test
    void waitingFailsWhenTheServiceIsSlowToAnswerAndPassesOtherwise() {
        ThresholdResult p95 = judge("http_req_waiting", "p(95)<50");
        assertThat(p95.status()).isEqualTo(Status.FAIL);
        // 2 significant digits: 95 ms to within 1%
        assertThat(p95.observed().getAsDouble()).isCloseTo(95, within(1.0));
        assertThat(p95.detail()).startsWith("p(95)=9");
        assertThat(judge("http_req_waiting", "p(95)<200").status()).isEqualTo(Status.PASS);
        assertThat(judge("http_req_waiting", "avg<51").passed()).isTrue();
        assertThat(judge("http_req_waiting", "avg<50").passed()).isFalse();
        assertThat(judge("http_req_waiting", "max>=100").passed()).isTrue();
    }

    @Test
    void eachPhaseIsItsOwnMetric() {
        assertThat(judge("http_req_connecting", "max<5").passed()).isTrue();
        assertThat(judge("http_req_connecting", "max<3").passed()).isFalse();   // the first use: 4 ms
        assertThat(judge("http_req_connecting", "p(95)==0").passed()).isTrue(); // the others reused it
        assertThat(judge("http_req_tls_handshaking", "max==0").passed()).isTrue();
        assertThat(judge("http_req_sending", "med<0.021").passed()).isTrue();
        assertThat(judge("http_req_receiving", "max==0").passed()).isTrue();
    }

    @Test
    void aFilterWithoutPhaseTimesHasNoData() {
        ThresholdResult health = judge("http_req_waiting{name:/health}", "p(95)<50");
        assertThat(health.status()).isEqualTo(Status.NO_DATA);
        assertThat(health.detail()).isEqualTo("no request with phase times");
        assertThat(judge("http_req_waiting{name:/}", "p(95)<50").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aPhaseIsATrendAndHasNoRate() {
        assertThat(Metric.named("http_req_waiting").type()).isEqualTo(MetricType.TREND);
        assertThat(Metric.named("http_req_waiting").phase()).contains(Phase.WAITING);
        assertThat(Metric.named("http_req_duration").phase()).isEmpty();
        assertThatThrownBy(() -> Threshold.parse("http_req_waiting", "rate<0.1"))
                .isInstanceOf(InvalidThresholdException.class).hasMessageContaining("not valid for http_req_waiting");
    }
}
