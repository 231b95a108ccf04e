package io.stampede.slo.threshold;

/**
 * Reads {@code <aggregation> <operator> <number>} with optional blanks between the three, following
 * k6's grammar ({@code metrics/thresholds_parser.go}) but scanning left to right, so an error can
 * point at the character where the expression stops making sense.
 */
final class ExpressionParser {

    private final String text;
    private final MetricKey key;
    private int at;

    private ExpressionParser(String text, MetricKey key) {
        this.text = text;
        this.key = key;
    }

    static Threshold parse(MetricKey key, String expression) {
        return new ExpressionParser(expression, key).threshold();
    }

    private Threshold threshold() {
        skipBlanks();
        Aggregation aggregation = aggregation();
        skipBlanks();
        Operator operator = operator();
        skipBlanks();
        double bound = number("expected a number");
        skipBlanks();
        if (at < text.length()) {
            throw InvalidThresholdException.unexpected(text, at, key.metric().type() == MetricType.TREND
                    ? "expected the end (durations are plain milliseconds, as in k6)"
                    : "expected the end");
        }
        return new Threshold(key, text, aggregation, operator, bound);
    }

    private Aggregation aggregation() {
        MetricType type = key.metric().type();
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        String word = text.substring(start, at);
        if (word.isEmpty()) {
            throw InvalidThresholdException.unexpected(text, at, "expected an aggregation: " + type.validAggregations());
        }
        Aggregation aggregation = switch (word) {
            case "avg" -> Aggregation.AVG;
            case "min" -> Aggregation.MIN;
            case "med" -> Aggregation.MED;
            case "max" -> Aggregation.MAX;
            case "rate" -> Aggregation.RATE;
            case "count" -> Aggregation.COUNT;
            case "p" -> at < text.length() && text.charAt(at) == '(' ? percentile() : null;
            default -> null;
        };
        if (aggregation == null || !type.supports(aggregation)) {
            String name = aggregation == null ? word : aggregation.text();
            throw new InvalidThresholdException("'" + text + "': aggregation '" + name + "' is not valid for "
                    + key.metric().k6Name() + " (a " + type.k6Name() + " metric); valid aggregations: "
                    + type.validAggregations());
        }
        return aggregation;
    }

    /** {@code (N)} after {@code p}; no blanks inside, as in k6. */
    private Aggregation percentile() {
        at++; // '('
        int start = at;
        double percent = number("expected a percentile from 0 to 100");
        if (percent < 0 || percent > 100) {
            throw InvalidThresholdException.at(text, start, "percentile " + text.substring(start, at) + " is out of range",
                    "expected a percentile from 0 to 100");
        }
        if (at >= text.length() || text.charAt(at) != ')') {
            throw InvalidThresholdException.unexpected(text, at, "expected ')'");
        }
        at++;
        return new Aggregation.Percentile(percent);
    }

    private Operator operator() {
        String rest = text.substring(at);
        // Longest first: "<=" before "<", "===" before "==".
        for (String symbol : new String[] {"===", "<=", ">=", "==", "!=", "<", ">"}) {
            if (rest.startsWith(symbol)) {
                at += symbol.length();
                return switch (symbol) {
                    case "<" -> Operator.LESS;
                    case "<=" -> Operator.LESS_OR_EQUAL;
                    case ">" -> Operator.GREATER;
                    case ">=" -> Operator.GREATER_OR_EQUAL;
                    case "==" -> Operator.EQUAL;
                    case "===" -> Operator.STRICTLY_EQUAL;
                    default -> Operator.NOT_EQUAL;
                };
            }
        }
        throw InvalidThresholdException.unexpected(text, at, "expected an operator: " + Operator.ALL);
    }

    /** A decimal number, optionally signed, with an optional exponent (what k6's ParseFloat takes, minus NaN/Inf/hex). */
    private double number(String hint) {
        int start = at;
        if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
            at++;
        }
        int digits = skipDigits();
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            digits += skipDigits();
        }
        if (digits == 0) {
            at = start;
            throw InvalidThresholdException.unexpected(text, firstNonNumberChar(start), hint);
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            int mark = at;
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (skipDigits() == 0) {
                at = mark; // not an exponent: leave the 'e' for the caller to reject
            }
        }
        return Double.parseDouble(text.substring(start, at));
    }

    /** Where a failed number stops: past a sign and a lone dot, so "-x" points at the x. */
    private int firstNonNumberChar(int start) {
        int i = start;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
        }
        return i;
    }

    private int skipDigits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    private void skipBlanks() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
