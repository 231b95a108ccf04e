package io.stampede.slo.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every form a k6 user may paste: keys with and without tags, expressions, both list-item forms. */
class ThresholdParsingTest {

    @Test
    void theWholeThresholdsSectionOfAPlanReadsAsInK6() throws Exception {
        String yaml = """
                thresholds:
                  http_req_duration: ["p(95)<500", "avg<200"]
                  "http_req_duration{name:/health}": ["p(99)<100"]
                  http_req_failed: [{ threshold: "rate<0.01", abortOnFail: true, delayAbortEval: 10s }]
                  http_reqs: ["count>100", "rate>10"]
                """;
        @SuppressWarnings("unchecked")
        Map<String, Object> thresholds = (Map<String, Object>) new YAMLMapper().readValue(yaml, Map.class).get("thresholds");

        List<ThresholdSpec> specs = ThresholdSpec.parseAll(thresholds);

        assertThat(specs).extracting(s -> s.threshold().toString()).containsExactly(
                "http_req_duration p(95)<500", "http_req_duration avg<200", "http_req_duration{name:/health} p(99)<100",
                "http_req_failed rate<0.01", "http_reqs count>100", "http_reqs rate>10");
        ThresholdSpec p95 = specs.get(0);
        assertThat(p95.threshold().key().metric()).isEqualTo(Metric.HTTP_REQ_DURATION);
        assertThat(p95.threshold().key().filter()).isEqualTo(TagFilter.NONE);
        assertThat(p95.threshold().aggregation()).isEqualTo(new Aggregation.Percentile(95));
        assertThat(p95.threshold().operator()).isEqualTo(Operator.LESS);
        assertThat(p95.threshold().bound()).isEqualTo(500.0);
        assertThat(p95.abortOnFail()).isFalse();
        assertThat(p95.delayAbortEval()).isEqualTo(Duration.ZERO);
        assertThat(specs.get(1).threshold().aggregation()).isEqualTo(Aggregation.AVG);
        assertThat(specs.get(2).threshold().key().filter()).isEqualTo(new TagFilter(Optional.of("/health"), Optional.empty()));
        ThresholdSpec failed = specs.get(3);
        assertThat(failed.threshold().key().metric()).isEqualTo(Metric.HTTP_REQ_FAILED);
        assertThat(failed.threshold().aggregation()).isEqualTo(Aggregation.RATE);
        assertThat(failed.threshold().bound()).isEqualTo(0.01);
        assertThat(failed.abortOnFail()).isTrue();
        assertThat(failed.delayAbortEval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(specs.get(4).threshold().aggregation()).isEqualTo(Aggregation.COUNT);
        assertThat(specs.get(4).threshold().operator()).isEqualTo(Operator.GREATER);
        assertThat(specs.get(5).threshold().key().metric().type()).isEqualTo(MetricType.COUNTER);
        assertThat(specs.get(5).threshold().aggregation()).isEqualTo(Aggregation.RATE);
    }

    @Test
    void k6OptionsAsJsonReadTheSameWay() throws Exception {
        String json = """
                {"http_req_duration": [{"threshold": "p(99) < 10", "abortOnFail": true}], "http_reqs": ["count>=1"]}
                """;
        @SuppressWarnings("unchecked")
        Map<String, Object> thresholds = new JsonMapper().readValue(json, Map.class);
        List<ThresholdSpec> specs = ThresholdSpec.parseAll(thresholds);
        assertThat(specs).hasSize(2);
        assertThat(specs.get(0).abortOnFail()).isTrue();
        assertThat(specs.get(0).delayAbortEval()).isZero();
        assertThat(specs.get(1).threshold().operator()).isEqualTo(Operator.GREATER_OR_EQUAL);
    }

    @Test
    void everyTrendAggregationParses() {
        assertThat(agg("avg<1")).isEqualTo(Aggregation.AVG);
        assertThat(agg("min<1")).isEqualTo(Aggregation.MIN);
        assertThat(agg("med<1")).isEqualTo(Aggregation.MED);
        assertThat(agg("max<1")).isEqualTo(Aggregation.MAX);
        assertThat(agg("p(0)<1")).isEqualTo(new Aggregation.Percentile(0));
        assertThat(agg("p(100)<1")).isEqualTo(new Aggregation.Percentile(100));
        assertThat(agg("p(99.99)<1")).isEqualTo(new Aggregation.Percentile(99.99));
        assertThat(agg("p(99.90)<1").text()).isEqualTo("p(99.9)");
        assertThat(agg("p(90)<1").text()).isEqualTo("p(90)");
    }

    private static Aggregation agg(String expression) {
        return Threshold.parse("http_req_duration", expression).aggregation();
    }

    @Test
    void everyOperatorParsesAndComparesAsInK6() {
        assertThat(op("avg<1")).isEqualTo(Operator.LESS);
        assertThat(op("avg<=1")).isEqualTo(Operator.LESS_OR_EQUAL);
        assertThat(op("avg>1")).isEqualTo(Operator.GREATER);
        assertThat(op("avg>=1")).isEqualTo(Operator.GREATER_OR_EQUAL);
        assertThat(op("avg==1")).isEqualTo(Operator.EQUAL);
        assertThat(op("avg===1")).isEqualTo(Operator.STRICTLY_EQUAL);
        assertThat(op("avg!=1")).isEqualTo(Operator.NOT_EQUAL);

        assertThat(Operator.LESS.test(1, 1)).isFalse();
        assertThat(Operator.LESS_OR_EQUAL.test(1, 1)).isTrue();
        assertThat(Operator.GREATER.test(1, 1)).isFalse();
        assertThat(Operator.GREATER_OR_EQUAL.test(1, 1)).isTrue();
        assertThat(Operator.EQUAL.test(1, 1)).isTrue();
        assertThat(Operator.STRICTLY_EQUAL.test(1, 1)).isTrue();
        assertThat(Operator.NOT_EQUAL.test(1, 1)).isFalse();
        assertThat(Operator.NOT_EQUAL.test(1, 2)).isTrue();
    }

    private static Operator op(String expression) {
        return Threshold.parse("http_req_duration", expression).operator();
    }

    @Test
    void blanksBetweenThePartsAreAllowedAndTheTextIsKeptAsWritten() {
        Threshold t = Threshold.parse("http_req_duration", "  p(90) <  400 ");
        assertThat(t.aggregation()).isEqualTo(new Aggregation.Percentile(90));
        assertThat(t.bound()).isEqualTo(400.0);
        assertThat(t.expression()).isEqualTo("  p(90) <  400 ");
    }

    @Test
    void numbersMayBeFractionalSignedOrHaveAnExponent() {
        assertThat(Threshold.parse("http_req_failed", "rate<0.01").bound()).isEqualTo(0.01);
        assertThat(Threshold.parse("http_req_failed", "rate<.5").bound()).isEqualTo(0.5);
        assertThat(Threshold.parse("http_req_failed", "rate>-1").bound()).isEqualTo(-1.0);
        assertThat(Threshold.parse("http_reqs", "count>1e3").bound()).isEqualTo(1000.0);
        assertThat(Threshold.parse("http_reqs", "count>5.").bound()).isEqualTo(5.0);
    }

    @Test
    void counterAndRateMetricsTakeTheirAggregations() {
        assertThat(Threshold.parse("http_reqs", "count>100").aggregation()).isEqualTo(Aggregation.COUNT);
        assertThat(Threshold.parse("http_reqs", "rate>10").aggregation()).isEqualTo(Aggregation.RATE);
        assertThat(Threshold.parse("http_req_failed", "rate<0.01").aggregation()).isEqualTo(Aggregation.RATE);
    }

    @Test
    void tagsInTheKeyNarrowTheRequests() {
        assertThat(filter("http_req_duration{name:/health}")).isEqualTo(new TagFilter(Optional.of("/health"), Optional.empty()));
        assertThat(filter("http_req_duration{method:POST}")).isEqualTo(new TagFilter(Optional.empty(), Optional.of("POST")));
        assertThat(filter("http_req_duration{name:/login,method:POST}"))
                .isEqualTo(new TagFilter(Optional.of("/login"), Optional.of("POST")));
        // As in k6: blanks and quotes around names and values are dropped, a value may hold ':'.
        assertThat(filter("http_req_duration{ name : \"/health\" , 'method':GET }"))
                .isEqualTo(new TagFilter(Optional.of("/health"), Optional.of("GET")));
        assertThat(filter("http_reqs{name:http://127.0.0.1:5001/}"))
                .isEqualTo(new TagFilter(Optional.of("http://127.0.0.1:5001/"), Optional.empty()));
        MetricKey key = MetricKey.parse("http_req_duration{name:/health}");
        assertThat(key.text()).isEqualTo("http_req_duration{name:/health}");
        assertThat(key.filter().text()).isEqualTo("{name:/health}");
        assertThat(new TagFilter(Optional.of("/a"), Optional.of("GET")).text()).isEqualTo("{name:/a,method:GET}");
    }

    private static TagFilter filter(String key) {
        return MetricKey.parse(key).filter();
    }

    @Test
    void listItemsComeInBothFormsAndFromExplicitArguments() {
        MetricKey key = MetricKey.parse("http_req_failed");
        ThresholdSpec shortForm = ThresholdSpec.parse(key, "rate<0.01");
        ThresholdSpec objectForm = ThresholdSpec.parse(key, Map.of("threshold", "rate<0.01"));
        ThresholdSpec explicit = ThresholdSpec.of("http_req_failed", "rate<0.01", false, Duration.ZERO);
        assertThat(shortForm).isEqualTo(objectForm).isEqualTo(explicit).isEqualTo(ThresholdSpec.of("http_req_failed", "rate<0.01"));

        ThresholdSpec full = ThresholdSpec.parse("http_req_failed",
                Map.of("threshold", "rate<0.01", "abortOnFail", "true", "delayAbortEval", "1m30s"));
        assertThat(full.abortOnFail()).isTrue();
        assertThat(full.delayAbortEval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void delayAbortEvalReadsAsK6ReadsIt() {
        assertThat(delay("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(delay("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(delay("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(delay("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(delay("1d12h")).isEqualTo(Duration.ofHours(36));
        assertThat(delay(" 2h ")).isEqualTo(Duration.ofHours(2));
        // A bare number means milliseconds in k6, whether written as text or as a number.
        assertThat(delay("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(delay(10)).isEqualTo(Duration.ofMillis(10));
        assertThat(delay(1.5)).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(delay(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(ThresholdSpec.parse("http_reqs", Collections.singletonMap("threshold", "count>1"))
                .delayAbortEval()).isZero();
    }

    private static Duration delay(Object value) {
        return ThresholdSpec.parse("http_req_failed", Map.of("threshold", "rate<0.01", "delayAbortEval", value))
                .delayAbortEval();
    }
}
