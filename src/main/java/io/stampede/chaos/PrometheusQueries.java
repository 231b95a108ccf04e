package io.stampede.chaos;

import io.stampede.StampedeException;
import io.stampede.prometheus.PrometheusClient;
import io.stampede.prometheus.PrometheusException;
import io.stampede.prometheus.QueryResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Prometheus halt conditions' side of {@link HaltGuard}: one client per query, the check before
 * the run, and each query read once per evaluation. Thread-safe: the clients are.
 */
final class PrometheusQueries {

    /** How long the check before the run waits for each query: longer than in the run, a slow first query is no outage. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    /** How many series of a firing query the event quotes. */
    private static final int QUOTED_SERIES = 3;

    private final Map<HaltCondition.PrometheusQuery, PrometheusClient> clients = new LinkedHashMap<>();

    PrometheusQueries(List<HaltCondition> halt) {
        for (HaltCondition c : halt) {
            if (c instanceof HaltCondition.PrometheusQuery q) {
                clients.put(q, new PrometheusClient(q.server(), q.timeout()));
            }
        }
    }

    /** A query's latest answer. */
    sealed interface Reading {
        /** The query returned these series: the condition fires when there is at least one. */
        record Answered(List<QueryResult.Sample> samples) implements Reading {
        }

        /** No answer: the condition cannot fire; {@code why} is the client's one line. */
        record Unreadable(String why) implements Reading {
        }
    }

    Set<HaltCondition.PrometheusQuery> queries() {
        return clients.keySet();
    }

    /**
     * Runs each query once, before the run: a query Prometheus refuses as malformed, or one that is not
     * an instant vector, is bad input (exit 2) naming where the plan states it, with Prometheus's own
     * words; a server that cannot be reached or used cannot run (exit 3).
     */
    void check() {
        for (HaltCondition.PrometheusQuery q : clients.keySet()) {
            QueryResult result;
            try {
                result = new PrometheusClient(q.server(), CHECK_TIMEOUT).query(q.query());
            } catch (PrometheusException e) {
                if (e.reason() == PrometheusException.Reason.REFUSED && e.errorType().equals("bad_data")) {
                    throw new StampedeException.BadInput(q.where() + ".prometheus: " + e.getMessage());
                }
                throw new StampedeException.CannotRun(q.where() + ".prometheus: " + e.getMessage());
            }
            if (!(result instanceof QueryResult.Vector)) {
                throw new StampedeException.BadInput(q.where() + ".prometheus: '" + q.query() + "' returns a "
                        + result.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                        + ", not an instant vector: the condition fires when the vector is non-empty,"
                        + " e.g. 'sum(rate(x[1m])) > 1' rather than 'scalar(...)'");
            }
        }
    }

    /** Runs {@code q} once; may take its timeout. */
    Reading read(HaltCondition.PrometheusQuery q) {
        try {
            return switch (clients.get(q).query(q.query())) {
                case QueryResult.Vector v -> new Reading.Answered(v.samples());
                case QueryResult other -> new Reading.Unreadable("'" + q.query() + "' returned a "
                        + other.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ", not an instant vector");
            };
        } catch (PrometheusException e) {
            return new Reading.Unreadable(e.getMessage());
        }
    }

    /** {@code 1 series: {code="503"} 4.2}: the first few series a query returned, for the event. */
    static String series(List<QueryResult.Sample> samples) {
        StringBuilder text = new StringBuilder().append(samples.size()).append(" series: ");
        for (int i = 0; i < Math.min(QUOTED_SERIES, samples.size()); i++) {
            QueryResult.Sample s = samples.get(i);
            if (i > 0) text.append(", ");
            text.append(s.metric().entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}")));
            text.append(' ').append(Double.isFinite(s.value()) ? HaltGuard.number(s.value()) : Double.toString(s.value()));
        }
        return text.append(samples.size() > QUOTED_SERIES ? ", ..." : "").toString();
    }
}
