package io.stampede.chaos;

import io.stampede.input.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A halt condition: a guard evaluated every {@link HaltGuard#EVALUATE_EVERY} while faults may be
 * injected; the first one that fires stops the chaos (no new fault, every active one rolled back).
 * One record per kind; {@link HaltGuard} switches over them, so a new kind (a Prometheus query)
 * that joins {@code permits} fails the build until the guard knows how to read it.
 */
public sealed interface HaltCondition
        permits HaltCondition.BudgetLeft, HaltCondition.BurnRate, HaltCondition.ThresholdFails, HaltCondition.ProbeFails,
                HaltCondition.PrometheusQuery {

    /** Where the plan states it, for messages and the dry run. */
    String where();

    /** The condition as it reads in events and the verdict: {@code budgetLeft of availability < 50%}. */
    String describe();

    /**
     * Fires when what is left of an SLO's error budget, over the run so far, falls below a share.
     *
     * @param percent the share of the budget, in percent (0 to 100, 0 excluded)
     */
    record BudgetLeft(String slo, double percent, String where) implements HaltCondition {
        @Override
        public String describe() {
            return "budgetLeft of " + slo + " < " + HaltGuard.number(percent) + "%";
        }
    }

    /**
     * Fires when an SLO's burn rate over the last {@code window} is above {@code factor}: bad over total
     * divided by the share the objective allows (1.0 spends the budget exactly).
     */
    record BurnRate(String slo, double factor, Duration window, String where) implements HaltCondition {
        @Override
        public String describe() {
            return "burnRate of " + slo + " > " + HaltGuard.number(factor) + " over " + Durations.format(window);
        }
    }

    /**
     * Fires when a k6-style threshold ({@code http_req_failed rate<0.1}) fails over the last
     * {@code window}, or over the run so far when no window is given.
     */
    record ThresholdFails(String metric, String expression, Optional<Duration> window, String where) implements HaltCondition {
        @Override
        public String describe() {
            return "threshold " + metric + " " + expression
                    + window.map(w -> " over " + Durations.format(w)).orElse("");
        }
    }

    /** Fires when an HTTP GET of {@code url} fails (no answer within {@code timeout}, or not 2xx) {@code inARow} times in a row. */
    record ProbeFails(URI url, int inARow, Duration timeout, String where) implements HaltCondition {
        @Override
        public String describe() {
            return "probe " + url + " failing " + inARow + " in a row";
        }
    }

    /**
     * Fires when a PromQL instant query returns a non-empty vector (Litmus's Prometheus probe, AWS FIS's
     * alarm): the query states the bad condition, e.g. {@code sum(rate(http_requests_total{code=~"5.."}[10s])) > 1}.
     *
     * @param server  Prometheus, e.g. {@code http://127.0.0.1:9090}
     * @param timeout for each query's answer; a query without one in time counts as unreachable
     */
    record PrometheusQuery(String query, URI server, Duration timeout, String where) implements HaltCondition {
        @Override
        public String describe() {
            return "prometheus '" + query + "' non-empty";
        }
    }
}
