package io.stampede.prometheus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prometheus's HTTP API, the part Stampede reads: instant queries ({@code /api/v1/query}) with
 * typed results. Server-side SLIs and halt conditions poll through it.
 *
 * <pre>{@code
 * PrometheusClient prometheus = new PrometheusClient(URI.create("http://127.0.0.1:9090"), Duration.ofSeconds(5));
 * QueryResult.Vector errors = (QueryResult.Vector) prometheus.query("sum(rate(http_requests_total{code=~\"5..\"}[1m]))");
 * }</pre>
 *
 * <p>Every failure is a {@link PrometheusException} whose message is one line for the user:
 * {@code cannot reach Prometheus at http://127.0.0.1:9090: Connection refused}, or
 * {@code Prometheus at http://127.0.0.1:9090 refused 'rate(x[1m]': bad_data: invalid parameter "query": 1:11: parse error: unclosed left parenthesis}.
 * Thread-safe; one connection pool per client.
 */
public final class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of a body that is not the API's JSON the message quotes. */
    private static final int QUOTED_BODY_CHARS = 120;

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base    the server, e.g. {@code http://127.0.0.1:9090} (a path prefix is kept, for a
     *                Prometheus behind {@code --web.route-prefix})
     * @param timeout for connecting and for each query's answer; also sent as the query's own timeout
     */
    public PrometheusClient(URI base, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The server as given, without a trailing slash: what messages name. */
    public String server() {
        String text = base.toString();
        return text.substring(0, text.length() - 1);
    }

    /** Evaluates {@code promql} at the server's now. */
    public QueryResult query(String promql) throws PrometheusException {
        return query(promql, Optional.empty());
    }

    /** Evaluates {@code promql} at {@code at}. */
    public QueryResult query(String promql, Instant at) throws PrometheusException {
        return query(promql, Optional.of(at));
    }

    private QueryResult query(String promql, Optional<Instant> at) throws PrometheusException {
        StringBuilder form = new StringBuilder("query=").append(URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .append("&timeout=").append(timeout.toMillis()).append("ms");
        at.ifPresent(t -> form.append("&time=").append(epochSeconds(t)));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/query")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(e, Optional.ofNullable(e.getMessage()).filter(m -> !m.isBlank()).orElse("Connection refused"));
        } catch (HttpTimeoutException e) {
            throw unreachable(e, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw unreachable(e, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e, "interrupted");
        }
        return parse(promql, response.statusCode(), response.body());
    }

    private PrometheusException unreachable(Exception cause, String why) {
        return new PrometheusException(PrometheusException.Reason.UNREACHABLE, "", "cannot reach Prometheus at " + server() + ": " + why, cause);
    }

    /** The API's envelope: {@code {"status": "success"|"error", "data": ..., "errorType": ..., "error": ...}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Envelope(String status, Data data, String errorType, String error, List<String> warnings) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Data(String resultType, JsonNode result) {
    }

    QueryResult parse(String promql, int httpStatus, String body) throws PrometheusException {
        Envelope envelope;
        try {
            envelope = JSON.readValue(body, Envelope.class);
        } catch (JsonProcessingException notJson) {
            throw notPrometheus(httpStatus, body, notJson);
        }
        if ("error".equals(envelope.status())) {
            String type = envelope.errorType() == null ? "" : envelope.errorType();
            throw new PrometheusException(PrometheusException.Reason.REFUSED, type, "Prometheus at " + server() + " refused '"
                    + promql + "': " + (type.isEmpty() ? "" : type + ": ") + envelope.error(), null);
        }
        if (!"success".equals(envelope.status()) || envelope.data() == null || envelope.data().resultType() == null) {
            throw notPrometheus(httpStatus, body, null);
        }
        JsonNode result = envelope.data().result();
        return switch (envelope.data().resultType()) {
            case "vector" -> new QueryResult.Vector(each(result, s -> new QueryResult.Sample(labels(s.path("metric")),
                    instant(s.path("value")), number(s.path("value")))));
            case "matrix" -> new QueryResult.Matrix(each(result, s -> new QueryResult.Series(labels(s.path("metric")),
                    each(s.path("values"), p -> new QueryResult.Point(instant(p), number(p))))));
            case "scalar" -> new QueryResult.Scalar(instant(result), number(result));
            case "string" -> new QueryResult.Text(instant(result), result.path(1).asText());
            default -> throw notPrometheus(httpStatus, body, null);
        };
    }

    private PrometheusException notPrometheus(int httpStatus, String body, Throwable cause) {
        String quoted = body.strip().replaceAll("\\s+", " ");
        if (quoted.length() > QUOTED_BODY_CHARS) {
            quoted = quoted.substring(0, QUOTED_BODY_CHARS) + "...";
        }
        return new PrometheusException(PrometheusException.Reason.NOT_PROMETHEUS, "", server() + " is not Prometheus's API: HTTP "
                + httpStatus + (quoted.isEmpty() ? "" : ", '" + quoted + "'"), cause);
    }

    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> one) {
        List<T> out = new ArrayList<>(array.size());
        array.forEach(node -> out.add(one.apply(node)));
        return out;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** {@code [1712345678.123, "0.5"]}: the first element, seconds since the epoch with a fraction. */
    private static Instant instant(JsonNode pair) {
        BigDecimal seconds = pair.path(0).decimalValue();
        return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    /** The second element, a string: Go's float formatting, with {@code +Inf}, {@code -Inf} and {@code NaN}. */
    private static double number(JsonNode pair) {
        String text = pair.path(1).asText();
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static String epochSeconds(Instant at) {
        return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9)).toPlainString();
    }
}
