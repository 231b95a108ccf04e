package io.stampede.slo;

import java.util.List;

/**
 * What one injected fault cost, measured from the timeline.
 *
 * @param endedAtEpochMillis     when the fault ended: its rollback, or its injection for an instant fault
 * @param failedRequests         failed requests from the injection to the recovery (or the next fault, or the
 *                               end), whatever their cause
 * @param baselineFailurePercent the share of requests that failed in the baseline window before the fault
 * @param budgetSpent            the first SLO's bad requests in that window above its baseline (see {@code costs})
 * @param budgetSpentPercent     the same as a share of that SLO's budget for the whole run
 * @param costs                  the same for every SLO, in plan order
 * @param baselineP95Millis      successful requests' p95, median of the baseline window's seconds (the
 *                               p99 likewise): failures are left out, a refused request is the fastest of all
 * @param peakP95Millis          successful requests' highest per-second p95 from the injection to the recovery
 * @param peakFailedP95Millis    failed requests' highest per-second p95 over the same seconds, apart; 0 if none
 * @param timeToDetectSeconds    from injection to the first failed or stalled request (or failing health probe);
 *                               null if the fault had no visible effect
 * @param timeToRecoverSeconds   from the fault's end to the first successful request of the stretch that
 *                               {@code K} consecutive good seconds confirmed; null when not recovered before
 *                               the next fault or the end of the run
 * @param resolutionMillis       how precise both times are: a slot (10 ms), or a whole second without slots
 * @param stalledSeconds         seconds from the injection to the recovery in which no request completed
 *                               while one was in flight all through (stalls: a paused service)
 */
public record FaultImpact(String injection, String fault, String target, long injectedAtEpochMillis,
                          long endedAtEpochMillis, long failedRequests, double baselineFailurePercent,
                          Double budgetSpent, Double budgetSpentPercent, List<SloCost> costs,
                          double baselineP95Millis, double peakP95Millis, double baselineP99Millis,
                          double peakP99Millis, double peakFailedP95Millis, Double timeToDetectSeconds, Double timeToRecoverSeconds,
                          boolean recovered, long resolutionMillis, int stalledSeconds) {

    /**
     * One SLO's part of a fault's cost.
     *
     * @param baselineBadPercent its bad share in the baseline window before the fault
     * @param badRequests        its bad requests from the injection to the recovery
     * @param excessBadRequests  those above the baseline share of the same number of requests (never below 0)
     * @param budgetPercent      the excess as a share of the SLO's budget for the run; null without a budget
     */
    public record SloCost(String slo, double baselineBadPercent, long badRequests, double excessBadRequests,
                          Double budgetPercent) {
    }
}
