/**
 * HTTP fault injection: a reverse proxy that users go through, which answers errors and adds
 * delays on a share of the requests, each fault removable at any time.
 *
 * <h2>What it is</h2>
 *
 * {@link io.stampede.chaos.http.HttpFaultProxy} is Jetty's reverse proxy (core
 * {@code ProxyHandler.Reverse}) in front of one HTTP upstream, listening on a loopback port.
 * Without faults it is a faithful pass-through (method, path, query, headers and cookies, bodies,
 * status; keep-alive on both sides). Each fault is an immutable
 * {@link io.stampede.chaos.http.HttpFaultSpec} (an error status, a delay or both; a rate; the
 * paths covered and excluded; an optional "first N requests only") and, once added, an
 * {@link io.stampede.chaos.http.HttpFault} handle that undoes it and counts the requests it
 * affected, for the run's per-fault impact. Scheduling (when to inject, when to undo) is the chaos
 * engine's job, not the proxy's.
 *
 * <pre>{@code
 * try (DemoService app = new DemoService(DemoOptions.defaults().withPort(0))) {
 *     app.start();
 *     try (HttpFaultProxy proxy = HttpFaultProxy.start("app", "127.0.0.1", 0, URI.create(app.baseUrl()))) {
 *         // point users at proxy.url()
 *         HttpFault errors = proxy.add(HttpFaultSpec.error(503).withRate(0.3).withExcludedPaths("/health"));
 *         HttpFault slow = proxy.add(HttpFaultSpec.latency(Duration.ofMillis(200)).withPaths("/item"));
 *         ...                                   // at the end of the fault's duration:
 *         errors.remove();
 *         slow.remove();
 *         report(errors.affected(), slow.affected());
 *     }
 * }
 * }</pre>
 *
 * <h2>How faults combine</h2>
 *
 * Faults are asked in the order they were added. Each one that covers the request's path draws
 * the request on its own (its rate, then its firstN budget). The delays of all drawn faults add
 * up; the first drawn fault with an error status answers the request after that delay, and later
 * error faults are skipped for it (no count, no firstN spent). A request with a delay and no error
 * is forwarded after its delay. A fault's change ({@code add}, {@code remove}) applies from the
 * next request; requests already decided finish as decided.
 *
 * <h2>What the proxy answers by itself</h2>
 *
 * Injected errors carry a {@code Stampede-Fault: <status>} header and a short text body. An
 * upstream that is down gives {@code 502 Bad Gateway}, a silent one {@code 504} after
 * {@link io.stampede.chaos.http.HttpFaultProxy#UPSTREAM_IDLE_TIMEOUT}.
 *
 * <h2>Staying out of the measurement</h2>
 *
 * Delays are timers on Jetty's scheduler, not sleeping threads, so 10,000 delayed requests cost
 * 10,000 timers; the handler never blocks, so Jetty runs it on the I/O thread; with no fault
 * active the only added work per request is one volatile read.
 *
 * <p>Measured with {@code wrk -t1 -c50 -d10s --latency} on {@code GET /} of the demo service
 * (after a 20 s warm-up, 3 rounds), 127.0.0.1 only, on a 2-vCPU VM shared with other builds
 * (load average 5 to 8, so req/s swings; requests per CPU-second of the server process, read from
 * {@code /proc/PID/stat}, barely moves and is the number to trust). wrk on CPU 0; the demo service
 * and the proxy in separate JDK 25 JVMs, both on CPU 1 ({@code taskset}). The bench is
 * {@code HttpFaultProxyBench} in the tests.
 *
 * <table>
 *   <caption>Proxy cost (Jetty 12.1.14)</caption>
 *   <tr><th>path</th><th>req/s (best round)</th><th>p50 / p99 of that round</th><th>req per CPU-second of the server</th></tr>
 *   <tr><td>direct to the demo service</td><td>112,000</td><td>0.36 / 1.7 ms</td><td>100,000 to 121,000</td></tr>
 *   <tr><td>through the proxy, no fault</td><td>20,000</td><td>2.3 / 7 ms</td><td>20,000 to 28,000 (the proxy alone)</td></tr>
 *   <tr><td>through the proxy, a fault on another path</td><td>20,000</td><td>2.2 / 35 ms</td><td>19,000 to 28,000</td></tr>
 *   <tr><td>proxy answering 503 to every request</td><td>103,000</td><td>0.36 / 9.6 ms</td><td>90,000 to 124,000</td></tr>
 *   <tr><td>50 ms delay on every request, {@code -c500}</td><td>8,030</td><td>57 / 129 ms</td><td>12,000</td></tr>
 * </table>
 *
 * <p>So forwarding costs about 40 µs of CPU per request, 4 to 5 times what the demo service
 * needs to answer (a full HTTP exchange on each side): one core of proxy carries about 25,000
 * req/s, near the ~34,000 req/s per core of Stampede's own HTTP client. Far above a typical chaos
 * lab (hundreds of req/s), but in a maximum-throughput test on a small machine, give the proxy
 * its own cores or it becomes the limit. The delay row shows delays hold no thread: 500 delayed
 * requests at once gave twice the 4,000 req/s that 200 threads sleeping 50 ms could give (the
 * closed-loop ceiling is 500 / 50 ms = 10,000 req/s; the shared CPU kept it below).
 */
package io.stampede.chaos.http;
