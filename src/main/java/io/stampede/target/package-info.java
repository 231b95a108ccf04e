/**
 * Targets: what faults act on and what users load. Today that is the built-in demo service;
 * supervised targets (a process Stampede starts, probes for health and restarts after a kill,
 * like a container with a restart policy) live here too.
 *
 * <h2>The built-in demo service</h2>
 *
 * {@link io.stampede.target.DemoService} is the seed lab's "Flask app" rebuilt on Jetty's core
 * API: {@code GET /} answers a short HTML page and {@code GET /health} answers {@code OK}, plus a
 * few routes for testing sessions ({@code POST /login}, {@code GET /profile}), JSON
 * ({@code GET /item/{id}}) and slow answers ({@code GET /slow?ms=N}). Its knobs, in
 * {@link io.stampede.target.DemoOptions}, make it slow, flaky or heavy on purpose: added latency
 * with jitter, a share of injected errors, a body size for {@code GET /}.
 *
 * <pre>{@code
 * try (DemoService service = new DemoService(DemoOptions.defaults().withPort(0).withErrorRate(0.1))) {
 *     service.start();
 *     // point users at service.baseUrl(); about one answer in ten is a 500
 * }
 * }</pre>
 *
 * From the command line: {@code stampede target --port 5001 --latency 50ms --jitter 10ms}.
 *
 * <h2>Process targets are process sets</h2>
 *
 * A {@link io.stampede.target.ProcessTarget} is a service, which is usually several processes.
 * {@link io.stampede.target.ProcessScope} says which ones a fault acts on (a managed target: its
 * own process group; a PID: the process, its group, or its tree), and
 * {@link io.stampede.target.ProcessSet} is that set taken at one moment: it signals all of them
 * and checks the effect (all stopped, all gone), so faults report what they hit and whether it worked.
 *
 * <p>The service is built to stay out of the measurement: it answers from pre-encoded buffers,
 * logs nothing per request and waits on timers instead of threads, so a benchmark measures the
 * load tool (see {@code bench/demo-service/RESULTS.md} for its ceiling).
 */
package io.stampede.target;
