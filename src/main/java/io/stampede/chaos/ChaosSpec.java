package io.stampede.chaos;

import io.stampede.input.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One line of the chaos schedule: which fault, on which targets, when, for how long, how often.
 *
 * @param kind       the fault kind as written ({@code kill}, {@code pause}, ...)
 * @param fault      the fault, with its own parameters
 * @param target     a target name, or {@code re2:REGEX} to choose among the targets whose name matches
 * @param all        hit every matching target (and every container of a container target) instead of one at random
 * @param limit      hit at most this many of them, chosen at random (Pumba's {@code --limit})
 * @param at         once, at this offset from the start of the run
 * @param every      repeatedly, this far apart, first at {@code startAfter}
 * @param startAfter offset of the first repetition
 * @param duration   how long a lasting fault stays; empty for an instant one (kill, restart)
 * @param count      at most this many repetitions
 * @param where      the entry's location, for messages and events
 */
public record ChaosSpec(String kind, Fault fault, String target, boolean all, OptionalInt limit, Optional<Duration> at,
                        Optional<Duration> every, Duration startAfter, Optional<Duration> duration,
                        OptionalInt count, String where) {

    /** Offsets from the start of the run at which this entry fires, up to {@code horizon} (and at most {@code max}). */
    public List<Duration> firings(Duration horizon, int max) {
        List<Duration> times = new ArrayList<>();
        if (at.isPresent()) {
            if (at.get().compareTo(horizon) < 0) {
                times.add(at.get());
            }
            return times;
        }
        int limit = Math.min(max, count.orElse(Integer.MAX_VALUE));
        for (Duration t = startAfter; t.compareTo(horizon) < 0 && times.size() < limit; t = t.plus(every.orElseThrow())) {
            times.add(t);
        }
        return times;
    }

    public String describe() {
        String when = at.map(t -> "at " + Durations.format(t))
                .orElseGet(() -> "every " + Durations.format(every.orElseThrow()) + " from " + Durations.format(startAfter)
                        + count.stream().mapToObj(n -> ", " + n + " times").findFirst().orElse(""));
        return fault.describe() + duration.map(d -> " for " + Durations.format(d)).orElse("") + " on " + target
                + (all ? " (all matching)" : "") + limit.stream().mapToObj(n -> " (at most " + n + ")").findFirst().orElse("")
                + ", " + when;
    }
}
