package io.stampede.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stampede.web.RunControl.ControlException;
import java.io.IOException;

/**
 * The REST API's request bodies, one record per command, read by Jackson ({@link ControlJson}).
 * A field left out or sent as null means "as planned"; values are checked as they are made, so a
 * body that reads is a body the run may act on.
 */
final class ControlBodies {

    private ControlBodies() {
    }

    /** {@code POST /api/start}. */
    record Start(Integer users, Number spawnRate, String host, RunTime runTime) {

        Start {
            atLeastZero("users", users);
            aboveZero("spawnRate", spawnRate);
            host = host == null || host.isBlank() ? null : host.strip();
        }

        RunControl.StartForm form() {
            return new RunControl.StartForm(users, spawnRate == null ? null : spawnRate.doubleValue(), host,
                    runTime == null ? null : runTime.text());
        }
    }

    /** {@code POST /api/users}: the number of users is required. */
    record UsersChange(Integer users, Number spawnRate) {

        UsersChange {
            if (users == null) {
                throw ControlException.badInput("users: missing; send {\"users\": N} and optionally \"spawnRate\"");
            }
            atLeastZero("users", users);
            aboveZero("spawnRate", spawnRate);
        }

        Double perSecond() {
            return spawnRate == null ? null : spawnRate.doubleValue();
        }
    }

    /** {@code POST /api/stop}, {@code /api/reset}, {@code /api/faults/{n}/inject}: nothing to say, {@code {}}. */
    record None() {
    }

    /** A run time as {@code -t} takes it: a duration as text ("5m") or a whole number of seconds (30). */
    @JsonDeserialize(using = RunTime.Reader.class)
    record RunTime(String text) {

        /** Text (blank is "as planned") or whole seconds 0 or more; anything else is refused by its kind. */
        static final class Reader extends JsonDeserializer<RunTime> {

            @Override
            public RunTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (parser.hasToken(JsonToken.VALUE_STRING)) {
                    String text = parser.getText().strip();
                    return text.isEmpty() ? null : new RunTime(text);
                }
                if (parser.hasToken(JsonToken.VALUE_NUMBER_INT) && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        && parser.getLongValue() >= 0) {
                    return new RunTime(Long.toString(parser.getLongValue()));
                }
                return (RunTime) context.handleUnexpectedToken(RunTime.class, parser);
            }
        }
    }

    private static void atLeastZero(String field, Integer value) {
        if (value != null && value < 0) {
            throw ControlException.badInput(field + ": must be 0 or more, got " + value);
        }
    }

    /** The JSON number as it was sent ({@code 0}, {@code -1.5}), as Jackson read it. */
    private static void aboveZero(String field, Number value) {
        if (value != null && (!(value.doubleValue() > 0) || Double.isInfinite(value.doubleValue()))) {
            throw ControlException.badInput(field + ": must be above 0, got " + value);
        }
    }
}
