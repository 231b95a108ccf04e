package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.events.Event;
import io.stampede.stats.IntervalPoint;
import io.stampede.stats.Slots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What a stall is, from requests known one by one (start and end in ms from T0), worked out by hand:
 * a second in which no request completed is a stall only when a request was in flight all through it.
 */
class StallTest {

    private static final long T0 = 1_000_000; // a whole second and a whole slot

    /** One request: sent at {@code start}, answered at {@code end} (ms from T0); end < 0: never answered. */
    private record Req(long start, long end) {
    }

    /** A run of {@code seconds} whole seconds built from requests, as the recorder would count them. */
    private static final class Run {
        final SliSeries series = new SliSeries(new SloSpec("availability", 99, Optional.empty(), Optional.empty(),
                Optional.empty(), "test"));
        final List<IntervalPoint> points = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final Slots slots;

        Run(int seconds, List<Req> requests, List<Long> cancelledAt) {
            TreeMap<Long, int[]> bySlot = new TreeMap<>(); // ok, started
            long[] completed = new long[seconds];
            for (Req r : requests) {
                bySlot.computeIfAbsent((T0 + r.start) / Slots.SLOT_MILLIS, k -> new int[2])[1]++;
                if (r.end >= 0) {
                    bySlot.computeIfAbsent((T0 + r.end) / Slots.SLOT_MILLIS, k -> new int[2])[0]++;
                    completed[(int) (r.end / 1000)]++;
                }
            }
            for (long at : cancelledAt) {
                bySlot.computeIfAbsent((T0 + at) / Slots.SLOT_MILLIS, k -> new int[2])[1]--;
            }
            Slots.Builder b = new Slots.Builder();
            bySlot.forEach((slot, c) -> b.add(slot, c[0], 0, 0, c[1]));
            slots = b.build();
            for (int s = 0; s < seconds; s++) {
                long end = T0 + (s + 1) * 1000L;
                series.add(end, completed[s], completed[s]);
                points.add(new IntervalPoint(end, 1.0, 2, completed[s], 0, completed[s], 0, 5, 10, 20, 30));
            }
        }

        Analysis analysis() {
            return new Analysis(List.of(series), points, slots, events, 3);
        }

        List<Integer> badSeconds() {
            boolean[] bad = analysis().badSeconds();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < bad.length; i++) {
                if (bad[i]) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    @Test
    void usersInTheirThinkTimeMakeNoStall() {
        // two users, 20 ms requests, 2.5 s of think time: seconds 1, 3, 4, 6, 8 and 9 complete nothing,
        // and nothing is in flight in any of them
        List<Req> requests = new ArrayList<>();
        for (long t = 0; t < 10_000 - 100; t += 2_520) {
            requests.add(new Req(t + 100, t + 120));
            requests.add(new Req(t + 300, t + 320));
        }
        Run run = new Run(10, requests, List.of());
        assertThat(run.points.stream().filter(p -> p.requests() == 0).count()).isEqualTo(6);
        assertThat(run.badSeconds()).isEmpty();
    }

    @Test
    void aRequestHangingForThreeSecondsMakesThreeStalledSeconds() {
        // one user, a 10 ms request every 100 ms; the one sent at 3.000 s is answered at 6.005 s
        List<Req> requests = new ArrayList<>();
        for (long t = 0; t < 3_000; t += 100) {
            requests.add(new Req(t, t + 10));
        }
        requests.add(new Req(3_000, 6_005));
        for (long t = 6_100; t < 10_000; t += 100) {
            requests.add(new Req(t, t + 10));
        }
        Run run = new Run(10, requests, List.of());
        assertThat(run.badSeconds()).containsExactly(3, 4, 5);
        // the same hang from mid-second: second 3 had a moment with nothing in flight, second 6 an answer
        requests.removeIf(r -> r.start == 3_000);
        requests.add(new Req(3_500, 6_505));
        assertThat(new Run(10, requests, List.of()).badSeconds()).containsExactly(4, 5);
    }

    @Test
    void aRequestHangingFromTheFirstSecondIsAStallThere() {
        // no traffic had been seen yet: a service that never answers stalls from the start
        Run run = new Run(4, List.of(new Req(0, -1)), List.of());
        assertThat(run.badSeconds()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aRequestWhoseUserWasStoppedIsNoLongerInFlight() {
        // sent at 1.000 s, never answered, its user stopped at 2.500 s: second 1 stalls, 2 and 3 do not
        Run run = new Run(4, List.of(new Req(0, 10), new Req(1_000, -1)), List.of(2_500L));
        assertThat(run.badSeconds()).containsExactly(1);
    }

    @Test
    void aFaultCountsTheSecondsItStalled() {
        List<Req> requests = new ArrayList<>();
        for (long t = 0; t < 20_000; t += 100) {
            boolean paused = t >= 3_000 && t < 6_000;
            if (!paused) {
                requests.add(new Req(t, t + 10));
            }
        }
        requests.add(new Req(3_000, 6_005)); // the one request waiting through the pause
        Run run = new Run(20, requests, List.of());
        run.events.add(new Event(T0 + 3_000, Event.Kind.FAULT_INJECTED, "app", "pause", "pause#1", ""));
        run.events.add(new Event(T0 + 6_000, Event.Kind.FAULT_ROLLED_BACK, "app", "pause", "pause#1", ""));
        FaultImpact pause = run.analysis().faults().get(0);
        assertThat(pause.stalledSeconds()).isEqualTo(3);
        assertThat(pause.timeToDetectSeconds()).isNotNull();
        assertThat(pause.recovered()).isTrue();
    }
}
