package io.stampede.slo;

import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One SLO's good and total request counts, second by second: everything the budget, burn rates
 * and per-fault impact are computed from. Grows by one entry per interval; exact counts, no ratios
 * stored, so windows of any length sum exactly.
 */
public final class SliSeries {

    private final SloSpec slo;
    private long[] endMillis = new long[64];
    private long[] total = new long[64];
    private long[] good = new long[64];
    private int size;
    private boolean matchedAnyRequest;

    public SliSeries(SloSpec slo) {
        this.slo = slo;
    }

    public SloSpec slo() {
        return slo;
    }

    /** Adds one interval's counts for the requests this SLO covers. */
    public void add(IntervalStats interval) {
        long t = 0;
        long g = 0;
        for (Map.Entry<RequestKey, EntryStats> e : interval.entries().entrySet()) {
            if (!slo.matches(e.getKey().method(), e.getKey().name())) {
                continue;
            }
            matchedAnyRequest = true;
            EntryStats entry = e.getValue();
            if (slo.isLatency()) {
                // good: a success faster than the bound; failures are left out, or bad (failures: bad)
                long boundMicros = TimeUnit.NANOSECONDS.toMicros(slo.latencyBelow().get().toNanos());
                t += slo.failures() == SloSpec.FailedRequests.BAD ? entry.count() : entry.count() - entry.failures();
                g += entry.countFasterThan(boundMicros, true);
            } else {
                t += entry.count();
                g += entry.count() - entry.failures();
            }
        }
        add(interval.endEpochMillis(), t, g);
    }

    /** Adds one second directly (tests and re-analysis). */
    public void add(long end, long totalCount, long goodCount) {
        if (size == endMillis.length) {
            endMillis = Arrays.copyOf(endMillis, size * 2);
            total = Arrays.copyOf(total, size * 2);
            good = Arrays.copyOf(good, size * 2);
        }
        endMillis[size] = end;
        total[size] = totalCount;
        good[size] = goodCount;
        size++;
        matchedAnyRequest |= totalCount > 0;
    }

    /** Adds counts to the latest second (a second ending at {@code end} when there is none yet). */
    public void addToLast(long end, long totalCount, long goodCount) {
        if (size == 0) {
            add(end, totalCount, goodCount);
            return;
        }
        total[size - 1] += totalCount;
        good[size - 1] += goodCount;
        matchedAnyRequest |= totalCount > 0;
    }

    public int size() {
        return size;
    }

    public long endMillis(int i) {
        return endMillis[i];
    }

    public long total(int i) {
        return total[i];
    }

    public long good(int i) {
        return good[i];
    }

    public long bad(int i) {
        return total[i] - good[i];
    }

    /** True once any request this SLO covers was seen. */
    public boolean matchedAnyRequest() {
        return matchedAnyRequest;
    }

    /** Sum of totals over seconds [from, to). */
    public long total(int from, int to) {
        long sum = 0;
        for (int i = Math.max(0, from); i < Math.min(to, size); i++) {
            sum += total[i];
        }
        return sum;
    }

    /** Sum of bad requests over seconds [from, to). */
    public long bad(int from, int to) {
        long sum = 0;
        for (int i = Math.max(0, from); i < Math.min(to, size); i++) {
            sum += total[i] - good[i];
        }
        return sum;
    }

    /** Is second {@code i} within objective? Seconds without requests are judged by the caller. */
    public boolean withinObjective(int i) {
        return total[i] > 0 && (double) good[i] / total[i] * 100 >= slo.objectivePercent();
    }

    /**
     * The fewest requests whose SLI can tell the objective from a single bad request:
     * ⌈1 / (1 − objective)⌉, e.g. 20 at 95%, 1,000 at 99.9%.
     */
    public long meaningfulRequests() {
        return (long) Math.ceil(1 / slo.allowedBadRatio() - 1e-9);
    }

    /**
     * Is second {@code i} bad for this SLO? A second with no bad request never is. One with a bad
     * request is judged over the shortest stretch of seconds ending with it that holds at least
     * {@link #meaningfulRequests()} requests (the second alone when it holds that many; the run so
     * far when it holds fewer): with sparse traffic one failure alone does not make a second bad,
     * and a second without bad requests is good at once, so recovery is not delayed.
     */
    public boolean badAt(int i) {
        if (total[i] == 0 || good[i] == total[i]) {
            return false;
        }
        long need = meaningfulRequests();
        long t = 0;
        long g = 0;
        for (int k = i; k >= 0 && t < need; k--) {
            t += total[k];
            g += good[k];
        }
        return (double) g / t * 100 < slo.objectivePercent();
    }
}
