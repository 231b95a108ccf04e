package io.stampede.engine;


/**
 * The open model's whole schedule: arrivals numbered 0, 1, 2, ... at their offsets from the run's
 * start. Pure arithmetic on the plan, so every process that runs the same plan computes the same
 * arrival at the same offset: workers tell theirs apart by number ({@link Segment#owns}) and switch
 * to a new split at the same arrival ({@link Slices}), and the coordinator can count a lost worker's
 * arrivals without running any.
 */
final class ArrivalClock {

    /** An offset no run reaches, far enough from overflow to add a start time to. */
    static final long NEVER = Long.MAX_VALUE / 4;
    /** The integral's rounding: an arrival this close to a stage's end counts as at its end. */
    private static final double INTEGRAL_SLACK = 1e-9;

    private final LoadModel.Open model;
    /** The stage the search is in: its index (-1 for a plan without stages), start, rates at both ends. */
    private int stage;
    private long stageStartNanos;
    private long stageNanos;
    private double fromRate;
    private double toRate;
    /** Arrivals the schedule held before the stage's start: the integral of the rate up to there. */
    private double arrivalsBeforeStage;
    private long index = -1;
    private long offsetNanos = -1;
    /** The next arrival's offset; while none is found, where the stages end ({@link #lastStage}). */
    private long nextOffsetNanos;
    private boolean lastStage;
    private boolean over;

    ArrivalClock(LoadModel.Open model) {
        this.model = model;
        if (model.stages().isEmpty()) {
            stage = -1;
            stageNanos = Long.MAX_VALUE;
            fromRate = model.arrivalRate();
            toRate = model.arrivalRate();
        } else {
            stage = 0;
            stageNanos = model.stages().get(0).duration().toNanos();
            fromRate = model.arrivalRate();
            toRate = model.stages().get(0).arrivalRate();
        }
        nextOffsetNanos = offsetOf(0);
    }

    /**
     * Moves to the next arrival when it is due before {@code limitNanos} (an offset from the start):
     * true, with its {@link #index()} and {@link #offsetNanos()}; false when none is yet, or the
     * stages are over ({@link #over()}).
     */
    boolean advance(long limitNanos) {
        if (over || nextOffsetNanos >= limitNanos) {
            return false;
        }
        if (lastStage) { // no arrival before the stages end, and the limit is past it
            over = true;
            return false;
        }
        index++;
        offsetNanos = nextOffsetNanos;
        nextOffsetNanos = offsetOf(index + 1);
        return true;
    }

    /**
     * Arrival {@code k} is due where the rate's integral from the start reaches {@code k}: on a
     * ramp the rate changes between two arrivals, and taking the gap from the rate at the first one
     * would start almost none on a ramp from 0 (0 to 100/s over 2 s gave 1 arrival, not 100).
     * Within a stage the rate is linear, so the integral is a quadratic solved exactly. Where no
     * stage reaches {@code k}, answers the stages' end and marks it.
     */
    private long offsetOf(long k) {
        while (true) {
            double stageSeconds = stageNanos / 1e9;
            double inStage = stage < 0 ? Double.POSITIVE_INFINITY : (fromRate + toRate) / 2 * stageSeconds;
            double need = k - arrivalsBeforeStage;
            if (stage < 0 && fromRate <= 0) { // a constant rate of 0: never
                lastStage = true;
                return NEVER;
            }
            // strictly inside: an arrival where a stage ends is the next stage's first, and none is
            // at the last stage's end (N arrivals in a stage of N, as at a constant rate)
            if (stage < 0 || need < inStage - INTEGRAL_SLACK * Math.max(1, inStage)) {
                double slope = stage < 0 ? 0 : (toRate - fromRate) / stageSeconds;
                // fromRate·x + slope·x²/2 = need, in the form that stays exact for slope 0 and fromRate 0
                double root = Math.sqrt(Math.max(0, fromRate * fromRate + 2 * slope * need));
                double seconds = need <= 0 ? 0 : 2 * need / (fromRate + root);
                return stageStartNanos + Math.min(stageNanos, (long) Math.ceil(seconds * 1e9));
            }
            if (stage < 0 || stage + 1 >= model.stages().size()) {
                lastStage = true;
                return stage < 0 ? NEVER : stageStartNanos + stageNanos;
            }
            arrivalsBeforeStage += inStage;
            stageStartNanos += stageNanos;
            stage++;
            stageNanos = model.stages().get(stage).duration().toNanos();
            fromRate = toRate;
            toRate = model.stages().get(stage).arrivalRate();
        }
    }

    /** The current arrival's number in the whole schedule; -1 before the first. */
    long index() {
        return index;
    }

    /** The current arrival's offset from the run's start. */
    long offsetNanos() {
        return offsetNanos;
    }

    /** The next arrival's offset, or where the stages end when no arrival comes before. */
    long nextOffsetNanos() {
        return nextOffsetNanos;
    }

    /** The stages are over: no arrival follows. */
    boolean over() {
        return over;
    }

    /**
     * A clock whose next arrival is the first due at or after {@code fromNanos}, numbered as from the start:
     * found by searching arrival numbers (offsets grow with them), each probe solving the stages afresh,
     * so it costs the log of the arrivals skipped, not a walk through them (hours at a high rate).
     */
    static ArrivalClock startingAt(LoadModel.Open model, long fromNanos) {
        long low = 0;
        long high = 1;
        while (!reaches(model, high, fromNanos)) {
            low = high;
            if (high > Long.MAX_VALUE / 4) {
                break;
            }
            high *= 2;
        }
        // the smallest k in (low, high] that reaches fromNanos (k = 0 when it does)
        if (reaches(model, 0, fromNanos)) {
            high = 0;
        }
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (reaches(model, middle, fromNanos)) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return at(model, high);
    }

    /** Arrival {@code k} is due at or after {@code fromNanos}, or no stage holds it. */
    private static boolean reaches(LoadModel.Open model, long k, long fromNanos) {
        ArrivalClock clock = at(model, k);
        return clock.lastStage || clock.nextOffsetNanos >= fromNanos;
    }

    /** A clock whose next arrival is number {@code k}. */
    private static ArrivalClock at(LoadModel.Open model, long k) {
        ArrivalClock clock = new ArrivalClock(model);
        if (k > 0) {
            clock.index = k - 1;
            clock.nextOffsetNanos = clock.offsetOf(k);
        }
        return clock;
    }

    /** How many arrivals with offsets in {@code [fromNanos, toNanos)} the slices held then own. */
    static long count(LoadModel.Open model, Slices slices, long fromNanos, long toNanos) {
        ArrivalClock clock = startingAt(model, fromNanos);
        long owned = 0;
        while (clock.advance(toNanos)) {
            if (clock.offsetNanos() >= fromNanos && slices.held(clock.offsetNanos()).owns(clock.index())) {
                owned++;
            }
        }
        return owned;
    }
}
