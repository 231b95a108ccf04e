package io.stampede.ledger;

/**
 * An error-budget policy: a run does not start while any of its SLOs has less than this share of
 * its budget left over the SLO's period, as the ledger counts it.
 *
 * @param minBudgetLeftPercent between 0 and 100
 * @param where                where the plan says it, for messages
 */
public record BudgetPolicy(double minBudgetLeftPercent, String where) {
}
