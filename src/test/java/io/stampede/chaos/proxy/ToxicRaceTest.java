package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.Waiting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The race/close test of every toxic (Toxiproxy keeps one next to each): while clients stream
 * through the proxy, the toxic is added, updated and removed over and over on live connections;
 * no byte may be lost, duplicated or reordered (a toxic that closes or resets connections may cut
 * a stream short, never garble it). Then the proxy is closed mid-traffic: every connection ends
 * and no thread is left behind.
 */
@Timeout(20)
@EndToEnd
class ToxicRaceTest {

    private static final long TRAFFIC_MILLIS = 400;
    private static final int CLIENTS = 4;
    private static final int MAX_BLOCK_BYTES = 8_000;
    private static final long MAX_PAUSE_MILLIS = 8;

    static Stream<Arguments> toxics() {
        return Stream.of(
                Arguments.of("latency", Map.of("latency", 5L, "jitter", 5L), false),
                Arguments.of("bandwidth", Map.of("rate", 5_000L), false),
                Arguments.of("slow_close", Map.of("delay", 20L), false),
                Arguments.of("slicer", Map.of("average_size", 500L, "size_variation", 100L, "delay", 10L), false),
                Arguments.of("noop", Map.of(), false),
                Arguments.of("timeout", Map.of("timeout", 30L), true),
                Arguments.of("reset_peer", Map.of("timeout", 5L), true),
                Arguments.of("limit_data", Map.of("bytes", 20_000L), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toxics")
    void churnOnLiveConnectionsKeepsEveryStreamIntactAndCloseLeavesNothing(
            String type, Map<String, Long> attributes, boolean endsConnections) throws Exception {
        try (TcpServer echo = TcpServer.echo()) {
            FaultProxy proxy = FaultProxy.start("race-" + type, "127.0.0.1:0", echo.address());
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong verified = new AtomicLong();
            long stopAt = System.nanoTime() + TRAFFIC_MILLIS * 1_000_000;

            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Thread.ofVirtual().start(() -> stream(proxy, stopAt, endsConnections, verified, failures)));
            }
            churn(proxy, type, attributes, stopAt);
            for (Thread client : clients) {
                client.join();
            }
            assertThat(failures).isEmpty();
            assertThat(verified.get()).as("bytes echoed intact").isPositive();

            closeMidTraffic(proxy, type, attributes);
        }
    }

    /** Adds, updates and removes the toxic, in a random direction, until the traffic stops. */
    private static void churn(FaultProxy proxy, String type, Map<String, Long> attributes, long stopAt) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < stopAt) {
            ToxicSpec.Stream stream = random.nextBoolean() ? ToxicSpec.Stream.UPSTREAM : ToxicSpec.Stream.DOWNSTREAM;
            ToxicSpec added = proxy.addToxic(new ToxicSpec("churn", type, stream, random.nextBoolean() ? 1.0 : 0.5, attributes));
            Thread.sleep(random.nextLong(MAX_PAUSE_MILLIS));
            if (random.nextBoolean()) {
                proxy.updateToxic(added.withToxicity(random.nextDouble()));
                Thread.sleep(random.nextLong(MAX_PAUSE_MILLIS));
            }
            proxy.removeToxic("churn");
            Thread.sleep(random.nextLong(MAX_PAUSE_MILLIS));
        }
    }

    /** Echoes numbered blocks until the deadline, checking every byte that comes back. */
    private static void stream(FaultProxy proxy, long stopAt, boolean endsConnections, AtomicLong verified,
                               ConcurrentLinkedQueue<String> failures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < stopAt && failures.isEmpty()) {
            long offset = 0;
            try (Socket socket = Wire.connect(proxy.listen())) {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (System.nanoTime() < stopAt) {
                    byte[] block = Wire.pattern(offset, 1 + random.nextInt(MAX_BLOCK_BYTES));
                    out.write(block);
                    byte[] back = in.readNBytes(block.length);
                    if (!Arrays.equals(back, Arrays.copyOf(block, back.length))) {
                        failures.add("garbled stream at offset " + offset);
                        return;
                    }
                    if (back.length < block.length) {
                        if (!endsConnections) {
                            failures.add("stream cut at offset " + (offset + back.length));
                        }
                        break;
                    }
                    verified.addAndGet(back.length);
                    offset += block.length;
                }
            } catch (IOException ended) {
                if (!endsConnections) {
                    failures.add("connection failed at offset " + offset + ": " + ended);
                }
            }
        }
    }

    private static void closeMidTraffic(FaultProxy proxy, String type, Map<String, Long> attributes) throws Exception {
        proxy.addToxic(new ToxicSpec("up", type, ToxicSpec.Stream.UPSTREAM, 1.0, attributes));
        proxy.addToxic(new ToxicSpec("down", type, ToxicSpec.Stream.DOWNSTREAM, 1.0, attributes));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Socket socket = Wire.connect(proxy.listen());
            socket.getOutputStream().write(Wire.pattern(0, MAX_BLOCK_BYTES));
            open.add(socket);
        }
        proxy.close();
        for (Socket socket : open) {
            assertThat(FaultProxyTest.endOrReset(socket)).isTrue();
            socket.close();
        }
        Waiting.await("no proxy thread left after close").until(proxy::liveThreads, n -> n == 0);
        assertThat(proxy.openConnections()).isZero();
    }
}
