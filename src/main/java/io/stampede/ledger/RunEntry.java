package io.stampede.ledger;

import java.time.Instant;
import java.util.List;

/**
 * One run as the ledger keeps it.
 *
 * @param id      the results folder's name when there is one, else made up the same way
 * @param verdict "pass", "fail" or "stopped early"
 */
public record RunEntry(String id, String plan, Instant started, Instant ended, String verdict, List<SloSpend> spends) {

    public RunEntry {
        spends = List.copyOf(spends);
    }
}
