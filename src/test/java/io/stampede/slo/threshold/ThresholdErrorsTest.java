package io.stampede.slo.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every mistake, with its exact message. Messages never name a file: the plan reader prefixes
 * file:line:column.
 */
class ThresholdErrorsTest {

    private static String error(ThrowingCallable call) {
        return catchInvalid(call).getMessage();
    }

    private static InvalidThresholdException catchInvalid(ThrowingCallable call) {
        try {
            call.call();
        } catch (InvalidThresholdException e) {
            return e;
        } catch (Throwable other) {
            throw new AssertionError("expected InvalidThresholdException, got " + other, other);
        }
        throw new AssertionError("expected InvalidThresholdException, nothing thrown");
    }

    private static String expression(String metricKey, String expression) {
        return error(() -> Threshold.parse(metricKey, expression));
    }

    // ---- metrics -----------------------------------------------------------------------------------

    @Test
    void anUnknownMetricIsNamedWithTheValidOnes() {
        assertThat(error(() -> MetricKey.parse("http_req_duraton")))
                .isEqualTo("unknown metric 'http_req_duraton'; valid metrics: http_req_duration, http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving");
        assertThat(error(() -> MetricKey.parse("http_req_duraton{name:/health}")))
                .isEqualTo("unknown metric 'http_req_duraton'; valid metrics: http_req_duration, http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving");
    }

    @Test
    void aK6MetricStampedeDoesNotRecordIsToldApartFromATypo() {
        assertThat(error(() -> MetricKey.parse("checks")))
                .isEqualTo("metric 'checks' is a k6 metric that Stampede does not record;"
                        + " valid metrics: http_req_duration, http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving");
    }

    // ---- aggregations ------------------------------------------------------------------------------

    @Test
    void anAggregationTheMetricTypeLacksIsNamedWithThoseItHas() {
        assertThat(expression("http_req_duration", "p95<500")).isEqualTo(
                "'p95<500': aggregation 'p95' is not valid for http_req_duration (a trend metric);"
                        + " valid aggregations: avg, min, med, max, p(N) with N from 0 to 100");
        assertThat(expression("http_req_duration", "rate<0.1")).isEqualTo(
                "'rate<0.1': aggregation 'rate' is not valid for http_req_duration (a trend metric);"
                        + " valid aggregations: avg, min, med, max, p(N) with N from 0 to 100");
        assertThat(expression("http_req_failed", "avg<1")).isEqualTo(
                "'avg<1': aggregation 'avg' is not valid for http_req_failed (a rate metric); valid aggregations: rate");
        assertThat(expression("http_req_failed", "count<1")).isEqualTo(
                "'count<1': aggregation 'count' is not valid for http_req_failed (a rate metric); valid aggregations: rate");
        assertThat(expression("http_reqs", "p(95)<3")).isEqualTo(
                "'p(95)<3': aggregation 'p(95)' is not valid for http_reqs (a counter metric); valid aggregations: count, rate");
        assertThat(expression("http_reqs", "value<3")).isEqualTo(
                "'value<3': aggregation 'value' is not valid for http_reqs (a counter metric); valid aggregations: count, rate");
    }

    // ---- malformed expressions ----------------------------------------------------------------------

    @Test
    void aMalformedExpressionIsShownWithACaretUnderTheOffendingCharacter() {
        InvalidThresholdException e = catchInvalid(() -> Threshold.parse("http_req_duration", "p(95)<<500"));
        assertThat(e.getMessage()).isEqualTo("""
                'p(95)<<500': unexpected '<' at position 7
                 p(95)<<500
                       ^ expected a number""");
        assertThat(e.position()).isEqualTo(7);
    }

    @Test
    void eachPartOfTheExpressionSaysWhatWasExpected() {
        assertThat(expression("http_req_duration", "p(95) 500")).isEqualTo("""
                'p(95) 500': unexpected '5' at position 7
                 p(95) 500
                       ^ expected an operator: <, <=, >, >=, ==, ===, !=""");
        assertThat(expression("http_req_duration", "avg=5")).isEqualTo("""
                'avg=5': unexpected '=' at position 4
                 avg=5
                    ^ expected an operator: <, <=, >, >=, ==, ===, !=""");
        assertThat(expression("http_req_duration", "p(95<500")).isEqualTo("""
                'p(95<500': unexpected '<' at position 5
                 p(95<500
                     ^ expected ')'""");
        assertThat(expression("http_req_duration", "p(x)<500")).isEqualTo("""
                'p(x)<500': unexpected 'x' at position 3
                 p(x)<500
                   ^ expected a percentile from 0 to 100""");
        assertThat(expression("http_req_duration", "p(101)<500")).isEqualTo("""
                'p(101)<500': percentile 101 is out of range at position 3
                 p(101)<500
                   ^ expected a percentile from 0 to 100""");
        assertThat(expression("http_req_duration", "<500")).isEqualTo("""
                '<500': unexpected '<' at position 1
                 <500
                 ^ expected an aggregation: avg, min, med, max, p(N) with N from 0 to 100""");
        assertThat(expression("http_req_failed", "")).isEqualTo("""
                '': unexpected end at position 1
                \s
                 ^ expected an aggregation: rate""");
        assertThat(expression("http_reqs", "count>")).isEqualTo("""
                'count>': unexpected end at position 7
                 count>
                       ^ expected a number""");
        assertThat(expression("http_reqs", "count > 1 2")).isEqualTo("""
                'count > 1 2': unexpected '2' at position 11
                 count > 1 2
                           ^ expected the end""");
    }

    @Test
    void aUnitAfterADurationIsRefusedAsInK6WithAHint() {
        assertThat(expression("http_req_duration", "p(95)<500ms")).isEqualTo("""
                'p(95)<500ms': unexpected 'm' at position 10
                 p(95)<500ms
                          ^ expected the end (durations are plain milliseconds, as in k6)""");
    }

    // ---- tags --------------------------------------------------------------------------------------

    @Test
    void anUnknownTagIsNamedWithTheValidOnes() {
        assertThat(error(() -> MetricKey.parse("http_req_duration{status:200}")))
                .isEqualTo("unknown tag 'status' in 'http_req_duration{status:200}'; valid tags: name, method, expected_response");
        assertThat(error(() -> MetricKey.parse("http_req_duration{expected_response:yes}")))
                .isEqualTo("tag 'expected_response' is true or false, got 'yes' in 'http_req_duration{expected_response:yes}'");
    }

    @Test
    void aTagGivenTwiceIsRefused() {
        assertThat(error(() -> MetricKey.parse("http_reqs{name:/a,name:/b}")))
                .isEqualTo("tag 'name' is given twice in 'http_reqs{name:/a,name:/b}'; give each tag once");
    }

    @Test
    void malformedTagsAreShownWithACaret() {
        assertThat(error(() -> MetricKey.parse("http_reqs{name:/a"))).isEqualTo("""
                'http_reqs{name:/a': unexpected end at position 18
                 http_reqs{name:/a
                                  ^ expected '}' to close the tags""");
        assertThat(error(() -> MetricKey.parse("http_reqs{}"))).isEqualTo("""
                'http_reqs{}': unexpected '}' at position 11
                 http_reqs{}
                           ^ expected a tag like name:/health or method:GET""");
        assertThat(error(() -> MetricKey.parse("http_reqs{name}"))).isEqualTo("""
                'http_reqs{name}': unexpected '}' at position 15
                 http_reqs{name}
                               ^ expected ':' and a value""");
        assertThat(error(() -> MetricKey.parse("http_reqs{name:}"))).isEqualTo("""
                'http_reqs{name:}': unexpected '}' at position 16
                 http_reqs{name:}
                                ^ expected a value after ':'""");
        assertThat(error(() -> MetricKey.parse("http_reqs{name:/a,}"))).isEqualTo("""
                'http_reqs{name:/a,}': unexpected '}' at position 19
                 http_reqs{name:/a,}
                                   ^ expected a tag like name:/health or method:GET""");
        assertThat(error(() -> MetricKey.parse("http_reqs{name:/a}x"))).isEqualTo("""
                'http_reqs{name:/a}x': unexpected 'x' at position 19
                 http_reqs{name:/a}x
                                   ^ expected nothing after '}'""");
        assertThat(error(() -> MetricKey.parse("http_reqsname:/a}"))).isEqualTo("""
                'http_reqsname:/a}': unexpected '}' at position 17
                 http_reqsname:/a}
                                 ^ expected '{' before the tags""");
        assertThat(error(() -> MetricKey.parse("{name:/a}"))).isEqualTo("""
                '{name:/a}': unexpected '{' at position 1
                 {name:/a}
                 ^ expected a metric name""");
    }

    // ---- the object form ---------------------------------------------------------------------------

    @Test
    void anUnknownKeyInTheObjectFormIsNamedWithTheValidOnes() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("threshold", "rate<0.01");
        object.put("abortOnFial", true);
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", object)))
                .isEqualTo("unknown key 'abortOnFial' in a threshold object; valid keys: threshold, abortOnFail, delayAbortEval");
        // k6's Go decoder would take "abortonfail"; we ask for the documented spelling.
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", Map.of("threshold", "rate<0.01", "abortonfail", true))))
                .isEqualTo("unknown key 'abortonfail' in a threshold object; valid keys: threshold, abortOnFail, delayAbortEval");
    }

    @Test
    void anErrorInOneKeyOfTheObjectFormNamesThatKeySoAReaderCanPointAtIt() {
        assertThat(field(Map.of("threshold", "rate<0.01", "abortOnFail", "maybe"))).contains("abortOnFail");
        assertThat(field(Map.of("threshold", "rate<0.01", "delayAbortEval", "later"))).contains("delayAbortEval");
        assertThat(field(Map.of("threshold", "rate<<0.01"))).contains("threshold");
        assertThat(field(Map.of("threshold", 5))).contains("threshold");
        assertThat(field(Map.of("abortOnFail", true))).as("no threshold: the object itself").isEmpty();
    }

    private static Optional<String> field(Map<String, Object> object) {
        try {
            ThresholdSpec.parse("http_req_failed", object);
        } catch (InvalidThresholdException e) {
            return e.field();
        }
        throw new AssertionError("accepted: " + object);
    }

    @Test
    void theObjectFormNeedsAThresholdAndValuesOfTheRightKind() {
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", Map.of("abortOnFail", true))))
                .isEqualTo("a threshold object needs the key 'threshold' (valid keys: threshold, abortOnFail, delayAbortEval)");
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", Map.of("threshold", 5))))
                .isEqualTo("'threshold' must be an expression like 'p(95)<500', not 5");
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", Map.of("threshold", "rate<0.01", "abortOnFail", "yes"))))
                .isEqualTo("'abortOnFail' must be true or false, not 'yes'");
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed",
                Map.of("threshold", "rate<0.01", "delayAbortEval", "10 sec"))))
                .isEqualTo("'delayAbortEval': '10 sec' is not a duration"
                        + " (examples: 10s, 1m30s, 500ms; a bare number means milliseconds, as in k6)");
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed",
                Map.of("threshold", "rate<0.01", "delayAbortEval", -5))))
                .isEqualTo("'delayAbortEval': '-5' is not a duration"
                        + " (examples: 10s, 1m30s, 500ms; a bare number means milliseconds, as in k6)");
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", List.of("rate<0.01"))))
                .isEqualTo("a threshold is an expression like 'p(95)<500' or an object with the keys"
                        + " threshold, abortOnFail, delayAbortEval, not [rate<0.01]");
    }

    @Test
    void anExpressionErrorInTheObjectFormIsTheSameAsInTheShortForm() {
        assertThat(error(() -> ThresholdSpec.parse("http_req_failed", Map.of("threshold", "rate<<0.01"))))
                .isEqualTo(expression("http_req_failed", "rate<<0.01"));
    }

    @Test
    void parseAllSaysWhichEntryIsWrongSinceAMapHasNoPositions() {
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("http_reqs", List.of("count>1", "avg<3"));
        assertThat(error(() -> ThresholdSpec.parseAll(thresholds))).isEqualTo(
                "thresholds.http_reqs[1]: 'avg<3': aggregation 'avg' is not valid for http_reqs (a counter metric);"
                        + " valid aggregations: count, rate");
        assertThat(error(() -> ThresholdSpec.parseAll(Map.of("vus", List.of("value<3"))))).isEqualTo(
                "thresholds.vus: metric 'vus' is a k6 metric that Stampede does not record;"
                        + " valid metrics: http_req_duration, http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending, http_req_waiting, http_req_receiving");
    }

    @Test
    void itIsAnIllegalArgumentExceptionSoExistingHandlersCatchIt() {
        assertThatThrownBy(() -> Threshold.parse("http_reqs", "count>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catchInvalid(() -> MetricKey.parse("nope")).position()).isZero();
    }
}
