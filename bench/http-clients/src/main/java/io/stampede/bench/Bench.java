package io.stampede.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: N users (one virtual thread each) loop {@code GET url} for warm-up + duration seconds.
 * Only requests that start and end inside the measurement window are counted.
 *
 * <pre>java -jar http-clients-bench.jar --client raw --url http://127.0.0.1:8080/ [--users 50]
 *     [--warmup 3] [--duration 10] [--pace-ms 0]</pre>
 * --pace-ms P: each user starts one request every P ms (randomly staggered start), for the memory mode.
 * Prints a human summary and one {@code RESULT key=value ...} line for scripts.
 */
public final class Bench {
    private static final long MAX_LATENCY_US = TimeUnit.SECONDS.toMicros(60);

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        String clientName = opt.getOrDefault("client", "raw");
        URI uri = URI.create(opt.getOrDefault("url", "http://127.0.0.1:8080/"));
        int users = Integer.parseInt(opt.getOrDefault("users", "50"));
        double warmup = Double.parseDouble(opt.getOrDefault("warmup", "3"));
        double duration = Double.parseDouble(opt.getOrDefault("duration", "10"));
        long paceMs = Long.parseLong(opt.getOrDefault("pace-ms", "0"));

        Histogram latency = new ConcurrentHistogram(MAX_LATENCY_US, 3); // lock-free recording
        LongAdder errors = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long windowStart = start + (long) (warmup * 1e9);
        long windowEnd = windowStart + (long) (duration * 1e9);

        Candidate candidate = Candidate.create(clientName, uri, users);
        List<Thread> threads = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            threads.add(Thread.ofVirtual().name("user-" + i).start(() -> {
                try (Candidate.Session session = candidate.newSession()) {
                    if (paceMs > 0) Thread.sleep(ThreadLocalRandom.current().nextLong(paceMs));
                    for (long t0; (t0 = System.nanoTime()) < windowEnd; ) {
                        try {
                            int status = session.get();
                            long t1 = System.nanoTime();
                            if (status != 200) {
                                errors.increment();
                                firstError.compareAndSet(null, new IllegalStateException("status " + status));
                            } else if (t0 >= windowStart && t1 <= windowEnd) {
                                latency.recordValue(Math.min((t1 - t0) / 1000, MAX_LATENCY_US));
                            }
                        } catch (Exception e) {
                            errors.increment();
                            firstError.compareAndSet(null, e);
                            Thread.sleep(10); // no hot error loop
                        }
                        if (paceMs > 0) {
                            long sleepNs = t0 + paceMs * 1_000_000 - System.nanoTime();
                            if (sleepNs > 0) Thread.sleep(Math.min(sleepNs, Math.max(0, windowEnd - System.nanoTime())) / 1_000_000);
                        }
                    }
                } catch (Exception e) {
                    errors.increment();
                    firstError.compareAndSet(null, e);
                }
            }));
        }

        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sleepUntil(windowStart);
        long cpu0 = os.getProcessCpuTime();
        sleepUntil(windowEnd);
        long cpu1 = os.getProcessCpuTime();
        int platformThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        long hwmKb = procStatusKb("VmHWM"); // peak RSS, read while every user still holds its connection
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long deadline = windowEnd + TimeUnit.SECONDS.toNanos(15);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) break;
        }
        candidate.close();

        long count = latency.getTotalCount();
        double rps = count / duration;
        double cpuS = (cpu1 - cpu0) / 1e9;
        System.out.printf("%s: users=%d %.0f req/s, p50=%.3f ms, p99=%.3f ms, cpu=%.2f s (%.2f s per 10k req), "
                        + "errors=%d, VmHWM=%.1f MB, live heap=%.1f MB, platform threads=%d%n",
                clientName, users, rps, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                cpuS, count == 0 ? 0 : cpuS * 10_000 / count, errors.sum(), hwmKb / 1024.0, heap.getUsed() / 1048576.0,
                platformThreads);
        if (firstError.get() != null) System.out.println("first error: " + firstError.get());
        System.out.printf("RESULT client=%s rps=%.1f p50_us=%d p99_us=%d cpu_s=%.3f count=%d errors=%d "
                        + "hwm_kb=%d heap_live_kb=%d threads=%d users=%d%n",
                clientName, rps, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), cpuS, count,
                errors.sum(), hwmKb, heap.getUsed() / 1024, platformThreads, users);
        System.exit(0); // do not wait for stragglers or non-daemon client threads
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) TimeUnit.NANOSECONDS.sleep(left);
    }

    private static long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --key value, got " + args[i]);
            map.put(args[i].substring(2), args[i + 1]);
        }
        return map;
    }
}
