package io.stampede.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One worker's slice {@code [from/of, to/of)} of the interval [0,1), as k6's execution segments: a
 * worker runs the whole plan's schedule and takes its slice of every quantity of it, so the slices
 * of a partition of [0,1) add up to the whole at every instant, with nothing lost to rounding.
 *
 * <ul>
 *   <li>a count {@code n} (users now, a stage's users, the concurrency cap): the slice takes those of
 *       {@code 0 .. n-1} that it owns, as arrivals below; over a partition they add up to {@code n};</li>
 *   <li>arrivals of the open model: the whole schedule's arrival {@code k} belongs to the slice
 *       holding {@code k mod of}, so each arrival has exactly one owner and, over any {@code of}
 *       arrivals in a row, a slice takes exactly {@code to − from};</li>
 *   <li>a rate (users per second): the slice's fraction of it, for what a worker shows.</li>
 * </ul>
 *
 * <p>The parts of a partition must share {@code of} (the coordinator splits into equal slices, so
 * they do).
 */
record Segment(int from, int to, int of) {

    /** The whole of [0,1): a run in one process. */
    static final Segment WHOLE = new Segment(0, 1, 1);
    /** Nothing: a worker that joined a running load, until its slice's date. */
    static final Segment NONE = new Segment(0, 0, 1);

    Segment {
        if (of < 1 || from < 0 || from > to || to > of) {
            throw new IllegalArgumentException("not a segment of [0,1): " + from + "/" + of + " to " + to + "/" + of);
        }
    }

    /** Slice {@code index} of {@code count} equal slices. */
    static Segment of(int index, int count) {
        return new Segment(index, index + 1, count);
    }

    /**
     * This slice's part of a count: how many of {@code 0 .. total-1} it {@link #owns}, so the parts
     * over a partition add up to {@code total}, and a part never shrinks while the total grows (with
     * {@code floor(n·b) − floor(n·a)}, 2 → 3 users over 5 workers took a user from one worker to
     * give two to another).
     */
    int part(int total) {
        long width = to - from;
        long whole = Math.floorDiv((long) total, of) * width;
        return (int) (whole + Math.clamp(Math.floorMod(total, of) - from, 0, width));
    }

    /** This slice's fraction of a rate. */
    double part(double rate) {
        return rate * (to - from) / of;
    }

    /** Whether the whole schedule's arrival {@code k} (0, 1, 2, ...) is this slice's. */
    boolean owns(long k) {
        long at = Math.floorMod(k, (long) of);
        return at >= from && at < to;
    }

    @JsonIgnore
    boolean whole() {
        return from == 0 && to == of;
    }

    @Override
    public String toString() {
        return whole() ? "all" : from == to ? "none" : from + "/" + of + "–" + to + "/" + of;
    }
}
