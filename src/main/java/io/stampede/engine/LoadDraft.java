package io.stampede.engine;

import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load as written (plan file, flags, start form), each value with its origin; {@link #check}
 * holds the load's rules and turns it into a {@link LoadModel}. Setting an arrival rate anywhere
 * (top level or a stage) chooses the open model; otherwise the model is closed.
 *
 * @param users          the closed model's users; null: {@link #DEFAULT_USERS}
 * @param spawnRate      the closed model's users started per second; null: {@link #DEFAULT_SPAWN_RATE}
 * @param arrivalRate    the open model's iterations per second
 * @param maxConcurrency the open model's cap on concurrent users; null: {@link #DEFAULT_MAX_CONCURRENCY}
 * @param preAllocated   the open model's users made before the start
 * @param stages         the stages, in order
 */
public record LoadDraft(Located<String> users, Located<String> spawnRate, Located<String> arrivalRate,
                        Located<String> maxConcurrency, Located<String> preAllocated, List<Located<Stage>> stages) {

    public static final int DEFAULT_USERS = 1;
    public static final double DEFAULT_SPAWN_RATE = 1;
    /** The open model's default cap on concurrent users (k6's maxVUs). */
    public static final int DEFAULT_MAX_CONCURRENCY = 1000;

    public LoadDraft {
        stages = List.copyOf(stages);
    }

    /** A stage as written; its values are checked with the load's. */
    public record Stage(Located<String> duration, Located<String> users, Located<String> spawnRate,
                        Located<String> arrivalRate) {
    }

    /** The arrival rate, at the top or in a stage, makes the load open. */
    public boolean open() {
        return arrivalRate != null || stages.stream().anyMatch(st -> st.value().arrivalRate() != null);
    }

    /** The load model; what is wrong goes to {@code problems}, and the model is then not to be run. */
    public LoadModel check(Problems problems) {
        return open() ? checkOpen(problems) : checkClosed(problems);
    }

    private LoadModel.Open checkOpen(Problems problems) {
        if (users != null || spawnRate != null) {
            Located<String> closedKey = users != null ? users : spawnRate;
            problems.add(closedKey.where() + ": users/spawnRate (closed model) and arrivalRate (open model) do not mix; give one");
        }
        int before = problems.list().size();
        double rate = arrivalRate == null ? 0 : problems.nonNegative(arrivalRate, "arrival rate");
        boolean ratesRead = problems.list().size() == before;
        int beforeCap = problems.list().size();
        int cap = maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : problems.atLeast(maxConcurrency, 1, "maxConcurrency");
        boolean capRead = problems.list().size() == beforeCap;
        List<LoadModel.RateStage> rateStages = new ArrayList<>();
        for (Located<Stage> stage : stages) {
            Stage st = stage.value();
            Duration d = duration(stage, problems);
            double r = 0;
            if (st.arrivalRate() == null) {
                problems.missing(stage, "arrivalRate");
                ratesRead = false;
            } else {
                int beforeStage = problems.list().size();
                r = problems.nonNegative(st.arrivalRate(), "arrival rate");
                ratesRead &= problems.list().size() == beforeStage;
            }
            if (st.users() != null || st.spawnRate() != null) {
                problems.add(stage.where() + ": an open-model stage has duration and arrivalRate only");
            }
            rateStages.add(new LoadModel.RateStage(d == null ? Duration.ofSeconds(1) : d, r));
        }
        // a rate already refused reads as 0 here: saying "0 throughout" too would be a second line for one mistake
        if (ratesRead && rate == 0 && rateStages.stream().allMatch(st -> st.arrivalRate() == 0)) {
            problems.add((arrivalRate != null ? arrivalRate.where() : "load") + ": the arrival rate is 0 throughout: nothing would run");
        }
        int warm = preAllocated == null ? 0 : problems.atLeast(preAllocated, 0, "preAllocated");
        if (capRead && warm > cap) {
            problems.add(preAllocated.where() + ": preAllocated " + warm + " is above maxConcurrency " + cap);
        }
        return new LoadModel.Open(rate, rateStages, cap, Math.min(warm, cap));
    }

    private LoadModel.Closed checkClosed(Problems problems) {
        int checkedUsers = users == null ? DEFAULT_USERS : problems.atLeast(users, 1, "users");
        double checkedRate = spawnRate == null ? DEFAULT_SPAWN_RATE : problems.positive(spawnRate, "spawn rate");
        if (maxConcurrency != null || preAllocated != null) {
            Located<String> key = maxConcurrency != null ? maxConcurrency : preAllocated;
            problems.add(key.where() + ": maxConcurrency and preAllocated belong to the open model (arrivalRate)");
        }
        List<LoadModel.Stage> checkedStages = new ArrayList<>();
        for (Located<Stage> stage : stages) {
            Stage st = stage.value();
            Duration d = duration(stage, problems);
            int u = 0;
            if (st.users() == null) {
                problems.missing(stage, "users");
            } else {
                u = problems.atLeast(st.users(), 0, "users");
            }
            double r = st.spawnRate() == null ? checkedRate : problems.positive(st.spawnRate(), "spawn rate");
            checkedStages.add(new LoadModel.Stage(d, u, r));
        }
        return new LoadModel.Closed(checkedUsers, checkedRate, checkedStages);
    }

    /** A stage's duration, required and longer than 0; null after a problem. */
    private static Duration duration(Located<Stage> stage, Problems problems) {
        Located<String> duration = stage.value().duration();
        return duration == null ? problems.missing(stage, "duration") : problems.positiveDuration(duration);
    }
}
