/**
 * Thresholds in k6's syntax, so k6 users can paste theirs into a plan.
 *
 * <h2>In a plan</h2>
 *
 * The {@code thresholds:} key maps metric keys to lists of expressions, exactly as k6's options:
 *
 * <pre>
 * thresholds:
 *   http_req_duration: ["p(95)&lt;500", "avg&lt;200"]
 *   "http_req_duration{name:/health}": ["p(99)&lt;100"]
 *   http_req_failed: [{ threshold: "rate&lt;0.01", abortOnFail: true, delayAbortEval: 10s }]
 *   http_reqs: ["count&gt;100", "rate&gt;10"]
 * </pre>
 *
 * <h2>In Java</h2>
 *
 * <pre>{@code
 * ThresholdSpec spec = ThresholdSpec.of("http_req_duration{name:/health}", "p(99)<100");
 * ThresholdResult result = spec.evaluate(runStats);   // PASS, FAIL or NO_DATA, with the observed value
 * }</pre>
 *
 * <h2>What k6 users should know</h2>
 *
 * <ul>
 *   <li>Metrics: {@code http_req_duration} (trend: {@code avg min med max p(N)}, milliseconds),
 *       {@code http_req_failed} (rate: {@code rate}, the failed share 0..1), {@code http_reqs}
 *       (counter: {@code count}, and {@code rate} per second of the run). Other k6 metrics, such as
 *       {@code checks}, are not recorded and are refused with the list of valid ones.</li>
 *   <li>Tags: {@code name} and {@code method}, the two things Stampede keeps statistics by. Others
 *       ({@code status}, {@code expected_response}, {@code scenario}, ...) are refused.</li>
 *   <li>Operators {@code < <= > >= == === !=}; numbers may be signed and have an exponent; a unit
 *       such as {@code 500ms} is refused, as in k6.</li>
 *   <li>Percentiles come from HdrHistogram and are exact to 3 significant digits (the highest value
 *       equivalent to the sample at that rank); k6 interpolates between exact samples. Both agree to
 *       0.1%.</li>
 *   <li>No data: a trend or rate threshold whose requests are none (no request at all, or a tag
 *       filter naming none) is {@code NO_DATA}, which does not pass. k6 instead judges an empty trend
 *       as if every aggregate were 0 and passes an empty rate; for a load test, "nothing was
 *       measured" is not evidence that the objective held. A counter with no request counts 0 and is
 *       judged, as in k6.</li>
 *   <li>A tag filter that names no request of the run is flagged in the result
 *       ({@link io.stampede.slo.threshold.ThresholdResult#filterMatchesNoRequest()}), since it is
 *       most likely a typo.</li>
 *   <li>{@code abortOnFail} stops the run once the threshold fails and the run has lasted longer
 *       than {@code delayAbortEval}; a bare number there means milliseconds, as in k6.</li>
 *   <li>Unknown keys in the object form are refused (k6 ignores them silently).</li>
 * </ul>
 */
package io.stampede.slo.threshold;
