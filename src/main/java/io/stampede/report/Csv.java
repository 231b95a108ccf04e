package io.stampede.report;

import java.util.List;

/**
 * RFC 4180 rows, written the way Python's {@code csv.writer} writes them for Locust: fields quoted
 * only when they must be, quotes doubled, rows ended by CRLF. Request names and error texts come
 * from users and servers, so they may hold commas, quotes or line breaks.
 */
final class Csv {

    /** Python's csv module and RFC 4180 both end rows with CRLF; Locust's files do too. */
    static final String ROW_END = "\r\n";

    private Csv() {
    }

    /** One field, quoted when it contains a comma, a quote, CR or LF. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean mustQuote = false;
        for (int i = 0; i < value.length() && !mustQuote; i++) {
            char c = value.charAt(i);
            mustQuote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return mustQuote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** One complete row, CRLF included. */
    static String row(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        return line.append(ROW_END).toString();
    }
}
