package io.stampede;

/** Process exit codes, the contract with CI (README, "SLOs, thresholds and the verdict"). */
public final class ExitCode {
    /** Every SLO and threshold passed (or none were declared). */
    public static final int PASS = 0;
    /** An SLO or threshold failed. */
    public static final int VERDICT_FAILED = 1;
    /** Bad input: plan, flags or scenario file; the message names the file, line and field. */
    public static final int BAD_INPUT = 2;
    /** The run could not be carried out: target never healthy, port taken, host unreachable. */
    public static final int CANNOT_RUN = 3;

    private ExitCode() {
    }
}
