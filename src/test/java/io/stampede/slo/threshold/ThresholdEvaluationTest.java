package io.stampede.slo.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import io.stampede.stats.StatsRecorder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thresholds judged on a run with answers computable by hand: 100 requests over 10 s with latencies
 * 1..100 ms, the last 5 failed. Requests i = 10, 20, ..., 100 are POST /login, the other odd ones
 * GET /, the other even ones GET /health.
 */
class ThresholdEvaluationTest {

    private static RunStats run;

    @BeforeAll
    static void recordTheRun() {
        StatsRecorder recorder = new StatsRecorder(0);
        for (int i = 1; i <= 100; i++) {
            String method = i % 10 == 0 ? "POST" : "GET";
            String name = i % 10 == 0 ? "/login" : i % 2 == 1 ? "/" : "/health";
            recorder.record(method, name, i * 1000L, 10, i > 95 ? "HTTP 500 Internal Server Error" : null);
            if (i == 50) {
                // two intervals, to check that the run's totals, not one interval, are judged
                run = new RunStats(0);
                run.add(recorder.takeInterval(5_000, 10));
            }
        }
        run.add(recorder.takeInterval(10_000, 10));
    }

    private static ThresholdResult judge(String key, String expression) {
        return Threshold.parse(key, expression).evaluate(run);
    }

    @Test
    void trendAggregationsOverTheWholeRun() {
        assertThat(judge("http_req_duration", "p(95)<96").status()).isEqualTo(Status.PASS);
        assertThat(judge("http_req_duration", "p(95)<96").observed().getAsDouble()).isCloseTo(95.0, within(0.1));
        ThresholdResult avg = judge("http_req_duration", "avg<50");
        assertThat(avg.status()).isEqualTo(Status.FAIL);
        assertThat(avg.observed().getAsDouble()).isEqualTo(50.5);
        assertThat(avg.detail()).isEqualTo("avg=50.50ms");
        assertThat(avg.matchedRequests()).isEqualTo(100);
        assertThat(judge("http_req_duration", "avg<=50.5").passed()).isTrue();
        assertThat(judge("http_req_duration", "min==1").passed()).isTrue();
        assertThat(judge("http_req_duration", "max===100").passed()).isTrue();
        assertThat(judge("http_req_duration", "max<100").passed()).isFalse();
        assertThat(judge("http_req_duration", "p(100)==100").passed()).isTrue();
        // HdrHistogram keeps 3 significant digits: the median is 50 ms to within 0.1%.
        assertThat(judge("http_req_duration", "med<51").observed().getAsDouble()).isCloseTo(50.0, within(0.05));
        assertThat(judge("http_req_duration", "med<51").passed()).isTrue();
        assertThat(judge("http_req_duration", "p(99)>98").passed()).isTrue();
    }

    @Test
    void failedShareIsTheRateOfHttpReqFailed() {
        ThresholdResult rate = judge("http_req_failed", "rate<0.05");
        assertThat(rate.status()).isEqualTo(Status.FAIL); // 0.05 is not < 0.05
        assertThat(rate.observed().getAsDouble()).isEqualTo(0.05);
        assertThat(rate.detail()).isEqualTo("rate=5.00%");
        assertThat(judge("http_req_failed", "rate<=0.05").passed()).isTrue();
        assertThat(judge("http_req_failed", "rate!=0").passed()).isTrue();
    }

    @Test
    void httpReqsCountsRequestsAndItsRateIsPerSecondOfTheRun() {
        ThresholdResult count = judge("http_reqs", "count>=100");
        assertThat(count.status()).isEqualTo(Status.PASS);
        assertThat(count.detail()).isEqualTo("count=100");
        assertThat(judge("http_reqs", "count>100").passed()).isFalse();
        ThresholdResult rate = judge("http_reqs", "rate>10");
        assertThat(rate.observed().getAsDouble()).isEqualTo(10.0); // 100 requests in 10 s
        assertThat(rate.passed()).isFalse();
        assertThat(rate.detail()).isEqualTo("rate=10.00/s");
        assertThat(judge("http_reqs", "rate>=10").passed()).isTrue();
    }

    @Test
    void tagFiltersSelectExactlyTheMatchingRequests() {
        // POST /login: 10, 20, ..., 100 ms; 100 failed
        ThresholdResult login = judge("http_req_duration{name:/login}", "avg<56");
        assertThat(login.matchedRequests()).isEqualTo(10);
        assertThat(login.observed().getAsDouble()).isEqualTo(55.0);
        assertThat(judge("http_req_duration{name:/login}", "min==10").passed()).isTrue();
        assertThat(judge("http_req_failed{name:/login}", "rate==0.1").passed()).isTrue();
        assertThat(judge("http_reqs{name:/login}", "count==10").passed()).isTrue();
        // GET /health: even, not multiples of 10: 2000 ms over 40 requests; 96 and 98 failed
        ThresholdResult health = judge("http_req_duration{name:/health}", "avg==50");
        assertThat(health.matchedRequests()).isEqualTo(40);
        assertThat(health.passed()).isTrue();
        assertThat(judge("http_req_failed{name:/health}", "rate==0.05").passed()).isTrue();
        // GET /: odd, 1..99: 2500 ms over 50 requests
        assertThat(judge("http_req_duration{name:/,method:GET}", "avg==50").matchedRequests()).isEqualTo(50);
        assertThat(judge("http_req_duration{name:/,method:GET}", "max==99").passed()).isTrue();
        // all GETs: 5050 - 550 = 4500 ms over 90
        ThresholdResult gets = judge("http_req_duration{method:GET}", "avg==50");
        assertThat(gets.matchedRequests()).isEqualTo(90);
        assertThat(gets.passed()).isTrue();
        // method matches regardless of case, as the plan's SLO filters do
        assertThat(judge("http_reqs{method:post}", "count==10").passed()).isTrue();
        assertThat(judge("http_reqs{name:/login,method:GET}", "count==0").passed()).isTrue();
    }

    @Test
    void aFilterNamingNoRequestGivesNoDataAndSaysSo() {
        ThresholdResult trend = judge("http_req_duration{name:/nope}", "p(95)<500");
        assertThat(trend.status()).isEqualTo(Status.NO_DATA);
        assertThat(trend.passed()).isFalse();
        assertThat(trend.observed()).isEmpty();
        assertThat(trend.observedOrNull()).isNull();
        assertThat(trend.filterMatchesNoRequest()).isTrue();
        assertThat(trend.detail()).isEqualTo("filter {name:/nope} matches no request");
        assertThat(trend.metricKey()).isEqualTo("http_req_duration{name:/nope}");
        assertThat(trend.expression()).isEqualTo("p(95)<500");

        assertThat(judge("http_req_failed{name:/nope}", "rate<0.01").status()).isEqualTo(Status.NO_DATA);

        // A counter still counts zero, as in k6, and the result still flags the filter.
        ThresholdResult counter = judge("http_reqs{name:/nope}", "count<1");
        assertThat(counter.status()).isEqualTo(Status.PASS);
        assertThat(counter.filterMatchesNoRequest()).isTrue();
        assertThat(counter.detail()).isEqualTo("count=0; filter {name:/nope} matches no request");

        assertThat(judge("http_req_duration{name:/health}", "p(95)<500").filterMatchesNoRequest()).isFalse();
        assertThat(MetricKey.parse("http_reqs{name:/nope}").filter().matchesAny(run.totals().keySet())).isFalse();
        assertThat(MetricKey.parse("http_reqs{method:POST}").filter().matchesAny(run.totals().keySet())).isTrue();
    }

    @Test
    void aRunWithoutRequestsHasNoDataForTrendsAndRatesAndZeroForCounters() {
        RunStats empty = new RunStats(0);
        empty.add(new StatsRecorder(0).takeInterval(1_000, 0));
        ThresholdResult trend = Threshold.parse("http_req_duration", "p(95)<500").evaluate(empty);
        assertThat(trend.status()).isEqualTo(Status.NO_DATA);
        assertThat(trend.filterMatchesNoRequest()).isFalse();
        assertThat(trend.detail()).isEqualTo("no request");
        assertThat(Threshold.parse("http_req_failed", "rate<0.01").evaluate(empty).status()).isEqualTo(Status.NO_DATA);
        assertThat(Threshold.parse("http_reqs", "count>0").evaluate(empty).status()).isEqualTo(Status.FAIL);
        assertThat(Threshold.parse("http_reqs", "rate<1").evaluate(empty).status()).isEqualTo(Status.PASS);
    }

    @Test
    void evaluationDoesNotChangeTheRunsStatistics() {
        long before = run.totals().get(new RequestKey("GET", "/health")).count();
        judge("http_req_duration{method:GET}", "avg<1");
        judge("http_req_duration", "avg<1");
        assertThat(run.totals().get(new RequestKey("GET", "/health")).count()).isEqualTo(before);
        assertThat(run.total().count()).isEqualTo(100);
    }

    // ---- abortOnFail -------------------------------------------------------------------------------

    @Test
    void aFailingAbortOnFailThresholdAbortsOnlyOnceDelayAbortEvalHasPassed() {
        ThresholdSpec spec = ThresholdSpec.parse("http_req_failed",
                Map.of("threshold", "rate<0.01", "abortOnFail", true, "delayAbortEval", "10s"));
        ThresholdResult failing = spec.evaluate(run);
        assertThat(failing.status()).isEqualTo(Status.FAIL);
        assertThat(spec.shouldAbort(failing, Duration.ofSeconds(5))).isFalse();
        assertThat(spec.shouldAbort(failing, Duration.ofSeconds(10))).isFalse(); // strictly after, as in k6
        assertThat(spec.shouldAbort(failing, Duration.ofMillis(10_001))).isTrue();
        // the run itself lasted 10 s: not yet
        assertThat(spec.shouldAbort(run)).isFalse();
        assertThat(ThresholdSpec.of("http_req_failed", "rate<0.01", true, Duration.ofSeconds(9)).shouldAbort(run)).isTrue();
    }

    @Test
    void withoutDelayAFailureAbortsAtOnce() {
        ThresholdSpec spec = ThresholdSpec.parse("http_req_failed", Map.of("threshold", "rate<0.01", "abortOnFail", true));
        assertThat(spec.shouldAbort(spec.evaluate(run), Duration.ofMillis(1))).isTrue();
    }

    @Test
    void passingNoDataOrNoAbortOnFailNeverAborts() {
        Duration late = Duration.ofHours(1);
        ThresholdSpec passing = ThresholdSpec.of("http_req_failed", "rate<0.5", true, Duration.ZERO);
        assertThat(passing.shouldAbort(passing.evaluate(run), late)).isFalse();
        ThresholdSpec noData = ThresholdSpec.of("http_req_duration{name:/nope}", "p(95)<1", true, Duration.ZERO);
        assertThat(noData.shouldAbort(noData.evaluate(run), late)).isFalse();
        ThresholdSpec emptyCounter = ThresholdSpec.of("http_reqs{name:/nope}", "count>1", true, Duration.ZERO);
        assertThat(emptyCounter.evaluate(run).status()).isEqualTo(Status.FAIL);
        assertThat(emptyCounter.shouldAbort(emptyCounter.evaluate(run), late)).isFalse(); // k6 skips empty metrics mid-run
        ThresholdSpec noAbort = ThresholdSpec.of("http_req_failed", "rate<0.01");
        assertThat(noAbort.shouldAbort(noAbort.evaluate(run), late)).isFalse();
    }
}
