package io.stampede.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How tests wait for what happens on another thread or in another process: Awaitility, with
 * deadlines generous enough for a loaded CI machine. A condition that holds is seen within one poll,
 * so only a failing test pays the deadline.
 *
 * <pre>{@code
 * Waiting.await("a new healthy process").until(() -> app.healthy() && app.pid() != first);
 * long at = Waiting.await("the rollback").atMost(Duration.ofSeconds(15)).until(() -> find(events), Optional::isPresent).get();
 * }</pre>
 */
public final class Waiting {

    /** The default deadline. */
    public static final Duration LIMIT = Duration.ofSeconds(60);
    /** How often the condition is checked. */
    public static final Duration POLL = Duration.ofMillis(20);

    private Waiting() {
    }

    /** A wait named for its failure message ("... with alias 'WHAT' didn't complete within ..."). */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(LIMIT).pollDelay(Duration.ZERO).pollInterval(POLL);
    }
}
