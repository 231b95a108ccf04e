package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.EventLog;
import io.stampede.slo.threshold.ThresholdSpec;
import io.stampede.stats.EntryStats;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RequestKey;
import io.stampede.stats.RunStats;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The SLIs the chaos guard reads as the run goes: budget left, burn rate, thresholds, held seconds. */
class LiveSliTest {

    private static final long T0 = 1_000_000;
    private static final SloSpec AVAILABILITY = new SloSpec("availability", 90, Optional.empty(), Optional.empty(),
            Optional.empty(), "plan.yaml:3:5");

    private final RunStats soFar = new RunStats(T0);
    private int seconds;

    private void second(LiveSli sli, int requests, int failures) {
        EntryStats entry = new EntryStats();
        for (int i = 0; i < requests; i++) {
            entry.record(10_000, 0, i < failures);
        }
        IntervalStats interval = new IntervalStats(T0 + seconds * 1000L, T0 + (seconds + 1) * 1000L, 1,
                Map.of(new RequestKey("GET", "/"), entry), Map.of());
        seconds++;
        soFar.add(interval);
        sli.add(interval, soFar);
    }

    @Test
    void theBudgetIsReadOnceTheRequestsCanTellAndOverTheRunSoFar() {
        LiveSli sli = new LiveSli(List.of(AVAILABILITY), List.of(), Map.of());
        second(sli, 5, 1); // 5 requests cannot tell 90% from one bad one (10 needed)
        assertThat(sli.budgetLeftPercent("availability")).isEmpty();
        second(sli, 95, 0); // 100 requests, 10 allowed bad, 1 spent
        assertThat(sli.budgetLeftPercent("availability").getAsDouble()).isCloseTo(90, Offset.offset(1e-9));
        second(sli, 100, 19); // 200 requests, 20 allowed, 20 spent
        assertThat(sli.budgetLeftPercent("availability").getAsDouble()).isCloseTo(0, Offset.offset(1e-9));
    }

    @Test
    void theBurnRateIsOverTheLastWindowOnly() {
        LiveSli sli = new LiveSli(List.of(AVAILABILITY), List.of(), Map.of());
        second(sli, 100, 50);
        assertThat(sli.burnRate("availability", Duration.ofSeconds(2))).isEmpty(); // not a full window yet
        second(sli, 100, 0);
        second(sli, 100, 10);
        // the last 2 s: 10 bad of 200 = 5%, half of the 10% allowed
        assertThat(sli.burnRate("availability", Duration.ofSeconds(2)).getAsDouble()).isCloseTo(0.5, Offset.offset(1e-9));
        assertThat(sli.burnRate("availability", Duration.ofSeconds(3)).getAsDouble()).isCloseTo(2.0, Offset.offset(1e-9));
    }

    @Test
    void aWindowedThresholdFailsWithItsValueAndHoldsAgainWhenTheWindowMovesOn() {
        LiveSli sli = new LiveSli(List.of(), List.of(), Map.of("failed", new AbstractMap.SimpleEntry<>(
                ThresholdSpec.of("http_req_failed", "rate<0.2"), Optional.of(Duration.ofSeconds(2)))));
        second(sli, 10, 5);
        assertThat(sli.thresholdFailing("failed")).isEmpty(); // one second of a 2 s window
        second(sli, 10, 0);
        assertThat(sli.thresholdFailing("failed")).hasValueSatisfying(v -> assertThat(v).contains("25.00%"));
        second(sli, 10, 0);
        assertThat(sli.thresholdFailing("failed")).isEmpty();
    }

    @Test
    void theSecondsHeldCountBackFromTheLatestAndABreachIsNamed() {
        LiveSli sli = new LiveSli(List.of(AVAILABILITY), List.of(), Map.of());
        assertThat(sli.secondsAllSlosHeld()).isZero();
        second(sli, 100, 30);
        assertThat(sli.secondsAllSlosHeld()).isZero();
        assertThat(sli.lastBreach()).isEqualTo("availability 70.00% < 90% in its last bad second");
        second(sli, 100, 0);
        second(sli, 0, 0); // no request: no evidence that the SLOs hold
        second(sli, 100, 5);
        second(sli, 100, 0);
        assertThat(sli.secondsAllSlosHeld()).isEqualTo(2);
        assertThat(sli.lastBreach()).isEqualTo("availability 70.00% < 90% in its last bad second");
    }

    @Test
    void aServerSideSloReadsTheSecondsItsPollerTookTheSameTheVerdictCounts() {
        SloSpec server = new SloSpec("server", 90, Optional.empty(), Optional.empty(), Optional.empty(), "plan.yaml:4:5",
                SloSpec.FailedRequests.EXCLUDE, Optional.of(new PrometheusSli(URI.create("http://127.0.0.1:9090"), "good", "total",
                Duration.ofSeconds(1))));
        ServerSli poller = new ServerSli(server, new EventLog());
        LiveSli sli = new LiveSli(List.of(server), List.of(poller), Map.of());
        poller.read(new ServerSli.Reading(1000, 1000)); // the baseline
        poller.read(new ServerSli.Reading(1100, 1100));
        second(sli, 7, 7); // the users' requests are not this SLO's: every one failed, the server's 100 did not
        assertThat(sli.secondsAllSlosHeld()).isEqualTo(1);
        assertThat(sli.budgetLeftPercent("server").getAsDouble()).isCloseTo(100, Offset.offset(1e-9));
        poller.read(new ServerSli.Reading(1150, 1200));
        second(sli, 7, 0);
        // 50 bad of 200, 20 allowed
        assertThat(sli.budgetLeftPercent("server").getAsDouble()).isCloseTo(-150, Offset.offset(1e-9));
        assertThat(sli.burnRate("server", Duration.ofSeconds(1)).getAsDouble()).isCloseTo(5, Offset.offset(1e-9));
        assertThat(sli.secondsAllSlosHeld()).isZero();
        assertThat(sli.lastBreach()).isEqualTo("server 50.00% < 90% in its last bad second");
        // the verdict's tracker asks for the same second after the guard did: it gets the same increase
        assertThat(poller.second(T0 + seconds * 1000L)).isEqualTo(new ServerSli.Increase(50, 100));
    }
}
