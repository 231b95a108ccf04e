package io.stampede.chaos;

/** A fault in effect on one target; {@link #rollback()} undoes it and must be safe to call once. */
public interface Injection {

    /** Shown with the "injected" event, e.g. {@code pid 4242, SIGKILL}. */
    String detail();

    /** Undoes the damage (continue the process, remove the toxic, ...). Instant faults do nothing. */
    void rollback() throws Exception;

    /** An injection with nothing to undo: the damage was instant (a kill) or is repaired by the supervisor. */
    static Injection instant(String detail) {
        return undoneBy(detail, () -> {
        });
    }

    /** An injection that {@code undo} rolls back. */
    static Injection undoneBy(String detail, Runnable undo) {
        return new Injection() {
            @Override
            public String detail() {
                return detail;
            }

            @Override
            public void rollback() {
                undo.run();
            }
        };
    }
}
