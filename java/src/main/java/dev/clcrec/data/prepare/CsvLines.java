package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;

import java.util.ArrayList;
import java.util.List;

/** Splits one delimited line; with {@code ","} honours RFC 4180 double quotes. */
final class CsvLines {
    private CsvLines() {}

    static List<String> split(String line, String delimiter, String file, long lineNo) {
        List<String> out = new ArrayList<>();
        if (!delimiter.equals(",")) {
            int start = 0;
            while (true) {
                int k = line.indexOf(delimiter, start);
                if (k < 0) {
                    out.add(line.substring(start));
                    return out;
                }
                out.add(line.substring(start, k));
                start = k + delimiter.length();
            }
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new DatasetFormatException(file + ": line " + lineNo + ": unterminated quoted field");
        }
        out.add(cur.toString());
        return out;
    }

    /** The delimiter of a data line: tab, "::", "|" or comma. */
    static String detect(String line) {
        if (line.contains("\t")) {
            return "\t";
        }
        if (line.contains("::")) {
            return "::";
        }
        if (line.contains(",")) {
            return ",";
        }
        if (line.contains("|")) {
            return "|";
        }
        return " ";
    }
}
