package io.stampede.target;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.stampede.prometheus.LatencyBuckets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo service's own view of its traffic, as a server-side SLI reads it from Prometheus:
 * {@code http_requests_total{code,method,route}} and {@code http_request_duration_seconds} in
 * {@link LatencyBuckets}, from the request's first byte to its answer being written. The route is
 * the pattern ({@code /item/{id}}), {@code other} for a path no route takes, so the series stay
 * few whatever clients ask. Lock-free on the request path: a map lookup and two adders.
 *
 * <pre>
 * sum(rate(http_requests_total{code!~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
 * </pre>
 */
final class DemoMetrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private record Series(int code, String method, String route) {
    }

    /** One series' buckets (per bucket, not cumulative) and its sum in nanoseconds. */
    private record Counts(LongAdder[] buckets, LongAdder sumNanos) {
        Counts() {
            this(new LongAdder[LatencyBuckets.count()], new LongAdder());
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final ConcurrentHashMap<Series, Counts> series = new ConcurrentHashMap<>();

    /** Counts one answered request. */
    void record(String method, String route, int code, long nanos) {
        Counts counts = series.computeIfAbsent(new Series(code, known(method), route), s -> new Counts());
        counts.buckets()[LatencyBuckets.index(TimeUnit.NANOSECONDS.toMicros(nanos))].increment();
        counts.sumNanos().add(nanos);
    }

    /** A method as a label: any other than these is {@code other}, so a client cannot make series at will. */
    private static String known(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" -> method;
            default -> "other";
        };
    }

    byte[] render() {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("http_requests")
                .help("Requests answered, by status code, method and route.");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("http_request_duration_seconds")
                .help("Time from a request's first byte to its answer, by status code, method and route.");
        series.forEach((s, counts) -> {
            Labels labels = Labels.of("code", Integer.toString(s.code()), "method", s.method(), "route", s.route());
            long[] perBucket = new long[counts.buckets().length];
            long total = 0;
            for (int i = 0; i < perBucket.length; i++) {
                perBucket[i] = counts.buckets()[i].sum();
                total += perBucket[i];
            }
            requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(total).build());
            latency.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                    .classicHistogramBuckets(LatencyBuckets.of(perBucket)).sum(counts.sumNanos().sum() / 1e9).build());
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            WRITER.write(out, MetricSnapshots.of(requests.build(), latency.build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
