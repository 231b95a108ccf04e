package io.stampede.chaos;

/**
 * One kind of damage, one class each (see {@code faults/}). A fault only knows how to do its damage
 * and how to undo it; when, where, how often, and the guarantee that every injection is rolled
 * back live once in {@link ChaosEngine}.
 *
 * <p>To add a fault: write a class implementing this, with a {@link FaultFactory} that reads its
 * parameters, and list the factory in {@code META-INF/services/io.stampede.chaos.FaultFactory}.
 * The built-in faults register exactly that way.
 */
public interface Fault {

    /** Does the damage now and returns how to undo it. Throwing is reported as a failed injection. */
    Injection inject(TargetHandle target) throws Exception;

    /** Why this fault cannot act on a target of this kind, or null when it can (checked before the run). */
    String unsupportedOn(TargetHandle.Kind kind);

    /**
     * Checks at the start of a run, before any user starts, that the fault can act on this target
     * here (a kernel feature, a host tool); throws with the reason otherwise. Most faults can.
     */
    default void check(TargetHandle target) throws Exception {
    }

    /** What the fault needs in front of its target; users then reach the target through it. */
    default Front front() {
        return Front.NONE;
    }

    /** A proxy Stampede puts between the users and a target so faults can act on the traffic. */
    enum Front {
        NONE,
        /** The TCP fault proxy (latency, bandwidth, reset, ...: Toxiproxy's toxics). */
        TCP,
        /** The HTTP fault proxy (error statuses, delays, first N requests). */
        HTTP
    }

    /** What the dry run and the console show, e.g. {@code pause 10s}. */
    String describe();
}
