package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What makes a second bad, with numbers by hand. At 95% an SLI needs ⌈1 / 0.05⌉ = 20 requests to
 * tell the objective from one bad request; at 99.9%, 1,000.
 */
class BadSecondTest {

    private static SliSeries series(double objective, long[][] seconds) {
        SliSeries s = new SliSeries(new SloSpec("availability", objective, Optional.empty(), Optional.empty(),
                Optional.empty(), "test"));
        for (int i = 0; i < seconds.length; i++) {
            s.add(1000L * (i + 1), seconds[i][0], seconds[i][1]);
        }
        return s;
    }

    @Test
    void theMeaningfulNumberOfRequestsIsOneOverTheAllowedBadShare() {
        assertThat(series(95, new long[0][]).meaningfulRequests()).isEqualTo(20);
        assertThat(series(99.9, new long[0][]).meaningfulRequests()).isEqualTo(1000);
        assertThat(series(99.5, new long[0][]).meaningfulRequests()).isEqualTo(200);
    }

    @Test
    void oneFailureInASparseSecondIsNotABadSecond() {
        // 5 requests a second at 95%: second 4 has one failure. Seconds 1..4 hold 20 requests, 19 good: 95%, within.
        SliSeries s = series(95, new long[][] {{5, 5}, {5, 5}, {5, 5}, {5, 4}});
        assertThat(s.withinObjective(3)).isFalse();   // alone: 80%
        assertThat(s.badAt(3)).isFalse();
    }

    @Test
    void failuresDenseEnoughMakeASparseSecondBad() {
        // second 4 has two failures: seconds 1..4 hold 20 requests, 18 good: 90% < 95%
        SliSeries s = series(95, new long[][] {{5, 5}, {5, 5}, {5, 5}, {5, 3}});
        assertThat(s.badAt(3)).isTrue();
    }

    @Test
    void aSecondWithoutBadRequestsIsGoodAtOnceAfterAnOutage() {
        SliSeries s = series(95, new long[][] {{5, 0}, {5, 0}, {5, 5}});
        assertThat(s.badAt(1)).isTrue();
        assertThat(s.badAt(2)).isFalse();
    }

    @Test
    void aBusySecondIsJudgedAlone() {
        // 40 requests, 3 bad: 92.5% < 95%, whatever came before
        SliSeries s = series(95, new long[][] {{1000, 1000}, {40, 37}});
        assertThat(s.badAt(1)).isTrue();
    }

    @Test
    void theStartOfARunIsJudgedOnWhatThereIs() {
        // the first second: 5 requests, 1 bad, nothing before: 80%
        SliSeries s = series(95, new long[][] {{5, 4}});
        assertThat(s.badAt(0)).isTrue();
    }
}
