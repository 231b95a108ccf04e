package io.stampede.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an instant query returns, one type per {@code resultType} of Prometheus's HTTP API. Values
 * are doubles as Prometheus sends them ({@code NaN}, {@code +Inf} included); times are the
 * evaluation instants.
 *
 * <pre>{@code
 * switch (client.query("sum(rate(http_requests_total[1m]))")) {
 *     case QueryResult.Vector v -> v.samples().forEach(s -> System.out.println(s.metric() + " " + s.value()));
 *     case QueryResult.Scalar s -> System.out.println(s.value());
 *     default -> throw new IllegalStateException("expected a vector");
 * }
 * }</pre>
 */
public sealed interface QueryResult {

    /** One series' labels ({@code __name__} included when kept) and its value at one instant. */
    record Sample(Map<String, String> metric, Instant at, double value) {
        public Sample {
            metric = Map.copyOf(metric);
        }
    }

    /** One series' labels and its values over a range ({@code metric[1m]}). */
    record Series(Map<String, String> metric, List<Point> points) {
        public Series {
            metric = Map.copyOf(metric);
            points = List.copyOf(points);
        }
    }

    record Point(Instant at, double value) {
    }

    /** An instant vector: no samples when the query matched nothing (as a halt condition reads "not firing"). */
    record Vector(List<Sample> samples) implements QueryResult {
        public Vector {
            samples = List.copyOf(samples);
        }
    }

    /** A range vector. */
    record Matrix(List<Series> series) implements QueryResult {
        public Matrix {
            series = List.copyOf(series);
        }
    }

    record Scalar(Instant at, double value) implements QueryResult {
    }

    record Text(Instant at, String value) implements QueryResult {
    }
}
