package io.stampede.target;

import io.stampede.input.Addresses;
import io.stampede.input.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the built-in demo service listens and how badly it behaves. One model for both front ends:
 * the {@code stampede target} flags and (later) a plan's {@code builtin: demo} target.
 *
 * <pre>{@code
 * DemoOptions slowAndFlaky = DemoOptions.defaults()
 *         .withPort(0)                              // any free port
 *         .withLatency(Duration.ofMillis(50))       // every answer waits 50 ms ...
 *         .withJitter(Duration.ofMillis(10))        // ... plus or minus up to 10 ms
 *         .withErrorRate(0.1);                      // and 10% of them are 500s
 * }</pre>
 *
 * @param host        the address to listen on, e.g. {@code 127.0.0.1}
 * @param port        the TCP port; 0 picks a free one ({@link DemoService#port()} tells which)
 * @param latency     added before every answer, 0 to {@link #MAX_DELAY}
 * @param jitter      the added delay varies uniformly by up to this much either way (never below 0)
 * @param errorRate   share of requests, 0 to 1, answered with {@code errorStatus} instead
 * @param errorStatus the HTTP status of injected errors, 200 to 599
 * @param bodySize    the size in bytes of {@code GET /}: the home page, padded or cut to this size
 */
public record DemoOptions(String host, int port, Duration latency, Duration jitter,
                          double errorRate, int errorStatus, int bodySize) {

    /** The longest delay the service adds to one answer, through a knob or {@code GET /slow}. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);
    /** Bodies beyond this would measure memory copies rather than the load tool. */
    public static final int MAX_BODY_SIZE_BYTES = 64 * 1024 * 1024;
    /** The address {@code stampede target} listens on unless told otherwise. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The seed lab's port (its Flask app listened there). */
    public static final int DEFAULT_PORT = 5001;
    /** The status of an injected error unless told otherwise. */
    public static final int DEFAULT_ERROR_STATUS = 500;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb)?");

    /** Checks every value; messages name the record component, e.g. {@code "errorRate: must be ..."}. */
    public DemoOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must not be blank");
        }
        named("port", () -> checkPort(port));
        named("latency", () -> checkDelay(latency));
        named("jitter", () -> checkDelay(jitter));
        named("errorRate", () -> checkErrorRate(errorRate));
        named("errorStatus", () -> checkErrorStatus(errorStatus));
        named("bodySize", () -> checkBodySize(bodySize));
    }

    /** A well-behaved service on 127.0.0.1:5001 answering {@code GET /} with the bare home page. */
    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_HOST, DEFAULT_PORT, Duration.ZERO, Duration.ZERO,
                0.0, DEFAULT_ERROR_STATUS, DemoService.HOME_PAGE.length());
    }

    public DemoOptions withHost(String newHost) {
        return new DemoOptions(newHost, port, latency, jitter, errorRate, errorStatus, bodySize);
    }

    public DemoOptions withPort(int newPort) {
        return new DemoOptions(host, newPort, latency, jitter, errorRate, errorStatus, bodySize);
    }

    public DemoOptions withLatency(Duration newLatency) {
        return new DemoOptions(host, port, newLatency, jitter, errorRate, errorStatus, bodySize);
    }

    public DemoOptions withJitter(Duration newJitter) {
        return new DemoOptions(host, port, latency, newJitter, errorRate, errorStatus, bodySize);
    }

    public DemoOptions withErrorRate(double newErrorRate) {
        return new DemoOptions(host, port, latency, jitter, newErrorRate, errorStatus, bodySize);
    }

    public DemoOptions withErrorStatus(int newErrorStatus) {
        return new DemoOptions(host, port, latency, jitter, errorRate, newErrorStatus, bodySize);
    }

    public DemoOptions withBodySize(int newBodySize) {
        return new DemoOptions(host, port, latency, jitter, errorRate, errorStatus, newBodySize);
    }

    // The checks and parsers below leave the subject out of their messages so that each front end
    // names it its own way: "--error-rate: must be ..." for a flag, "errorRate: must be ..." here.

    /** @throws IllegalArgumentException unless 0 to 65535 */
    public static int checkPort(int port) {
        return Addresses.port(port, Addresses.ANY_FREE_PORT);
    }

    /** @throws IllegalArgumentException unless 0 to {@link #MAX_DELAY} */
    public static Duration checkDelay(Duration delay) {
        require(delay != null, "is required");
        require(!delay.isNegative() && delay.compareTo(MAX_DELAY) <= 0,
                "must be between 0s and " + Durations.format(MAX_DELAY) + " (got " + Durations.format(delay) + ")");
        return delay;
    }

    /** @throws IllegalArgumentException unless 0 to 1 */
    public static double checkErrorRate(double rate) {
        require(rate >= 0.0 && rate <= 1.0, "must be between 0 and 1 (got " + rate + ")");
        return rate;
    }

    /** @throws IllegalArgumentException unless an HTTP status from 200 to 599 */
    public static int checkErrorStatus(int status) {
        require(status >= 200 && status <= 599, "must be an HTTP status between 200 and 599 (got " + status + ")");
        return status;
    }

    /** @throws IllegalArgumentException unless 0 to {@link #MAX_BODY_SIZE_BYTES} */
    public static int checkBodySize(int bytes) {
        require(bytes >= 0 && bytes <= MAX_BODY_SIZE_BYTES,
                "must be between 0 and 64mb (got " + bytes + " bytes)");
        return bytes;
    }

    /**
     * Parses a share: {@code 0.1} or {@code 10%}.
     *
     * @throws IllegalArgumentException if it is not a number or not between 0 and 1
     */
    public static double parseRate(String text) {
        String trimmed = text == null ? "" : text.strip();
        boolean percent = trimmed.endsWith("%");
        String number = percent ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (examples: 0.1, 10%)");
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (examples: 0.1, 10%)");
        }
        return checkErrorRate(percent ? value / 100.0 : value);
    }

    /**
     * Parses a size in bytes: {@code 512}, {@code 512b}, {@code 1kb}, {@code 2mb} (k and m are
     * binary: 1kb is 1024 bytes).
     *
     * @throws IllegalArgumentException if it is not a size or is beyond {@link #MAX_BODY_SIZE_BYTES}
     */
    public static int parseBodySize(String text) {
        String trimmed = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SIZE.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512, 1kb, 2mb)");
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long multiplier = switch (unit) {
            case "k", "kb" -> 1024L;
            case "m", "mb" -> 1024L * 1024L;
            default -> 1L;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            bytes = Long.MAX_VALUE;
        }
        require(bytes <= MAX_BODY_SIZE_BYTES, "must be between 0 and 64mb (got " + text + ")");
        return (int) bytes;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static void named(String component, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(component + ": " + invalid.getMessage(), invalid);
        }
    }
}
