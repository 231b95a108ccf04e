package io.stampede.bench.jmh;

import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;

/**
 * One second of a realistic run, shared by the interval and merge benchmarks: 10 request keys,
 * about 1,000 samples each, 1% failures spread over two error texts.
 */
final class Intervals {

    static final int KEYS = 10;
    static final int SAMPLES_PER_KEY = 1_000;
    static final int FAILURE_EVERY = 100;
    static final int USERS = 100;
    static final long INTERVAL_MILLIS = 1_000;

    private static final String[] ERRORS = {"HTTP 503 Service Unavailable", "Connect timed out"};

    private final String[] methods = new String[KEYS];
    private final String[] names = new String[KEYS];
    private final long[] latencies;

    Intervals(long seed) {
        for (int k = 0; k < KEYS; k++) {
            methods[k] = k % 3 == 2 ? "POST" : "GET";
            names[k] = "/api/resource-" + k + "/{id}";
        }
        latencies = Latencies.sample(KEYS * SAMPLES_PER_KEY, seed);
    }

    /** Records one interval's worth of samples into {@code recorder}. */
    void fill(StatsRecorder recorder) {
        int i = 0;
        for (int k = 0; k < KEYS; k++) {
            for (int s = 0; s < SAMPLES_PER_KEY; s++, i++) {
                String error = i % FAILURE_EVERY == 0 ? ERRORS[(i / FAILURE_EVERY) % ERRORS.length] : null;
                recorder.record(methods[k], names[k], latencies[i], 1_234, error);
            }
        }
    }

    /** A closed interval as the ticker would produce it. */
    IntervalStats interval(long startEpochMillis) {
        StatsRecorder recorder = new StatsRecorder(startEpochMillis);
        fill(recorder);
        return recorder.takeInterval(startEpochMillis + INTERVAL_MILLIS, USERS);
    }
}
