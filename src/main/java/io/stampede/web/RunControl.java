package io.stampede.web;

/**
 * What the page and the REST API may do, implemented by whoever runs the load test. Every method
 * checks its input and the moment (a run to stop, no run to start over) and refuses with a
 * {@link ControlException} that the server turns into a JSON error; a refusal never affects a
 * running test.
 */
public interface RunControl {

    /** The start form as the plan and the flags fill it in. */
    StartForm defaults();

    /**
     * Starts a run with these values; fields left null keep the plan's. Returns once the run is
     * accepted; it starts in the background.
     *
     * @throws ControlException 409 while a run is going, or when this process runs only once
     *                          ({@code --autostart}); 400 for a bad value, with the field named; 422
     *                          for what the command line would refuse to run (a host that does not
     *                          answer, more users than the open-files limit allows)
     */
    void start(StartForm form);

    /** Moves the running test to {@code users} at {@code spawnRate} (null: the current rate). */
    void changeUsers(int users, Double spawnRate);

    /**
     * Stops the running test; its results are written as for any other end, with the status
     * "interrupted" (a run with a run time then fails: it did not reach its end).
     */
    void stop();

    /** Clears the running test's totals, as a STATS_RESET event; the charts and the SLOs keep the whole run. */
    void resetStats();

    /** Fires the plan's chaos entry number {@code index} (0-based, as listed) now. */
    void inject(int index);

    /** A run's start values; null means "as planned". */
    record StartForm(Integer users, Double spawnRate, String host, String runTime) {
    }

    /** A refusal: an HTTP status and a message for the JSON error body. */
    final class ControlException extends RuntimeException {

        private final int status;

        public ControlException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        public static ControlException badInput(String message) {
            return new ControlException(400, message);
        }

        /** The values are fine but the run cannot be carried out (a host that does not answer, too few open files). */
        public static ControlException cannotRun(String message) {
            return new ControlException(422, message);
        }

        public static ControlException conflict(String message) {
            return new ControlException(409, message);
        }
    }
}
