package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureChecks;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.layout.IdFiles;
import dev.clcrec.engine.FeatureMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Generic inputs: a {@code user,item[,rating,timestamp]} log and item-feature matrices. */
public final class GenericFiles {
    private GenericFiles() {}

    /** Reads a delimited log (comma, tab, "::" or "|"); a first line naming the columns is skipped. */
    public static RawLog readInteractions(Path file) {
        RawLog log = new RawLog();
        String[] delim = {null};
        MovieLensFiles.forEachLine(file, StandardCharsets.UTF_8, (line, no) -> {
            if (delim[0] == null) {
                delim[0] = CsvLines.detect(line);
            }
            List<String> p = CsvLines.split(line, delim[0], file.toString(), no);
            if (no == 1 && p.get(0).strip().toLowerCase(java.util.Locale.ROOT).startsWith("user")) {
                return;
            }
            if (p.size() < 2 || p.size() > 4) {
                throw new DatasetFormatException(file + ": line " + no + ": expected user,item[,rating[,timestamp]], got '"
                        + line + "'");
            }
            float rating = Float.NaN;
            if (p.size() >= 3 && !p.get(2).isBlank()) {
                try {
                    rating = Float.parseFloat(p.get(2).strip());
                } catch (NumberFormatException e) {
                    throw new DatasetFormatException(file + ": line " + no + ", field 3 (rating): '" + p.get(2)
                            + "' is not a number");
                }
            }
            String u = p.get(0).strip();
            String i = p.get(1).strip();
            if (u.isEmpty() || i.isEmpty()) {
                throw new DatasetFormatException(file + ": line " + no + ": empty user or item id");
            }
            long time = RawLog.NO_TIME;
            if (p.size() == 4 && !p.get(3).isBlank()) {
                time = MovieLensFiles.parseTime(p.get(3), file + ": line " + no);
            }
            log.add(u, i, rating, time);
        });
        return log;
    }

    /** A modality from a file: {@code .csv} (item id, then values) or {@code .npy} rows named by {@code itemIds}. */
    public record FeatureSource(String name, Path file, Path itemIds) {}

    /** Loads the given modalities; item ids must agree across them only in that each item needs every modality. */
    public static ItemContent loadContent(List<FeatureSource> sources, Arena arena) {
        List<String> names = new ArrayList<>();
        List<FeatureMatrix> mats = new ArrayList<>();
        List<Map<String, Long>> rows = new ArrayList<>();
        for (FeatureSource s : sources) {
            names.add(s.name());
            String fn = s.file().getFileName().toString();
            if (fn.endsWith(".npy")) {
                if (s.itemIds() == null) {
                    throw new DatasetFormatException(s.file() + ": a .npy feature matrix needs an item id file "
                            + "(one external item id per row)");
                }
                FeatureMatrix m = FeatureLoading.matrix(s.file(), s.name(), arena);
                List<String> ids = IdFiles.read(s.itemIds(), (int) m.rows());
                FeatureChecks.checkFinite(s.file().toString(), m.data(), m.rows(), m.cols());
                mats.add(m);
                rows.add(index(ids, s.itemIds()));
            } else {
                CsvMatrix c = readCsvMatrix(s.file(), s.name(), arena);
                mats.add(c.matrix());
                rows.add(index(c.ids(), s.file()));
            }
        }
        return new ItemContent() {
            @Override
            public List<String> modalityNames() {
                return List.copyOf(names);
            }

            @Override
            public long dim(int modality) {
                return mats.get(modality).cols();
            }

            @Override
            public boolean has(String itemId) {
                for (Map<String, Long> r : rows) {
                    if (!r.containsKey(itemId)) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void fill(int modality, String itemId, MemorySegment row) {
                FeatureMatrix m = mats.get(modality);
                long r = rows.get(modality).get(itemId);
                MemorySegment.copy(m.data(), r * m.cols() * Float.BYTES, row, 0, m.cols() * Float.BYTES);
            }
        };
    }

    private static Map<String, Long> index(List<String> ids, Path file) {
        Map<String, Long> m = new HashMap<>();
        for (int k = 0; k < ids.size(); k++) {
            if (m.put(ids.get(k), (long) k) != null) {
                throw new DatasetFormatException(file + ": row " + k + ": item id '" + ids.get(k) + "' appears twice");
            }
        }
        return m;
    }

    record CsvMatrix(List<String> ids, FeatureMatrix matrix) {}

    static CsvMatrix readCsvMatrix(Path file, String name, Arena arena) {
        List<String> ids = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        String[] delim = {null};
        MovieLensFiles.forEachLine(file, StandardCharsets.UTF_8, (line, no) -> {
            if (delim[0] == null) {
                delim[0] = CsvLines.detect(line);
            }
            List<String> p = CsvLines.split(line, delim[0], file.toString(), no);
            if (p.size() < 2) {
                throw new DatasetFormatException(file + ": line " + no + ": expected item id then feature values");
            }
            if (no == 1 && !isNumber(p.get(1))) {
                return; // header
            }
            if (!values.isEmpty() && p.size() - 1 != values.getFirst().length) {
                throw new DatasetFormatException(file + ": line " + no + ": " + (p.size() - 1) + " values, expected "
                        + values.getFirst().length + " like the first row");
            }
            float[] v = new float[p.size() - 1];
            for (int k = 0; k < v.length; k++) {
                try {
                    v[k] = Float.parseFloat(p.get(k + 1).strip());
                } catch (NumberFormatException e) {
                    throw new DatasetFormatException(file + ": line " + no + ", field " + (k + 2) + ": '" + p.get(k + 1)
                            + "' is not a number");
                }
                if (!Float.isFinite(v[k])) {
                    throw new DatasetFormatException(file + ": line " + no + ", field " + (k + 2) + " is " + v[k]
                            + ", expected a finite number");
                }
            }
            ids.add(p.get(0).strip());
            values.add(v);
        });
        if (values.isEmpty()) {
            throw new DatasetFormatException(file + ": no feature rows");
        }
        int cols = values.getFirst().length;
        MemorySegment seg = arena.allocate((long) values.size() * cols * Float.BYTES, 64);
        for (int r = 0; r < values.size(); r++) {
            MemorySegment.copy(values.get(r), 0, seg, ValueLayout.JAVA_FLOAT, (long) r * cols * Float.BYTES, cols);
        }
        return new CsvMatrix(ids, new FeatureMatrix(name, seg, values.size(), cols));
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
