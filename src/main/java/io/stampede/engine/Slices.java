package io.stampede.engine;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A worker's slices of the whole schedule over time: which {@link Segment} holds from which offset
 * from the run's start. The coordinator dates every re-split a margin ahead ({@link
 * ClusterPool#SLICE_MARGIN}), and every worker looks up the slice in force at an arrival's own
 * offset, not at the moment the message came: all switch at the same arrival, and those before it
 * follow the old split, so each arrival starts exactly once.
 *
 * <p>That holds even for a slice that comes after its date (a worker or a link stalled longer than
 * the margin): a worker of a coordinator decides nothing at or past its horizon, the offset before
 * which the coordinator has promised no slice will be dated (each beat says where it is now plus the
 * margin; a slice's date is one too). Messages come in order, so a promise past a slice's date comes
 * after that slice: a decision waits for the promise, and the slice is in by then.
 */
final class Slices {

    private static final System.Logger LOG = System.getLogger(Slices.class.getName());
    /** How often a wait for a promise looks again, besides being woken: a bound should a wake-up be missed. */
    private static final long PROMISE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Guarded by this: a slice and a decision never cross (uncontended, once per arrival). */
    private final NavigableMap<Long, Segment> from = new TreeMap<>();
    /** The offset up to which this worker has already decided (arrivals started or not, users set). */
    private long decidedNanos = Long.MIN_VALUE;
    /** Decisions at or past this offset wait: no slice dated before it can come. MAX: none will (one process). */
    private long horizonNanos = Long.MAX_VALUE;

    Slices(Segment whole) {
        from.put(Long.MIN_VALUE, whole);
    }

    /** {@code segment} holds from {@code offset} on; a later slice dated earlier replaces what followed. */
    synchronized void hold(Segment segment, Duration offset) {
        long at = offset.toNanos();
        long decided = decidedNanos;
        if (at <= decided) {
            // came after its date and after this worker decided past it: only without a horizon (see above)
            LOG.log(System.Logger.Level.WARNING, "the slice " + segment + " dated " + offset.toMillis() + " ms came "
                    + (decided - at) / 1_000_000 + " ms late: it holds from now");
            at = decided + 1;
        }
        from.tailMap(at, true).clear();
        from.put(at, segment);
        promised(offset); // dated now plus the margin, as a beat's promise
    }

    /**
     * From now on decisions wait for the coordinator's promises: none is made at or past {@code until}
     * until a promise or slice reaches further. A worker calls it when its load starts.
     */
    synchronized void horizon(Duration until) {
        horizonNanos = until.toNanos();
        notifyAll();
    }

    /** The coordinator promises no slice dated before {@code until}: decisions before it may go on. */
    synchronized void promised(Duration until) {
        if (horizonNanos != Long.MAX_VALUE && until.toNanos() > horizonNanos) {
            horizonNanos = until.toNanos();
            notifyAll();
        }
    }

    /** Nothing waits for a promise any more (the run stops, or its coordinator is gone). */
    synchronized void release() {
        horizonNanos = Long.MAX_VALUE;
        notifyAll();
    }

    /** Where decisions wait now: the offset of the furthest promise; MAX when none are awaited. */
    synchronized long horizonNanos() {
        return horizonNanos;
    }

    /**
     * The segment in force at {@code offsetNanos}, which this worker now decides for; waits while that
     * offset is at or past the horizon (see above), returning at once when interrupted.
     */
    synchronized Segment at(long offsetNanos) {
        while (offsetNanos >= horizonNanos) {
            try {
                wait(TimeUnit.NANOSECONDS.toMillis(PROMISE_POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
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
