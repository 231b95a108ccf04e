package io.stampede.slo;

/**
 * What one injected fault cost, measured from the timeline.
 *
 * @param endedAtEpochMillis   when the fault ended: its rollback, or its injection for an instant fault
 * @param failedRequests       failed requests from the injection to the recovery (or the next fault, or the end)
 * @param budgetSpent          bad requests of the first SLO in that window
 * @param budgetSpentPercent   the same as a share of that SLO's budget for the whole run
 * @param timeToDetectSeconds  from injection to the end of the first bad second; null if no second went bad
 * @param timeToRecoverSeconds from the fault's end until the first of {@code K} consecutive good seconds;
 *                             null when not recovered before the next fault or the end of the run
 */
public record FaultImpact(String injection, String fault, String target, long injectedAtEpochMillis,
                          long endedAtEpochMillis, long failedRequests, Double budgetSpent, Double budgetSpentPercent,
                          double baselineP95Millis, double peakP95Millis, double baselineP99Millis,
                          double peakP99Millis, Double timeToDetectSeconds, Double timeToRecoverSeconds,
                          boolean recovered) {
}
