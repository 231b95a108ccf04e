package io.stampede.slo.threshold;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The comparison of a threshold expression, k6's set: {@code < <= > >= == === !=}. */
public enum Operator {
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    EQUAL("=="),
    /** k6 accepts JavaScript's strict equality; on numbers it is the same as {@code ==}. */
    STRICTLY_EQUAL("==="),
    NOT_EQUAL("!=");

    /** As listed in error messages. */
    static final String ALL = Arrays.stream(values()).map(o -> o.symbol).collect(Collectors.joining(", "));

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** Whether {@code observed <operator> bound} holds. */
    public boolean test(double observed, double bound) {
        return switch (this) {
            case LESS -> observed < bound;
            case LESS_OR_EQUAL -> observed <= bound;
            case GREATER -> observed > bound;
            case GREATER_OR_EQUAL -> observed >= bound;
            case EQUAL, STRICTLY_EQUAL -> observed == bound;
            case NOT_EQUAL -> observed != bound;
        };
    }
}
