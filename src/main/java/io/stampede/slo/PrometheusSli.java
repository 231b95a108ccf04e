package io.stampede.slo;

import java.net.URI;
import java.time.Duration;

/**
 * Where a server-side SLO reads its events: two PromQL queries over counters, as OpenSLO's
 * {@code ratioMetric} with {@code counter: true}. Each is polled every {@code step}; the SLI of a
 * second is the increase of {@code good} over the increase of {@code total}.
 *
 * @param url   Prometheus's base URL, e.g. {@code http://127.0.0.1:9090}
 * @param good  PromQL for the good events so far, e.g. {@code sum(http_requests_total{code!~"5.."})}
 * @param total PromQL for all events so far, e.g. {@code sum(http_requests_total)}
 * @param step  how often both are read: the scrape interval (a faster poll reads the same samples)
 */
public record PrometheusSli(URI url, String good, String total, Duration step) {

    /** Prometheus's own default scrape interval is 1 min; Stampede's seconds want the 1 s a test setup uses. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(1);
}
