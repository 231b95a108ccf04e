package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.input.Located;
import io.stampede.target.TargetSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A chaos entry's rules that hold for every fault, built-in or not. */
class ChaosEntryTest {

    /** A fault with two parameters that reads {@code level} only when {@code mode} is {@code high}. */
    static final class Moody extends FaultFactory.Simple {
        Moody() {
            super("moody", List.of("mode", "level"), false, p -> {
                if (p.text("mode", "low").equals("high")) {
                    p.number("level", 1, 0, 10);
                }
                return new ChaosEngineTest.Marker();
            });
        }
    }

    private static final List<TargetSpec> TARGETS = List.of(new TargetSpec.Address("app", "127.0.0.1:5001",
            URI.create("http://127.0.0.1:5001")));

    private static ChaosSpec entry(Map<String, Located<String>> params) {
        return new ChaosEntry("plan.yaml:9:3: chaos[0]", key -> "'" + key + "'", new Moody(), params,
                new Located<>("app", "plan.yaml:9:20: chaos[0].target"), false, null,
                new Located<>("10s", "plan.yaml:9:30: chaos[0].at"), null, null, null, null).toSpec(TARGETS);
    }

    @Test
    void aParameterTheFaultNeverReadsIsRefusedAtItsKey() {
        assertThatThrownBy(() -> entry(Map.of("mode", new Located<>("low", "plan.yaml:9:40: chaos[0].mode"),
                "level", new Located<>("5", "plan.yaml:9:50: chaos[0].level"))))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage("plan.yaml:9:50: chaos[0].level: 'level' has no effect on moody as written");
    }

    @Test
    void aParameterTheFaultReadsIsAccepted() {
        ChaosSpec spec = entry(Map.of("mode", new Located<>("high", "plan.yaml:9:40: chaos[0].mode"),
                "level", new Located<>("5", "plan.yaml:9:50: chaos[0].level")));
        assertThat(spec.kind()).isEqualTo("moody");
    }
}
