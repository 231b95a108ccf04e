package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stampede.jetty.Routes;
import io.stampede.web.RunControl.ControlException;
import io.stampede.web.RunControl.StartForm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each command's body read into its record: what reads reaches the run as sent, and every bad body
 * (a wrong type Jackson would coerce, null, an unknown field, no JSON) is one 400 naming the field
 * and quoting the value, before the run sees anything.
 */
class ControlRoutesTest {

    /** The run side: what the commands asked of it, in order. */
    private static final class Calls implements RunControl {

        final List<String> calls = new ArrayList<>();

        @Override
        public StartForm defaults() {
            return new StartForm(1, 1.0, "http://127.0.0.1:5001", "1m");
        }

        @Override
        public void start(StartForm form) {
            calls.add("start " + form);
        }

        @Override
        public void changeUsers(int users, Double spawnRate) {
            calls.add("users " + users + " at " + spawnRate);
        }

        @Override
        public void stop() {
            calls.add("stop");
        }

        @Override
        public void resetStats() {
            calls.add("reset");
        }

        @Override
        public void inject(int index) {
            calls.add("inject " + index);
        }
    }

    private final Calls run = new Calls();

    private ControlRoutes.Result call(String path, String body) {
        return call(path, body, Map.of());
    }

    private ControlRoutes.Result call(String path, String body, Map<String, String> params) {
        return ControlRoutes.call(ControlRoutes.COMMANDS.get(path), body.getBytes(StandardCharsets.UTF_8), new Routes.Params(params), run);
    }

    /** The message of the 400 the body gets; the run was not called. */
    private String refusal(String path, String body) {
        ControlException e = catchThrowableOfType(ControlException.class, () -> call(path, body));
        assertThat(e).as(path + " " + body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(run.calls).isEmpty();
        return e.getMessage();
    }

    @Test
    void aGoodBodyReachesTheRunAsSent() {
        assertThat(call("/api/start", "{\"users\": 10, \"spawnRate\": 2.5, \"host\": \" http://127.0.0.1:5001 \", \"runTime\": \"5m\"}").status())
                .isEqualTo(202);
        call("/api/start", "{\"runTime\": 30, \"host\": \"  \", \"users\": null}");
        call("/api/start", "");
        assertThat(call("/api/users", "{\"users\": 0, \"spawnRate\": 5}").status()).isEqualTo(200);
        call("/api/users", "{\"users\": 3}");
        call("/api/stop", "{}");
        call("/api/reset", " ");
        assertThat(call("/api/faults/{n}/inject", "{}", Map.of("n", "1")).status()).isEqualTo(202);
        assertThat(run.calls).containsExactly(
                "start StartForm[users=10, spawnRate=2.5, host=http://127.0.0.1:5001, runTime=5m]",
                "start StartForm[users=null, spawnRate=null, host=null, runTime=30]",
                "start StartForm[users=null, spawnRate=null, host=null, runTime=null]",
                "users 0 at 5.0", "users 3 at null", "stop", "reset", "inject 1");
    }

    @Test
    void aWrongTypeIsRefusedNotCoerced() {
        assertThat(refusal("/api/start", "{\"users\": \"10\"}")).isEqualTo("users: expected a whole number, got \"10\"");
        assertThat(refusal("/api/start", "{\"users\": 1.5}")).isEqualTo("users: expected a whole number, got 1.5");
        assertThat(refusal("/api/start", "{\"users\": 2.0}")).isEqualTo("users: expected a whole number, got 2.0");
        assertThat(refusal("/api/start", "{\"users\": true}")).isEqualTo("users: expected a whole number, got true");
        assertThat(refusal("/api/start", "{\"users\": [1]}")).isEqualTo("users: expected a whole number, got [1]");
        assertThat(refusal("/api/start", "{\"users\": 99999999999}")).isEqualTo("users: expected a whole number, got 99999999999");
        assertThat(refusal("/api/users", "{\"users\": 2, \"spawnRate\": \"2\"}")).isEqualTo("spawnRate: expected a number, got \"2\"");
        assertThat(refusal("/api/users", "{\"users\": 2, \"spawnRate\": false}")).isEqualTo("spawnRate: expected a number, got false");
        assertThat(refusal("/api/start", "{\"host\": 5001}")).isEqualTo("host: expected a string, got 5001");
        assertThat(refusal("/api/start", "{\"host\": {\"url\": \"x\"}}")).isEqualTo("host: expected a string, got {\"url\":\"x\"}");
        assertThat(refusal("/api/start", "{\"runTime\": 1.5}"))
                .isEqualTo("runTime: expected seconds as a whole number 0 or more, or a duration such as \"5m\"; got 1.5");
        assertThat(refusal("/api/start", "{\"runTime\": -1}"))
                .isEqualTo("runTime: expected seconds as a whole number 0 or more, or a duration such as \"5m\"; got -1");
        assertThat(refusal("/api/start", "{\"runTime\": true}")).isEqualTo("runTime: expected a string, got true");
    }

    @Test
    void valuesOutOfRangeAreRefusedAsSent() {
        assertThat(refusal("/api/start", "{\"users\": -5}")).isEqualTo("users: must be 0 or more, got -5");
        assertThat(refusal("/api/users", "{\"users\": -1}")).isEqualTo("users: must be 0 or more, got -1");
        assertThat(refusal("/api/start", "{\"spawnRate\": 0}")).isEqualTo("spawnRate: must be above 0, got 0");
        assertThat(refusal("/api/start", "{\"spawnRate\": -0.5}")).isEqualTo("spawnRate: must be above 0, got -0.5");
        assertThat(refusal("/api/start", "{\"spawnRate\": 1e400}")).isEqualTo("spawnRate: must be above 0, got Infinity");
    }

    @Test
    void nullIsAsPlannedExceptWhereAValueIsNeeded() {
        assertThat(refusal("/api/users", "{\"users\": null}")).isEqualTo("users: missing; send {\"users\": N} and optionally \"spawnRate\"");
        assertThat(refusal("/api/users", "{}")).isEqualTo("users: missing; send {\"users\": N} and optionally \"spawnRate\"");
        assertThat(refusal("/api/users", "")).isEqualTo("users: missing; send {\"users\": N} and optionally \"spawnRate\"");
        call("/api/start", "{\"users\": null, \"spawnRate\": null, \"host\": null, \"runTime\": null}");
        assertThat(run.calls).containsExactly("start StartForm[users=null, spawnRate=null, host=null, runTime=null]");
    }

    @Test
    void unknownFieldsAreNamedBeforeAnyValue() {
        assertThat(refusal("/api/users", "{\"user\": 2}")).isEqualTo("unknown field 'user'; valid fields: users, spawnRate");
        assertThat(refusal("/api/start", "{\"users\": \"x\", \"ramp\": 1}"))
                .isEqualTo("unknown field 'ramp'; valid fields: users, spawnRate, host, runTime");
        assertThat(refusal("/api/stop", "{\"now\": true}")).isEqualTo("unknown field 'now'; this command takes none");
        assertThat(refusal("/api/faults/{n}/inject", "{\"target\": \"app\"}")).isEqualTo("unknown field 'target'; this command takes none");
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRefusedWhole() {
        assertThat(refusal("/api/users", "not json")).isEqualTo("the body is not JSON: Unrecognized token 'not': was expecting"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        assertThat(refusal("/api/users", "{\"users\": ")).startsWith("the body is not JSON: Unexpected end-of-input");
        assertThat(refusal("/api/start", "[1]")).isEqualTo("the body must be a JSON object, like {\"users\": 10}");
        assertThat(refusal("/api/start", "null")).isEqualTo("the body must be a JSON object, like {\"users\": 10}");
        assertThat(refusal("/api/stop", "42")).isEqualTo("the body must be a JSON object, like {\"users\": 10}");
        assertThat(refusal("/api/start", "{\"users\": " + "9".repeat(1_500) + "}"))
                .isEqualTo("the body holds a value too long for any field (a number of 1,000 digits or more?)");
    }

    @Test
    void theFaultsNumberComesFromThePath() {
        ControlException e = catchThrowableOfType(ControlException.class, () -> call("/api/faults/{n}/inject", "{}", Map.of("n", "x")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("fault: expected the entry's number (0, 1, ...) in /api/faults/{n}/inject, got 'x'");
    }
}
