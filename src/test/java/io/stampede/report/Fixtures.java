package io.stampede.report;

import io.stampede.engine.LoadModel;
import io.stampede.engine.RunInfo;
import io.stampede.engine.Scenario;
import io.stampede.http.HttpOptions;
import io.stampede.plan.Plan;
import io.stampede.stats.EntryStats;
import io.stampede.stats.FailureKey;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs built by hand: real stats objects, no runner. */
final class Fixtures {

    /** 2026-11-27T09:31:40Z, one second before the reference history file's only row. */
    static final long START = 1_795_771_900_000L;
    static final RequestKey ROOT = new RequestKey("GET", "/");
    static final RequestKey HEALTH = new RequestKey("GET", "/health");

    private Fixtures() {
    }

    /** Successful requests with these latencies (ms) and 10 bytes each. */
    static EntryStats ok(double... millis) {
        EntryStats entry = new EntryStats();
        for (double ms : millis) {
            entry.record(Math.round(ms * 1000), 10, false);
        }
        return entry;
    }

    /** Adds failed requests (0 bytes) to {@code entry}. */
    static EntryStats failed(EntryStats entry, double... millis) {
        for (double ms : millis) {
            entry.record(Math.round(ms * 1000), 0, true);
        }
        return entry;
    }

    /** The {@code second}-th second of the run (0-based). */
    static IntervalStats second(int second, int users, Map<RequestKey, EntryStats> entries,
                                Map<FailureKey, Long> failures) {
        return new IntervalStats(START + second * 1000L, START + (second + 1) * 1000L, users, entries, failures);
    }

    static Plan plan(Path resultsDir, String csvPrefix) {
        return new Plan("lab-13", "http://127.0.0.1:5001", new LoadModel.Closed(10, 1, List.of()),
                Optional.of(Duration.ofMinutes(1)), new Scenario.Declared(List.of()), HttpOptions.defaults(),
                Set.of(), Set.of(), new Plan.Output(Optional.ofNullable(resultsDir), Optional.ofNullable(csvPrefix), true),
                Duration.ofSeconds(10), List.of(), List.of(), Plan.Judgement.none());
    }

    static RunInfo run(Plan plan) {
        return RunInfo.of(plan.run(), START, List.of("WebsiteUser"));
    }
}
