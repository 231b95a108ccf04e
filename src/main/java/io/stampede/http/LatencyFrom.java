package io.stampede.http;

/**
 * Where a request's latency starts when the schedule says when it should start (the open model,
 * constant pacing). Measuring from the actual start is "coordinated omission": a stalled service
 * holds back the requests that would have shown the stall.
 */
public enum LatencyFrom {
    /** When the request should have started: a stalled service shows its full cost. */
    INTENDED,
    /** When it did start: what most tools report, and what hides a stall. */
    ACTUAL
}
