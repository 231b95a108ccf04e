package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How polled counters become a second's increase: the first reading is a baseline, a counter that
 * drops counts again from zero, an empty result keeps the baseline, a failed poll drops it.
 */
class ServerSliTest {

    private final EventLog events = new EventLog();

    private ServerSli sli(URI url) {
        SloSpec slo = new SloSpec("server", 99, Optional.empty(), Optional.empty(), Optional.empty(), "plan.yaml:5:5",
                SloSpec.FailedRequests.EXCLUDE, Optional.of(new PrometheusSli(url, "good", "total", Duration.ofSeconds(1))));
        return new ServerSli(slo, events);
    }

    private static ServerSli.Increase inc(long good, long total) {
        return new ServerSli.Increase(good, total);
    }

    @Test
    void eachSecondGetsTheIncreaseSinceTheLastAndARestartCountsFromZero() {
        ServerSli sli = sli(URI.create("http://127.0.0.1:9090"));
        assertThat(sli.take()).as("nothing read yet").isEqualTo(inc(0, 0));
        sli.read(new ServerSli.Reading(90, 100)); // before the run: the baseline
        sli.read(new ServerSli.Reading(180, 200));
        assertThat(sli.take()).isEqualTo(inc(90, 100));
        sli.read(new ServerSli.Reading(270, 300));
        sli.read(new ServerSli.Reading(279, 310)); // two polls in one second: the latest counts
        assertThat(sli.take()).isEqualTo(inc(99, 110));
        assertThat(sli.take()).as("no new reading: nothing new").isEqualTo(inc(0, 0));
        sli.read(null); // the service is down: its series went stale
        assertThat(sli.take()).isEqualTo(inc(0, 0));
        sli.read(new ServerSli.Reading(4, 5)); // restarted: its counters began again at zero
        assertThat(sli.take()).isEqualTo(inc(4, 5));
        sli.read(new ServerSli.Reading(14, 15));
        assertThat(sli.take()).isEqualTo(inc(10, 10));
        assertThat(events.events()).isEmpty();
    }

    @Test
    void anUnreachablePrometheusIsOneEventAndSecondsWithoutDataThenANewBaseline() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        ServerSli sli = sli(URI.create("http://127.0.0.1:" + closed));
        sli.read(new ServerSli.Reading(10, 10));
        sli.poll(); // a real query to a port nobody listens on
        sli.poll();
        assertThat(sli.take()).isEqualTo(inc(0, 0));
        assertThat(events.events()).extracting(Event::kind).containsExactly(Event.Kind.SLI_SOURCE_LOST);
        assertThat(events.events().get(0).detail())
                .isEqualTo("SLO server: no data until Prometheus answers: cannot reach Prometheus at http://127.0.0.1:" + closed
                        + ": Connection refused");
        assertThat(sli.queries()).isEqualTo(2); // the first query failed, so the second of each poll was not sent
        sli.read(new ServerSli.Reading(500, 600)); // back: a new baseline, the gap's events in no second
        assertThat(sli.take()).isEqualTo(inc(0, 0));
        sli.read(new ServerSli.Reading(510, 620));
        assertThat(sli.take()).isEqualTo(inc(10, 20));
        assertThat(events.events()).extracting(Event::kind).containsExactly(Event.Kind.SLI_SOURCE_LOST, Event.Kind.SLI_SOURCE_BACK);
    }

    @Test
    void aTotalWithoutGoodIsZeroGoodAndNoTotalIsNoData() {
        assertThat(ServerSli.reading(Optional.empty(), Optional.of(40.0))).isEqualTo(new ServerSli.Reading(0, 40));
        assertThat(ServerSli.reading(Optional.of(30.0), Optional.of(40.0))).isEqualTo(new ServerSli.Reading(30, 40));
        assertThat(ServerSli.reading(Optional.of(30.0), Optional.empty())).isNull();
        assertThat(ServerSli.reading(Optional.empty(), Optional.empty())).isNull();
    }
}
