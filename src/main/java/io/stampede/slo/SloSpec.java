package io.stampede.slo;

import io.stampede.engine.Scenario;
import io.stampede.input.Problems;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service level objective over the run's requests, close to OpenSLO's objectives.
 *
 * <ul>
 *   <li>availability: a request is good when it did not fail;</li>
 *   <li>latency: a successful request is good when it took less than {@code latencyBelow}. Failed
 *       requests are left out by default (the SRE Workbook's latency SLI is over valid requests: a
 *       refused request is fast, not good), or counted as bad with {@code failures: bad}.</li>
 * </ul>
 *
 * @param name             shown in the verdict
 * @param objectivePercent the share of good requests required, strictly between 0 and 100
 * @param latencyBelow     present for a latency objective
 * @param filterName       only requests with this name count (empty: all)
 * @param filterMethod     only requests with this method count (empty: all)
 * @param where            where it was declared, for messages
 * @param failures         what a failed request is to a latency SLI; unused by availability
 * @param prometheus       present for a server-side SLO: its good and total events come from PromQL,
 *                         not from the users' requests
 */
public record SloSpec(String name, double objectivePercent, Optional<Duration> latencyBelow,
                      Optional<String> filterName, Optional<String> filterMethod, String where,
                      FailedRequests failures, Optional<PrometheusSli> prometheus) {

    /** An SLO over the users' requests. */
    public SloSpec(String name, double objectivePercent, Optional<Duration> latencyBelow,
                   Optional<String> filterName, Optional<String> filterMethod, String where, FailedRequests failures) {
        this(name, objectivePercent, latencyBelow, filterName, filterMethod, where, failures, Optional.empty());
    }

    /** Where the SLI's events come from: the run's requests or Prometheus. */
    public SliSource source() {
        return prometheus.isPresent() ? SliSource.PROMETHEUS : SliSource.USERS;
    }

    /** What a failed request is to a latency SLI. */
    public enum FailedRequests {
        /** not counted at all: neither good nor in the total */
        EXCLUDE,
        /** counted, and bad whatever its latency */
        BAD;

        /**
         * {@code exclude} or {@code bad}, any case.
         *
         * @throws IllegalArgumentException naming the two, with the value given
         */
        public static FailedRequests parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "exclude" -> EXCLUDE;
                case "bad" -> BAD;
                default -> throw new IllegalArgumentException("'failures' is 'exclude' (failed requests left out, the default)"
                        + " or 'bad', got '" + text + "'");
            };
        }
    }

    /**
     * An objective as written: {@code 99.5%}, {@code 99.5} or {@code "99.5 %"}, a percentage strictly
     * between 0 and 100.
     *
     * @throws IllegalArgumentException saying what an objective is, with the value given
     */
    public static double objective(String written) {
        String text = written.strip();
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an objective is a percentage such as 99.5%, got '" + text + "'");
        }
        if (!(value > 0 && value < 100)) {
            throw new IllegalArgumentException("an objective is between 0% and 100% (both excluded), got " + text);
        }
        return value;
    }

    /** A latency SLI that leaves failed requests out (the default). */
    public SloSpec(String name, double objectivePercent, Optional<Duration> latencyBelow,
                   Optional<String> filterName, Optional<String> filterMethod, String where) {
        this(name, objectivePercent, latencyBelow, filterName, filterMethod, where, FailedRequests.EXCLUDE);
    }

    public boolean isLatency() {
        return latencyBelow.isPresent();
    }

    /** The share of requests allowed to be bad: 1 - objective. */
    public double allowedBadRatio() {
        return 1 - objectivePercent / 100;
    }

    public boolean matches(String method, String name) {
        return filterName.map(name::equals).orElse(true) && filterMethod.map(method::equalsIgnoreCase).orElse(true);
    }

    public String filterText() {
        String text = (filterMethod.map(m -> m + " ").orElse("") + filterName.orElse("")).strip();
        return text;
    }

    /**
     * Each SLO's filter must name a request of a scenario declared in the plan (a Java scenario's
     * requests are known only when it runs): a misspelt name would judge nothing.
     */
    public static void checkFilters(List<SloSpec> slos, Scenario scenario, Problems problems) {
        if (!(scenario instanceof Scenario.Declared declared)) {
            return;
        }
        Set<String> names = new HashSet<>();
        Set<String> methods = new TreeSet<>();
        boolean streams = false;
        for (Scenario.UserSpec user : declared.users()) {
            for (Scenario.TaskSpec task : user.tasks()) {
                for (Scenario.Step step : task.steps()) {
                    names.addAll(step.names());
                    switch (step) {
                        case Scenario.RequestSpec request -> methods.add(request.method());
                        case Scenario.BatchSpec batch -> batch.requests().forEach(r -> methods.add(r.method()));
                        default -> streams = true; // recorded under the stream's own method
                    }
                }
            }
        }
        for (SloSpec slo : slos) {
            if (slo.filterName().isPresent() && !names.contains(slo.filterName().get())) {
                problems.add(slo.where() + ": the filter names no request; the plan's requests are " + new TreeSet<>(names));
            } else if (slo.filterMethod().isPresent() && !streams && !methods.contains(slo.filterMethod().get())) {
                problems.add(slo.where() + ": the filter's method " + slo.filterMethod().get()
                        + " is no request's; the plan's requests use " + methods);
            }
        }
    }
}
