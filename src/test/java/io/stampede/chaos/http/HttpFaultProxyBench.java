package io.stampede.chaos.http;

import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import java.net.URI;
import java.time.Duration;

/**
 * Not a test: the bench behind the numbers in the package doc. Runs the demo service or a fault
 * proxy alone in this JVM (so each one's CPU time can be read from {@code /proc/PID/stat}), prints
 * its URL and PID, and exits after a bounded time so a forgotten bench never lingers.
 *
 * <pre>{@code
 * CP=target/classes:target/test-classes:$(cat cp.txt)   # mvn dependency:build-classpath -Dmdep.outputFile=cp.txt
 * taskset -c 1 java -cp $CP io.stampede.chaos.http.HttpFaultProxyBench 120 demo
 * taskset -c 1 java -cp $CP io.stampede.chaos.http.HttpFaultProxyBench 120 proxy http://127.0.0.1:DEMO_PORT [none|decide|error|delay]
 * taskset -c 0 wrk -t1 -c50 -d10s --latency http://127.0.0.1:PORT/
 * }</pre>
 *
 * The fault is {@code none} (default), {@code decide} (one fault on {@code /nothing}, so every
 * request pays for the decision but none is affected), {@code error} (503 on every request) or
 * {@code delay} ({@link #BENCH_DELAY} on every request: with 500 connections the closed-loop
 * ceiling is 500 / 50 ms = 10,000 req/s, reached only if delays do not hold threads).
 */
final class HttpFaultProxyBench {

    static final Duration BENCH_DELAY = Duration.ofMillis(50);

    private HttpFaultProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SECONDS demo | SECONDS proxy UPSTREAM [none|decide|error|delay]");
        }
        Duration lifetime = Duration.ofSeconds(Long.parseLong(args[0]));
        long pid = ProcessHandle.current().pid();
        if (args[1].equals("demo")) {
            try (DemoService app = new DemoService(DemoOptions.defaults().withPort(0))) {
                app.start();
                System.out.println("demo " + app.baseUrl() + " pid " + pid);
                Thread.sleep(lifetime);
            }
            return;
        }
        String fault = args.length > 3 ? args[3] : "none";
        try (HttpFaultProxy proxy = HttpFaultProxy.start("bench", "127.0.0.1", 0, URI.create(args[2]))) {
            switch (fault) {
                case "none" -> { }
                case "decide" -> proxy.add(HttpFaultSpec.latency(Duration.ofMillis(1)).withPaths("/nothing"));
                case "error" -> proxy.add(HttpFaultSpec.error(503));
                case "delay" -> proxy.add(HttpFaultSpec.latency(BENCH_DELAY));
                default -> throw new IllegalArgumentException("fault must be none, decide, error or delay, got " + fault);
            }
            System.out.println("proxy " + proxy.url() + " pid " + pid);
            Thread.sleep(lifetime);
        }
    }
}
