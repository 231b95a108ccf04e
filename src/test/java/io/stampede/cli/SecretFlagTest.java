package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.input.Located;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A secret flag's value: the flag's when given, else its environment variable's; each named where it came from. */
class SecretFlagTest {

    @Test
    void theFlagWinsTheEnvironmentGivesItOtherwiseAndAnEmptyValueGivesNone() {
        Map<String, String> env = Map.of("STAMPEDE_WEB_AUTH", "from-env");
        assertThat(SecretFlag.WEB_AUTH.value("from-flag", env)).isEqualTo(new Located<>("from-flag", "--web-auth"));
        assertThat(SecretFlag.WEB_AUTH.value(null, env)).isEqualTo(new Located<>("from-env", "STAMPEDE_WEB_AUTH"));
        assertThat(SecretFlag.WEB_AUTH.value(null, Map.of())).isNull();
        assertThat(SecretFlag.WEB_AUTH.value(null, Map.of("STAMPEDE_WEB_AUTH", ""))).isNull();
        assertThat(SecretFlag.WEB_AUTH.value("", env)).as("an empty flag is none, not a reason to read the environment").isNull();
    }

    @Test
    void everySecretFlagHasItsOwnVariable() {
        assertThat(SecretFlag.ALL).extracting(SecretFlag::flag).containsExactly("--cluster-token", "--client-cert-password", "--web-auth");
        assertThat(SecretFlag.ALL).extracting(SecretFlag::env).containsExactly("STAMPEDE_CLUSTER_TOKEN", "STAMPEDE_CLIENT_CERT_PASSWORD",
                "STAMPEDE_WEB_AUTH");
    }
}
