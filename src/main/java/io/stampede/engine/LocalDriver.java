package io.stampede.engine;

import io.stampede.api.User;
import io.stampede.http.UserHttpSession;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * What both models share when the users run in this process: one recorder made when the clock
 * starts, intervals taken from it, and users made the same way (a failing constructor is counted
 * against its class, not thrown), each with its own HTTP session on that recorder.
 */
abstract sealed class LocalDriver implements LoadDriver permits PopulationDriver, ArrivalDriver {

    final RunSpec spec;
    final List<UserType> types;
    final TaskErrors errors;
    private final URI host;
    /** Where the users record; made when the clock starts. */
    private volatile StatsRecorder recorder;
    /** This process's slices of the plan's load over time: all of it, unless a coordinator gave it a part. */
    private final Slices slices = new Slices(Segment.WHOLE);
    /** How far into the whole run's schedule this process starts: zero, unless it joined a running load. */
    private volatile Duration joinedAt = Duration.ZERO;

    LocalDriver(RunSpec spec, List<UserType> types, TaskErrors errors) {
        this.spec = spec;
        this.types = types;
        this.errors = errors;
        this.host = URI.create(spec.host());
    }

    @Override
    public final void begin(long startEpochMillis, InstantSource clock) {
        recorder = new StatsRecorder(startEpochMillis, clock);
    }

    /** The last interval counts no users: they have all been stopped by then. */
    @Override
    public final IntervalStats takeInterval(long endEpochMillis, boolean last) {
        return recorder.takeInterval(endEpochMillis, last ? 0 : users());
    }

    /**
     * Takes {@code slice} of the load from {@code from} into the schedule on (a worker's part changes
     * when another joins or is lost; every worker switches at the same offset).
     */
    final void slice(Segment slice, Duration from) {
        slices.hold(slice, from);
    }

    /** Decisions from now on wait for the coordinator's promises, the first reaching {@code until} (see {@link Slices}). */
    final void horizon(Duration until) {
        slices.horizon(until);
    }

    /** The coordinator promises no slice dated before {@code until}. */
    final void promised(Duration until) {
        slices.promised(until);
    }

    /** Nothing waits for a promise any more: the run stops. */
    final void releaseSlices() {
        slices.release();
    }

    /** The slice in force at {@code offsetNanos} into the schedule; waits at the coordinator's horizon. */
    final Segment segmentAt(long offsetNanos) {
        return slices.at(offsetNanos);
    }

    /** The last slice given: for what does not follow the schedule (the concurrency cap, users made ahead). */
    final Segment segment() {
        return slices.last();
    }

    /** Starts {@code offset} into the schedule (a worker joining a running load); before {@link #drive}. */
    final void joinAt(Duration offset) {
        joinedAt = offset;
    }

    final Duration joinedAt() {
        return joinedAt;
    }

    /** The recorder of the run; null before {@link #begin}. */
    final StatsRecorder recorder() {
        return recorder;
    }

    /** A new user of {@code type}, or null when its constructor threw (recorded as the class's error). */
    final User newUser(UserType type) {
        try {
            return type.factory().get();
        } catch (RuntimeException e) {
            errors.record(type.name(), "<constructor>", e.getCause() == null ? e : e.getCause());
            return null;
        }
    }

    /** A new user's own HTTP session against the run's host, recording into the run's recorder. */
    final UserHttpSession newSession() {
        return new UserHttpSession(host, spec.http(), recorder);
    }
}
