package io.stampede;

/**
 * A failure Stampede explains to its user in one message, with the process exit code it maps to.
 * Anything else that escapes is a defect and is reported with its stack trace.
 */
public sealed class StampedeException extends RuntimeException
        permits StampedeException.BadInput, StampedeException.CannotRun {

    private final int exitCode;

    private StampedeException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The user's input is wrong: a plan file, a flag, a scenario file. Exit code 2. */
    public static final class BadInput extends StampedeException {
        public BadInput(String message) {
            super(message, ExitCode.BAD_INPUT, null);
        }

        public BadInput(String message, Throwable cause) {
            super(message, ExitCode.BAD_INPUT, cause);
        }
    }

    /** The input is fine but the run cannot be carried out: port taken, host unreachable. Exit code 3. */
    public static final class CannotRun extends StampedeException {
        public CannotRun(String message) {
            super(message, ExitCode.CANNOT_RUN, null);
        }

        public CannotRun(String message, Throwable cause) {
            super(message, ExitCode.CANNOT_RUN, cause);
        }
    }
}
