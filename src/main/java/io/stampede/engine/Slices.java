package io.stampede.engine;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A worker's slices of the whole schedule over time: which {@link Segment} holds from which offset
 * from the run's start. The coordinator dates every re-split a margin ahead ({@link
 * ClusterPool#SLICE_MARGIN}), and every worker looks up the slice in force at an arrival's own
 * offset, not at the moment the message came: all switch at the same arrival, and those before it
 * follow the old split, so each arrival starts exactly once.
 */
final class Slices {

    private static final System.Logger LOG = System.getLogger(Slices.class.getName());

    /** Guarded by this: a slice and a decision never cross (uncontended, once per arrival). */
    private final NavigableMap<Long, Segment> from = new TreeMap<>();
    /** The offset up to which this worker has already decided (arrivals started or not, users set). */
    private long decidedNanos = Long.MIN_VALUE;

    Slices(Segment whole) {
        from.put(Long.MIN_VALUE, whole);
    }

    /** {@code segment} holds from {@code offset} on; a later slice dated earlier replaces what followed. */
    synchronized void hold(Segment segment, Duration offset) {
        long at = offset.toNanos();
        long decided = decidedNanos;
        if (at <= decided) {
            // came after its date: what this worker decided since followed the old split (the margin is
            // many times a message's delivery; a worker this late was silent, see the README)
            LOG.log(System.Logger.Level.WARNING, "the slice " + segment + " dated " + offset.toMillis() + " ms came "
                    + (decided - at) / 1_000_000 + " ms late: it holds from now");
            at = decided + 1;
        }
        from.tailMap(at, true).clear();
        from.put(at, segment);
    }

    /** The segment in force at {@code offsetNanos}, which this worker now decides for. */
    synchronized Segment at(long offsetNanos) {
        if (offsetNanos > decidedNanos) {
            decidedNanos = offsetNanos;
        }
        return held(offsetNanos);
    }

    /** The segment given for {@code offsetNanos}, deciding nothing: the coordinator's view of a worker. */
    synchronized Segment held(long offsetNanos) {
        return from.floorEntry(offsetNanos).getValue();
    }

    /** The last segment given, whatever its date: for what does not follow arrivals (caps, estimates). */
    synchronized Segment last() {
        Map.Entry<Long, Segment> last = from.lastEntry();
        return last.getValue();
    }
}
