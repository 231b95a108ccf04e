package io.stampede.chaos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault model alone: defaults, validation messages, path coverage. */
class HttpFaultSpecTest {

    @Test
    void errorDefaultsToEveryRequestAtOnceWithAShortReason() {
        HttpFaultSpec spec = HttpFaultSpec.error(503);

        assertThat(spec.status()).isEqualTo(503);
        assertThat(spec.rate()).isEqualTo(1.0);
        assertThat(spec.delay()).isZero();
        assertThat(spec.firstN()).isZero();
        assertThat(spec.paths()).isEmpty();
        assertThat(spec.excludedPaths()).isEmpty();
        assertThat(spec.body()).contains("503").contains("Service Unavailable");
        assertThat(spec.injectsError()).isTrue();
    }

    @Test
    void latencyOnlyDelays() {
        HttpFaultSpec spec = HttpFaultSpec.latency(Duration.ofMillis(300));

        assertThat(spec.status()).isEqualTo(HttpFaultSpec.NO_ERROR);
        assertThat(spec.injectsError()).isFalse();
        assertThat(spec.delay()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void defaultBodyFollowsTheStatusButAChosenBodyStays() {
        assertThat(HttpFaultSpec.error(503).withStatus(500).body()).contains("500").doesNotContain("503");
        assertThat(HttpFaultSpec.error(503).withBody("down").withStatus(500).body()).isEqualTo("down");
    }

    @Test
    void rateOutsideZeroToOneIsRejected() {
        assertRejected(() -> HttpFaultSpec.error(503).withRate(1.5), "rate", "1.5");
        assertRejected(() -> HttpFaultSpec.error(503).withRate(-0.1), "rate", "-0.1");
        assertRejected(() -> HttpFaultSpec.error(503).withRate(Double.NaN), "rate", "NaN");
    }

    @Test
    void statusOutsideHttpRangeIsRejected() {
        assertRejected(() -> HttpFaultSpec.error(99), "status", "99");
        assertRejected(() -> HttpFaultSpec.error(600), "status", "600");
        assertRejected(() -> HttpFaultSpec.error(-1), "status", "-1");
        assertRejected(() -> HttpFaultSpec.error(100), "status", "interim");
    }

    @Test
    void negativeDelayAndFirstNAreRejected() {
        assertRejected(() -> HttpFaultSpec.latency(Duration.ofMillis(-1)), "delay", "-0.001");
        assertRejected(() -> HttpFaultSpec.error(503).withDelay(Duration.ofDays(2)), "delay", "at most");
        assertRejected(() -> HttpFaultSpec.error(503).withFirstN(-3), "firstN", "-3");
    }

    @Test
    void aFaultThatDoesNothingIsRejected() {
        assertRejected(() -> HttpFaultSpec.latency(Duration.ZERO), "status and delay", "empty");
    }

    @Test
    void pathsMustBeAbsolutePathsWithoutQuery() {
        assertRejected(() -> HttpFaultSpec.error(503).withExcludedPaths("/ok", "health"), "excludedPaths[1]", "'health'");
        assertRejected(() -> HttpFaultSpec.error(503).withPaths("/item?id=1"), "paths[0]", "query");
        assertRejected(() -> HttpFaultSpec.error(503).withPaths((String) null), "paths[0]", "null");
    }

    @Test
    void pathListsAreCopied() {
        List<String> paths = new ArrayList<>(List.of("/a"));
        HttpFaultSpec spec = new HttpFaultSpec(503, null, 1, paths, null, null, 0);
        paths.add("/b");

        assertThat(spec.paths()).containsExactly("/a");
        assertThat(spec.excludedPaths()).isEmpty();
        assertThat(spec.delay()).isZero();
    }

    @Test
    void aPathCoversItselfAndWhatIsBelowItOnly() {
        HttpFaultSpec spec = HttpFaultSpec.error(503).withExcludedPaths("/health");

        assertThat(spec.covers("/health")).isFalse();
        assertThat(spec.covers("/health/db")).isFalse();
        assertThat(spec.covers("/healthz")).isTrue();
        assertThat(spec.covers("/")).isTrue();
    }

    @Test
    void aTrailingStarIsAPlainPrefixAndSlashCoversAll() {
        HttpFaultSpec items = HttpFaultSpec.error(503).withPaths("/item*");
        HttpFaultSpec all = HttpFaultSpec.error(503).withPaths("/");

        assertThat(items.covers("/items")).isTrue();
        assertThat(items.covers("/item/1")).isTrue();
        assertThat(items.covers("/it")).isFalse();
        assertThat(all.covers("/anything/at/all")).isTrue();
    }

    @Test
    void exclusionWinsOverInclusion() {
        HttpFaultSpec spec = HttpFaultSpec.error(503).withPaths("/item").withExcludedPaths("/item/7");

        assertThat(spec.covers("/item/1")).isTrue();
        assertThat(spec.covers("/item/7")).isFalse();
        assertThat(spec.covers("/profile")).isFalse();
    }

    private static void assertRejected(Runnable build, String field, String detail) {
        assertThatThrownBy(build::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field)
                .hasMessageContaining(detail);
    }
}
