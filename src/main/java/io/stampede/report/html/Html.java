package io.stampede.report.html;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * HTML text building without a template engine: every piece of text from a run's data goes through
 * {@link #text}, so a request named {@code <script>} shows as text and never runs. Markup is written
 * only by this package's own code; the methods that take markup say so in their name.
 */
final class Html {

    private Html() {
    }

    /** Text as HTML element content or attribute value (quoted with {@code "}): {@code & < > " '} escaped. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A coloured status badge: green for pass; red for fail and the steady state's "deviated" and
     * "not steady before"; grey for "no data" and any other value, shown as given.
     */
    static String badge(String status) {
        String s = status == null || status.isBlank() ? "no data" : status;
        String css = switch (s.toLowerCase(Locale.ROOT)) {
            case "pass", "passed" -> "pass";
            case "fail", "failed", "deviated", "not steady before", "not steady", "halted" -> "fail";
            default -> "nodata";
        };
        return "<span class=\"badge " + css + "\">" + text(s.toUpperCase(Locale.ROOT)) + "</span>";
    }

    /**
     * A table built row by row. Cells are text unless added with a {@code Markup} method; numeric
     * columns are right-aligned by their header's class.
     */
    static final class Table {
        private final String cssClass;
        private final List<String> header = new ArrayList<>();
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> rowClasses = new ArrayList<>();
        private final BitSet numeric = new BitSet();

        Table(String cssClass) {
            this.cssClass = cssClass;
        }

        /** Column titles (plain text). */
        Table header(String... titles) {
            header.addAll(List.of(titles));
            return this;
        }

        /** Columns from this index on hold numbers: right-aligned. */
        Table numericFrom(int column) {
            numeric.set(column, Math.max(column, header.size()));
            return this;
        }

        /** These columns hold numbers: right-aligned. */
        Table numeric(int... columns) {
            for (int column : columns) {
                numeric.set(column);
            }
            return this;
        }

        /** Starts a row; {@code rowClass} may be empty. */
        Table row(String rowClass) {
            rows.add(new ArrayList<>());
            rowClasses.add(rowClass);
            return this;
        }

        Table cell(String value) {
            return cellMarkup(text(value));
        }

        Table cellMarkup(String markup) {
            rows.get(rows.size() - 1).add(markup);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        String toHtml() {
            StringBuilder out = new StringBuilder("<table class=\"").append(text(cssClass)).append("\">\n<thead><tr>");
            for (int i = 0; i < header.size(); i++) {
                out.append(numeric.get(i) ? "<th class=\"num\">" : "<th>").append(text(header.get(i))).append("</th>");
            }
            out.append("</tr></thead>\n<tbody>\n");
            for (int r = 0; r < rows.size(); r++) {
                String rowClass = rowClasses.get(r);
                out.append(rowClass.isEmpty() ? "<tr>" : "<tr class=\"" + text(rowClass) + "\">");
                List<String> cells = rows.get(r);
                for (int i = 0; i < cells.size(); i++) {
                    out.append(numeric.get(i) ? "<td class=\"num\">" : "<td>").append(cells.get(i)).append("</td>");
                }
                out.append("</tr>\n");
            }
            return out.append("</tbody>\n</table>\n").toString();
        }
    }
}
