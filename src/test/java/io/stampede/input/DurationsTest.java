package io.stampede.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse(" 10 MS ")).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aBareNumberIsSeconds() {
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("0")).isZero();
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'abc' is not a duration (examples: 250ms, 1s, 2m, 1h)");
        assertThatThrownBy(() -> Durations.parse("5 days")).hasMessageStartingWith("'5 days' is not a duration");
        assertThatThrownBy(() -> Durations.parse("-5ms")).hasMessageStartingWith("'-5ms' is negative");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageStartingWith("a duration is required");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999h")).hasMessageContaining("too long");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(61_250)))).isEqualTo(Duration.ofMillis(61_250));
    }
}
