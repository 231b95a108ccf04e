package io.stampede.slo;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of one SLO or threshold. "No data" is not a pass: nothing proved the objective held. */
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
