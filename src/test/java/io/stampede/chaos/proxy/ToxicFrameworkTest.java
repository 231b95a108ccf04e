package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the proxy does for every toxic: toxicity, direction, and acting on live connections. */
@Timeout(60) // a deadline against hangs, generous for a busy machine
@EndToEnd // bounds on real round-trip times
class ToxicFrameworkTest {

    /**
     * The latency the toxics here add. Each bound on a round trip is this latency itself, which a toxic that
     * acted puts into every round trip; the fastest of a few is compared with it, since a loaded machine
     * holds any one round trip long (~140 ms seen), but not every one.
     */
    private static final long LATENCY_MILLIS = 1_000;
    /** Round trips timed where an upper bound says a toxic did not act. */
    private static final int TIMED = 3;
    /** A latency no answer waits out: a read gives up after {@link Wire#READ_TIMEOUT_MILLIS}. */
    private static final long HOLDS_FOREVER_MILLIS = 600_000;
    private static final byte[] PING = "ping".getBytes();

    @Test
    void toxicityZeroNeverActsAndOneAlwaysActs() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("toxicity", "127.0.0.1:0", echo.address())) {
            // each of the 20 answers comes back (the helper checks all 20 did), where the toxic would hold it
            // past the read's timeout: no time bound on a loaded machine needed to tell that it never acted
            proxy.addToxic(new ToxicSpec("never", "latency", ToxicSpec.Stream.DOWNSTREAM, 0.0,
                    Map.of("latency", HOLDS_FOREVER_MILLIS)));
            assertThat(roundTripsOnFreshConnections(proxy, 20)).allMatch(millis -> millis < Wire.READ_TIMEOUT_MILLIS);

            proxy.removeToxic("never");
            proxy.addToxic(new ToxicSpec("always", "latency", ToxicSpec.Stream.DOWNSTREAM, 1.0, Map.of("latency", LATENCY_MILLIS)));
            assertThat(roundTripsOnFreshConnections(proxy, 10)).allMatch(millis -> millis >= LATENCY_MILLIS);
        }
    }

    @Test
    void upstreamDelaysRequestsAndDownstreamDelaysAnswers() throws Exception {
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        try (TcpServer service = TcpServer.start(socket -> {
                 byte[] request = new byte[PING.length];
                 while (socket.getInputStream().readNBytes(request, 0, request.length) == request.length) {
                     arrivals.add(System.nanoTime());
                     socket.getOutputStream().write(request);
                 }
             });
             FaultProxy proxy = FaultProxy.start("direction", "127.0.0.1:0", service.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.UPSTREAM, Map.of("latency", LATENCY_MILLIS)));
            long sent = System.nanoTime();
            long roundTrip = Wire.roundTripMillis(client, PING);
            long toService = TimeUnit.NANOSECONDS.toMillis(arrivals.take() - sent);
            assertThat(toService).as("upstream: the request reaches the service late").isGreaterThanOrEqualTo(LATENCY_MILLIS);
            assertThat(roundTrip).isGreaterThanOrEqualTo(LATENCY_MILLIS);

            proxy.removeAllToxics();
            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", LATENCY_MILLIS)));
            List<Long> toServiceMillis = new ArrayList<>();
            for (int i = 0; i < TIMED; i++) {
                sent = System.nanoTime();
                Wire.roundTripMillis(client, PING);
                long received = System.nanoTime();
                long arrived = arrivals.take();
                toServiceMillis.add(TimeUnit.NANOSECONDS.toMillis(arrived - sent));
                assertThat(TimeUnit.NANOSECONDS.toMillis(received - arrived)).as("downstream: the answer comes back late")
                        .isGreaterThanOrEqualTo(LATENCY_MILLIS);
            }
            assertThat(Collections.min(toServiceMillis)).as("downstream: the request reaches the service undelayed")
                    .isLessThan(LATENCY_MILLIS);
        }
    }

    @Test
    void addingAndRemovingAToxicActsOnALiveConnection() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("live", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            assertThat(Collections.min(roundTrips(client))).isLessThan(LATENCY_MILLIS);

            proxy.addToxic(ToxicSpec.of("latency", ToxicSpec.Stream.DOWNSTREAM, Map.of("latency", LATENCY_MILLIS)));
            assertThat(Wire.roundTripMillis(client, PING)).isGreaterThanOrEqualTo(LATENCY_MILLIS);

            proxy.removeToxic("latency_downstream");
            assertThat(Collections.min(roundTrips(client))).isLessThan(LATENCY_MILLIS);
        }
    }

    @Test
    void removingAToxicThatHoldsDataLetsTheDataThroughInOrder() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("held", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(ToxicSpec.of("timeout", ToxicSpec.Stream.UPSTREAM, Map.of("timeout", 0L)));
            byte[] data = Wire.pattern(0, 100_000);
            client.getOutputStream().write(data, 0, 50_000);
            client.setSoTimeout((int) LATENCY_MILLIS);
            try {
                int read = client.getInputStream().read();
                throw new AssertionError("data got through a timeout toxic: " + read);
            } catch (SocketTimeoutException held) {
                // Held, as it should be.
            }
            client.setSoTimeout(Wire.READ_TIMEOUT_MILLIS);

            proxy.removeToxic("timeout_upstream");
            client.getOutputStream().write(data, 50_000, 50_000);
            assertThat(Wire.read(client, data.length)).isEqualTo(data);
        }
    }

    @Test
    void toxicsInTheSameDirectionAddUp() throws Exception {
        try (TcpServer echo = TcpServer.echo();
             FaultProxy proxy = FaultProxy.start("chain", "127.0.0.1:0", echo.address());
             Socket client = Wire.connect(proxy.listen())) {
            proxy.addToxic(new ToxicSpec("first", "latency", ToxicSpec.Stream.DOWNSTREAM, 1, Map.of("latency", LATENCY_MILLIS / 2)));
            proxy.addToxic(new ToxicSpec("second", "latency", ToxicSpec.Stream.DOWNSTREAM, 1, Map.of("latency", LATENCY_MILLIS / 2)));
            assertThat(Wire.roundTripMillis(client, PING)).isGreaterThanOrEqualTo(LATENCY_MILLIS);
            proxy.removeToxic("first");
            List<Long> once = roundTrips(client);
            assertThat(once).allMatch(millis -> millis >= LATENCY_MILLIS / 2);
            assertThat(Collections.min(once)).as("one toxic left, not two").isLessThan(LATENCY_MILLIS);
        }
    }

    /** {@link #TIMED} round trips, one after the other, in milliseconds. */
    private static List<Long> roundTrips(Socket client) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < TIMED; i++) {
            millis.add(Wire.roundTripMillis(client, PING));
        }
        return millis;
    }

    /** One round trip on each of {@code count} new connections, all at once. */
    private static List<Long> roundTripsOnFreshConnections(FaultProxy proxy, int count) throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket client = Wire.connect(proxy.listen())) {
                    long taken = Wire.roundTripMillis(client, PING);
                    synchronized (millis) {
                        millis.add(taken);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(millis).hasSize(count);
        return millis;
    }
}
