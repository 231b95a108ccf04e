package io.stampede.web;

import io.stampede.stats.EntryStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code GET /metrics} in Prometheus' text exposition format 0.0.4, written by hand because no
 * Prometheus library is on the classpath. Counters and the latency summary cover the whole run;
 * quantiles come from the run's HdrHistogram per request key.
 *
 * <pre>
 * stampede_requests_total{method="GET",name="/"} 6840
 * stampede_response_time_seconds{method="GET",name="/",quantile="0.95"} 0.0041
 * </pre>
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private PrometheusText() {
    }

    /** @param stats the published copy, or null before the run started */
    static String render(RunStats stats, int activeFaults) {
        StringBuilder out = new StringBuilder(1024);
        Map<RequestKey, EntryStats> totals = stats == null ? Map.of() : stats.totals();
        header(out, "stampede_requests_total", "counter", "Requests completed, by request.");
        totals.forEach((key, e) -> sample(out, "stampede_requests_total", labels(key, null), e.count()));
        header(out, "stampede_failures_total", "counter", "Requests that failed, by request.");
        totals.forEach((key, e) -> sample(out, "stampede_failures_total", labels(key, null), e.failures()));
        header(out, "stampede_response_time_seconds", "summary", "Response time over the run so far, by request.");
        totals.forEach((key, e) -> {
            for (double q : QUANTILES) {
                sample(out, "stampede_response_time_seconds", labels(key, number(q)), e.percentileMillis(q * 100) / 1000.0);
            }
            sample(out, "stampede_response_time_seconds_sum", labels(key, null), e.latencySumMicros() / 1_000_000.0);
            sample(out, "stampede_response_time_seconds_count", labels(key, null), e.count());
        });
        header(out, "stampede_users", "gauge", "Users running.");
        sample(out, "stampede_users", "", stats == null ? 0 : stats.users());
        header(out, "stampede_active_faults", "gauge", "Faults in effect now.");
        sample(out, "stampede_active_faults", "", activeFaults);
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private static String labels(RequestKey key, String quantile) {
        StringBuilder out = new StringBuilder("{method=\"").append(escape(key.method()))
                .append("\",name=\"").append(escape(key.name())).append('"');
        if (quantile != null) {
            out.append(",quantile=\"").append(quantile).append('"');
        }
        return out.append('}').toString();
    }

    /** The spec's label value escapes: backslash, double quote and line feed. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Plain decimal (no exponent), integers without a fraction; NaN and infinities as the format spells them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
