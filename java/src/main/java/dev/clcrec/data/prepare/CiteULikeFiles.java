package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CiteULike layout of Wang et al.'s citeulike-a / citeulike-t releases: every file has one
 * record per line, the line number (from 0) is the id, and a record is a count followed by that
 * many entries.
 * <ul>
 *   <li>{@code users.dat}: line u, user u's articles ({@code n item item ...}, item ids from 0);</li>
 *   <li>{@code mult.dat}: line j, article j's bag of words ({@code n word:count ...}, word ids index
 *       the lines of {@code vocabulary.dat});</li>
 *   <li>{@code vocabulary.dat}: one word per line (only its line count is used);</li>
 *   <li>{@code tag-item.dat} (optional): line t, the articles carrying tag t ({@code n item ...}).</li>
 * </ul>
 * Every count, id and range is checked; an error names the file and the line.
 */
public final class CiteULikeFiles {
    static final String USERS = "users.dat";
    static final String WORDS = "mult.dat";
    static final String VOCABULARY = "vocabulary.dat";
    static final String TAGS = "tag-item.dat";

    private CiteULikeFiles() {}

    /** Whether {@code dir} holds this layout (the three files that are not optional). */
    public static boolean detect(Path dir) {
        return Files.isRegularFile(dir.resolve(USERS)) && Files.isRegularFile(dir.resolve(WORDS))
                && Files.isRegularFile(dir.resolve(VOCABULARY));
    }

    /** One sparse row: ids and values, as read. */
    record Row(int[] ids, float[] values) {}

    /** users.dat as an interaction log: user "u" and item "j" are the line numbers, as decimal strings. */
    static RawLog readUsers(Path dir, int numItem) {
        Path file = dir.resolve(USERS);
        RawLog log = new RawLog();
        List<Row> rows = readRows(file, false, numItem, "item");
        for (int u = 0; u < rows.size(); u++) {
            for (int j : rows.get(u).ids()) {
                log.add(Integer.toString(u), Integer.toString(j), Float.NaN);
            }
        }
        return log;
    }

    /** The number of lines of vocabulary.dat: the word ids of mult.dat are below it. */
    static int vocabularySize(Path dir) {
        Path file = dir.resolve(VOCABULARY);
        InputFiles.requireRegular(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            while (in.readLine() != null) {
                n++;
            }
            if (n == 0) {
                throw new DatasetFormatException(file + ": empty vocabulary");
            }
            return n;
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** mult.dat: one row per article, word ids below {@code vocabulary}, counts > 0. */
    static List<Row> readWords(Path dir, int vocabulary) {
        return readRows(dir.resolve(WORDS), true, vocabulary, "word");
    }

    /** tag-item.dat, or null when the file is absent. */
    static List<Row> readTags(Path dir, int numItem) {
        Path file = dir.resolve(TAGS);
        return Files.exists(file) ? readRows(file, false, numItem, "item") : null;
    }

    /**
     * Reads "n e1 e2 ..." lines; with {@code counted} each entry is "id:count". Ids must be in
     * 0..limit-1 and distinct within a line.
     */
    static List<Row> readRows(Path file, boolean counted, int limit, String what) {
        InputFiles.requireRegular(file);
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                rows.add(parse(file, no, line.strip(), counted, limit, what));
            }
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DatasetFormatException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new DatasetFormatException(file + ": no records");
        }
        return rows;
    }

    private static Row parse(Path file, long no, String line, boolean counted, int limit, String what) {
        String at = file + ": line " + no + ": ";
        if (line.isEmpty()) {
            throw new DatasetFormatException(at + "empty line (every line is a record; write 0 for none)");
        }
        String[] p = line.split("\\s+");
        int n;
        try {
            n = Integer.parseInt(p[0]);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(at + "expected the entry count first, got '" + p[0] + "'");
        }
        if (n != p.length - 1) {
            throw new DatasetFormatException(at + "says " + n + " entries but has " + (p.length - 1));
        }
        int[] ids = new int[n];
        float[] values = new float[n];
        java.util.BitSet seen = new java.util.BitSet();
        for (int k = 0; k < n; k++) {
            String e = p[k + 1];
            String id = e;
            float v = 1f;
            if (counted) {
                int colon = e.indexOf(':');
                if (colon <= 0) {
                    throw new DatasetFormatException(at + "expected " + what + ":count, got '" + e + "'");
                }
                id = e.substring(0, colon);
                try {
                    v = Float.parseFloat(e.substring(colon + 1));
                } catch (NumberFormatException x) {
                    throw new DatasetFormatException(at + "count of '" + e + "' is not a number");
                }
                if (!(v > 0) || Float.isInfinite(v)) {
                    throw new DatasetFormatException(at + "count of '" + e + "' must be positive and finite");
                }
            }
            try {
                ids[k] = Integer.parseInt(id);
            } catch (NumberFormatException x) {
                throw new DatasetFormatException(at + what + " id '" + id + "' is not an integer");
            }
            if (ids[k] < 0 || ids[k] >= limit) {
                throw new DatasetFormatException(at + what + " id " + ids[k] + " is outside 0.." + (limit - 1));
            }
            if (seen.get(ids[k])) {
                throw new DatasetFormatException(at + what + " id " + ids[k] + " appears twice");
            }
            seen.set(ids[k]);
            values[k] = v;
        }
        return new Row(ids, values);
    }
}
