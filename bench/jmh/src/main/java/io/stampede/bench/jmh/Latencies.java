package io.stampede.bench.jmh;

import java.util.SplittableRandom;

/**
 * Realistic response times for the benchmarks: log-normal around a 20 ms median with a long tail
 * (p99 about 200 ms, rare seconds), in microseconds, from a fixed seed so every run records the
 * same values. Varied values matter: a constant latency would hit one histogram slot, one cache
 * line, and flatter the recording cost.
 */
final class Latencies {

    static final long MEDIAN_MICROS = 20_000;
    static final double SIGMA = 1.0;
    static final long MIN_MICROS = 100;
    static final long MAX_MICROS = 10_000_000;

    /** Power of two, so the hot loop can wrap its index with a mask. */
    static final int SAMPLE_SIZE = 4096;

    private Latencies() {
    }

    static long[] sample(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            double gaussian = gaussian(random);
            long micros = Math.round(MEDIAN_MICROS * Math.exp(SIGMA * gaussian));
            values[i] = Math.clamp(micros, MIN_MICROS, MAX_MICROS);
        }
        return values;
    }

    /** Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
