package io.stampede.slo.threshold;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The outcome of one threshold or SLO. "No data" is not a pass: nothing proved the objective held.
 * It lives here, under the SLOs that share it, because a threshold's expression is where an
 * outcome is first decided; {@code slo} reads it, this package never reads {@code slo}.
 */
public enum Status {
    PASS("pass"), FAIL("fail"), NO_DATA("no data");

    private final String text;

    Status(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }
}
