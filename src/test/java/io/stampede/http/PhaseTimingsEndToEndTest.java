package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.api.Response;
import io.stampede.stats.Phase;
import io.stampede.stats.PhaseTimes;
import io.stampede.stats.SampleSink;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.EndToEnd;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Phase times from real requests to the demo service, whose {@code /slow} holds its whole answer
 * back by a known delay: the wait for the first byte is at least that delay, and connecting takes
 * time on a connection's first use only.
 */
@EndToEnd
class PhaseTimingsEndToEndTest {

    private static final long DELAY_MILLIS = 150;
    private static final long DELAY_NANOS = DELAY_MILLIS * 1_000_000;

    private DemoService service;

    /** One request's record as the sink saw it: its latency and a copy of its phase times. */
    private record Seen(String name, long latencyMicros, String error, long[] nanos) {
        long phase(Phase phase) {
            return nanos[phase.ordinal()];
        }
    }

    /** Keeps a copy of what each request recorded: the session reuses its PhaseTimes. */
    private static final class Keeping implements SampleSink {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public void record(String method, String name, long latencyMicros, long contentBytes, String error) {
            seen.add(new Seen(name, latencyMicros, error, null));
        }

        @Override
        public void record(String method, String name, long latencyMicros, long contentBytes, String error,
                           long endNanoTime, PhaseTimes phases) {
            long[] nanos = new long[Phase.COUNT];
            for (Phase phase : Phase.values()) {
                nanos[phase.ordinal()] = phases.nanos(phase);
            }
            seen.add(new Seen(name, latencyMicros, error, nanos));
        }
    }

    @BeforeEach
    void start() throws Exception {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void waitingCoversTheServicesDelayAndConnectingOnlyTheFirstUse() {
        Keeping sink = new Keeping();
        try (UserHttpSession http = new UserHttpSession(URI.create(service.baseUrl()), HttpOptions.defaults(), sink)) {
            Response first = http.request("GET", "/slow?ms=" + DELAY_MILLIS).send();
            Response second = http.request("GET", "/slow?ms=" + DELAY_MILLIS).send();
            Response fast = http.request("GET", "/").send();
            assertThat(List.of(first, second, fast)).allSatisfy(r -> assertThat(r.error()).isNull());
        }

        assertThat(sink.seen).hasSize(3).allSatisfy(s -> {
            assertThat(s.nanos()).as("phase times recorded").isNotNull();
            assertThat(s.phase(Phase.TLS_HANDSHAKING)).as("plain HTTP").isZero();
            long sum = 0;
            for (long n : s.nanos()) {
                assertThat(n).isNotNegative();
                sum += n;
            }
            assertThat(sum / 1_000).as("the phases lie within the latency").isLessThanOrEqualTo(s.latencyMicros());
        });
        Seen first = sink.seen.get(0);
        Seen second = sink.seen.get(1);
        assertThat(first.phase(Phase.CONNECTING)).as("a new connection").isPositive();
        assertThat(second.phase(Phase.CONNECTING)).as("the kept-alive one, reused").isZero();
        assertThat(sink.seen.get(2).phase(Phase.CONNECTING)).isZero();
        // The service's delay lies between the request's first byte written and the answer's first byte read.
        // Waiting alone starts when the write returned, which on a busy machine can be late.
        assertThat(first.phase(Phase.SENDING) + first.phase(Phase.WAITING)).isGreaterThanOrEqualTo(DELAY_NANOS);
        assertThat(second.phase(Phase.SENDING) + second.phase(Phase.WAITING)).isGreaterThanOrEqualTo(DELAY_NANOS);
    }

    @Test
    void aRefusedConnectionRecordsItsConnectAndNoExchange() throws Exception {
        String url = service.baseUrl();
        service.close();
        Keeping sink = new Keeping();
        try (UserHttpSession http = new UserHttpSession(URI.create(url), HttpOptions.defaults(), sink)) {
            http.request("GET", "/").send();
        }

        Seen refused = sink.seen.getFirst();
        assertThat(refused.error()).isNotNull();
        assertThat(refused.phase(Phase.CONNECTING)).as("the refused connect's own time").isPositive();
        assertThat(refused.phase(Phase.SENDING) + refused.phase(Phase.WAITING) + refused.phase(Phase.RECEIVING)).isZero();
    }
}
