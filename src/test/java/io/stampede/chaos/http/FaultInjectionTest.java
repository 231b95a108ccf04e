package io.stampede.chaos.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.Waiting;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults through a real proxy in front of the real demo service, seen by a real client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class FaultInjectionTest {

    /** Enough requests for a share to be measured within a few percent. */
    private static final int SHARE_SAMPLE = 1_000;
    /** 5 standard deviations of a 30% share over 1,000 requests (about 14.5): flakes about never. */
    private static final int SHARE_TOLERANCE = 75;
    private static final Duration INJECTED_DELAY = Duration.ofMillis(300);
    /** How many times the path the delay excludes is timed. */
    private static final int EXCLUDED_TIMINGS = 5;
    /** Refused requests the concurrent users see at least before the fault is removed: it is removed under load. */
    private static final int REFUSED_BEFORE_REMOVE = 20;
    /** Bounds the load of the removal test on a machine however busy. */
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(30);
    private static final int REQUESTS_AFTER_REMOVE = 5;
    /** A burst of a few hundred requests through the proxy, on a machine however busy. */
    private static final Duration BURST_DEADLINE = Duration.ofSeconds(30);

    @Test
    void everyRequestFailsAtRateOne() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503));

            for (String path : List.of("/", "/item/1", "/health")) {
                HttpResponse<String> answer = lab.get(path);

                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.body()).isEqualTo(fault.spec().body());
                assertThat(answer.headers().firstValue(FaultingProxyHandler.FAULT_HEADER)).hasValue("503");
            }
            assertThat(fault.affected()).isEqualTo(3);
            assertThat(lab.proxy.active()).containsExactly(fault.spec());
        }
    }

    @Test
    void aShareOfRequestsFailsAtRateBelowOne() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(500).withRate(0.3));

            int failed = 0;
            for (int i = 0; i < SHARE_SAMPLE; i++) {
                HttpResponse<String> answer = lab.get("/item/" + i);
                if (answer.statusCode() == 500) {
                    failed++;
                } else {
                    assertThat(answer.statusCode()).isEqualTo(200);
                }
            }

            assertThat(failed).isBetween(300 - SHARE_TOLERANCE, 300 + SHARE_TOLERANCE);
            assertThat(fault.affected()).isEqualTo(failed);
        }
    }

    @Test
    void excludedPathsAreNeverTouched() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503).withExcludedPaths("/health", "/item/7"));

            assertThat(lab.get("/health").body()).isEqualTo("OK");
            assertThat(lab.get("/health?deep=1").statusCode()).isEqualTo(200);
            assertThat(lab.get("/item/7").statusCode()).isEqualTo(200);
            assertThat(lab.get("/item/8").statusCode()).isEqualTo(503);
            assertThat(lab.get("/").statusCode()).isEqualTo(503);
            assertThat(fault.affected()).isEqualTo(2);
        }
    }

    @Test
    void onlyListedPathsAreTouched() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            lab.proxy.add(HttpFaultSpec.error(404).withPaths("/item"));

            assertThat(lab.get("/item/1").statusCode()).isEqualTo(404);
            assertThat(lab.get("/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void delayAddsLatencyAndThenForwards() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            lab.get("/");   // warm up the connections, so the timing below is the delay alone
            HttpFault slow = lab.proxy.add(HttpFaultSpec.latency(INJECTED_DELAY).withExcludedPaths("/health"));

            long start = System.nanoTime();
            HttpResponse<String> delayed = lab.get("/item/1");
            Duration delayedTook = Duration.ofNanos(System.nanoTime() - start);
            // The excluded path, timed a few times: the delay would hold every one of them, where a loaded
            // machine holds some of them, not all
            Duration healthFastest = null;
            for (int i = 0; i < EXCLUDED_TIMINGS; i++) {
                start = System.nanoTime();
                HttpResponse<String> health = lab.get("/health");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(health.body()).isEqualTo("OK");
                healthFastest = healthFastest == null || took.compareTo(healthFastest) < 0 ? took : healthFastest;
            }

            assertThat(delayed.statusCode()).isEqualTo(200);
            assertThat(delayed.body()).contains("item 1");
            assertThat(delayedTook).isGreaterThanOrEqualTo(INJECTED_DELAY);
            assertThat(healthFastest).isLessThan(INJECTED_DELAY);
            assertThat(slow.affected()).isEqualTo(1);
        }
    }

    @Test
    @EndToEnd // 300 connections at once
    void delaysDoNotHoldThreads() throws Exception {
        // More delayed requests at once than the proxy has threads, each delayed far longer than the wait
        // below: all of them are seen in their delay together, which a delay that held a thread (or the I/O
        // thread it may run on) would not allow before the first delays ended. Counted, not timed: on a
        // loaded machine the burst alone took seconds (9.4 s for a burst and a 4 s delay at load 30).
        int concurrent = 300;
        Duration delay = Duration.ofMinutes(10);
        try (ProxyLab lab = ProxyLab.start()) {
            healthAtOnce(lab, concurrent); // opens the connections on both sides first
            HttpFault slow = lab.proxy.add(HttpFaultSpec.latency(delay));

            List<CompletableFuture<HttpResponse<Void>>> answers = sendHealthAtOnce(lab, concurrent);

            Waiting.await("all " + concurrent + " requests in their delay at once").atMost(BURST_DEADLINE)
                    .until(slow::affected, n -> n == concurrent);
            assertThat(answers).as("answered before the delay").noneMatch(a -> a.isDone() && !a.isCompletedExceptionally());
        }
    }

    private static List<HttpResponse<Void>> healthAtOnce(ProxyLab lab, int concurrent) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> answers = sendHealthAtOnce(lab, concurrent);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(BURST_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static List<CompletableFuture<HttpResponse<Void>>> sendHealthAtOnce(ProxyLab lab, int concurrent) {
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            answers.add(lab.client.sendAsync(ProxyLab.request(lab.proxy.url(), "/health").GET().build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        return answers;
    }

    @Test
    void firstNFailsExactlyNThenPasses() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(502).withFirstN(3));

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(lab.get("/").statusCode());
            }

            assertThat(statuses).containsExactly(502, 502, 502, 200, 200, 200);
            assertThat(fault.affected()).isEqualTo(3);
            assertThat(fault.isActive()).isTrue();
        }
    }

    @Test
    void firstNHoldsUnderConcurrentRequests() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503).withFirstN(50));

            List<HttpResponse<Void>> answers = healthAtOnce(lab, 200);

            assertThat(answers).filteredOn(answer -> answer.statusCode() == 503).hasSize(50);
            assertThat(answers).filteredOn(answer -> answer.statusCode() == 200).hasSize(150);
            assertThat(fault.affected()).isEqualTo(50);
        }
    }

    @Test
    void removeUnderLoadLetsEveryLaterRequestThrough() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503));
            AtomicBoolean removed = new AtomicBoolean();
            AtomicInteger failedAfterRemove = new AtomicInteger();
            AtomicInteger sentAfterRemove = new AtomicInteger();
            AtomicInteger failedBefore = new AtomicInteger();
            // Counts, not wall time: each user goes on until it has sent a few requests after the
            // removal, and the removal waits for a refused one, however slow the machine.
            long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
            try (ExecutorService users = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int user = 0; user < 4; user++) {
                    users.submit(() -> {
                        int after = 0;
                        while (after < REQUESTS_AFTER_REMOVE && System.nanoTime() < deadline) {
                            boolean afterRemove = removed.get();
                            int status = lab.get("/health").statusCode();
                            if (afterRemove) {
                                after++;
                                sentAfterRemove.incrementAndGet();
                                failedAfterRemove.addAndGet(status == 200 ? 0 : 1);
                            } else {
                                failedBefore.addAndGet(status == 503 ? 1 : 0);
                            }
                        }
                        return null;
                    });
                }
                Waiting.await("requests refused under load").atMost(LOAD_DEADLINE)
                        .until(() -> failedBefore.get() >= REFUSED_BEFORE_REMOVE);
                fault.remove();
                removed.set(true);
            }

            assertThat(failedBefore.get()).isPositive();
            assertThat(sentAfterRemove.get()).isPositive();
            assertThat(failedAfterRemove.get()).isZero();
            assertThat(fault.affected()).isGreaterThanOrEqualTo(failedBefore.get());
        }
    }

    @Test
    void removeRestoresPassThroughOnTheNextRequest() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault fault = lab.proxy.add(HttpFaultSpec.error(503));
            assertThat(lab.get("/").statusCode()).isEqualTo(503);

            fault.remove();
            fault.remove();   // idempotent

            assertThat(lab.get("/").statusCode()).isEqualTo(200);
            assertThat(lab.proxy.active()).isEmpty();
            assertThat(fault.isActive()).isFalse();
            assertThat(fault.affected()).isEqualTo(1);
        }
    }

    @Test
    void firstErrorWinsAndDelaysAdd() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpFault first = lab.proxy.add(HttpFaultSpec.error(503).withDelay(Duration.ofMillis(100)));
            HttpFault second = lab.proxy.add(HttpFaultSpec.error(500));
            HttpFault slow = lab.proxy.add(HttpFaultSpec.latency(Duration.ofMillis(150)));
            lab.get("/health");   // warm up; counts once for every fault that acts on it

            long start = System.nanoTime();
            HttpResponse<String> answer = lab.get("/");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(first.affected()).isEqualTo(2);
            assertThat(second.affected()).isZero();
            assertThat(slow.affected()).isEqualTo(2);

            first.remove();
            assertThat(lab.get("/").statusCode()).isEqualTo(500);
            assertThat(lab.proxy.active()).containsExactly(second.spec(), slow.spec());
        }
    }

    @Test
    void errorStatusesWithoutBodyAndHeadRequestsAreAnsweredCleanly() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            lab.proxy.add(HttpFaultSpec.error(204).withPaths("/item"));
            lab.proxy.add(HttpFaultSpec.error(503).withPaths("/"));

            HttpResponse<String> noContent = lab.get("/item/1");
            HttpResponse<String> head = lab.send(ProxyLab.request(lab.proxy.url(), "/").HEAD());
            HttpResponse<String> after = lab.get("/health");

            assertThat(noContent.statusCode()).isEqualTo(204);
            assertThat(noContent.body()).isEmpty();
            assertThat(head.statusCode()).isEqualTo(503);
            assertThat(head.body()).isEmpty();
            assertThat(after.statusCode()).isEqualTo(503);   // the connection is still usable
        }
    }
}
