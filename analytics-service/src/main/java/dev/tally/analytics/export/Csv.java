package dev.tally.analytics.export;

import java.util.List;

/**
 * RFC 4180 CSV for spreadsheets and BI tools. A cell that a spreadsheet would run as a formula ({@code =}, {@code +},
 * {@code -}, {@code @}, tab, carriage return at the start) gets a leading apostrophe: member and project names are
 * typed by users, and an export must not become a way to run formulas on the finance team's machine (CSV injection).
 * Numbers are written by the caller as numbers and never touched.
 */
public final class Csv {

    private Csv() {
    }

    public static String document(List<String> header, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder();
        line(out, header.stream().map(h -> (Object) h).toList());
        rows.forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
                || text.startsWith(" ") || text.endsWith(" ")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
