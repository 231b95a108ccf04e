package io.stampede.stats;

/**
 * The mean time of each {@link Phase} over some requests, in milliseconds: one second's in the
 * per-second points, which the report stacks over time (means add up to the mean duration, where
 * percentiles would not).
 */
public record PhaseMillis(double connecting, double tlsHandshaking, double sending, double waiting, double receiving) {

    /** The means of {@code phases}, or null when there are none. */
    public static PhaseMillis meansOf(PhaseStats phases) {
        if (phases == null || phases.count() == 0) {
            return null;
        }
        return new PhaseMillis(round(phases.meanMillis(Phase.CONNECTING)), round(phases.meanMillis(Phase.TLS_HANDSHAKING)),
                round(phases.meanMillis(Phase.SENDING)), round(phases.meanMillis(Phase.WAITING)),
                round(phases.meanMillis(Phase.RECEIVING)));
    }

    /** Microseconds are the recording's unit: more digits in a file are noise. */
    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
