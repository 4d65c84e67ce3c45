package dev.clcrec.data.layout;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.InteractionsBuilder;
import dev.clcrec.data.npy.NpyArray;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes (user, item) pair files: {@code .npy} {@code (n, 2)} integers or {@code .tsv}. */
public final class InteractionFiles {
    private static final System.Logger LOG = System.getLogger(InteractionFiles.class.getName());

    private InteractionFiles() {}

    public static Interactions read(Path file, int numUser, int numItem) {
        InteractionsBuilder b = new InteractionsBuilder(file.toString(), numUser, numItem);
        String n = file.getFileName().toString();
        if (n.endsWith(".npy")) {
            try (Arena arena = Arena.ofConfined()) {
                NpyArray a = NpyFile.map(file, arena).requireInteger().requireShape(-1, 2);
                long rows = a.header().dim(0);
                for (long k = 0; k < rows; k++) {
                    b.add(a.getLong(2 * k), a.getLong(2 * k + 1), k);
                }
            }
        } else if (n.endsWith(".tsv") || n.endsWith(".txt")) {
            readTsv(file, b);
        } else {
            throw new DatasetFormatException(file + ": unknown interaction file type, expected .npy or .tsv");
        }
        InteractionsBuilder.Result r = b.build();
        if (r.duplicates() > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped {1} duplicate interaction(s)", file, r.duplicates());
        }
        return r.interactions();
    }

    private static void readTsv(Path file, InteractionsBuilder b) {
        dev.clcrec.data.InputFiles.requireRegular(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || lineNo == 1 && line.startsWith("user")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
                    throw new DatasetFormatException(file + ": line " + lineNo + ": expected two tab-separated ids 'user<TAB>item'");
                }
                try {
                    b.add(Long.parseLong(line.substring(0, tab).strip()), Long.parseLong(line.substring(tab + 1).strip()),
                            lineNo);
                } catch (NumberFormatException e) {
                    throw new DatasetFormatException(file + ": line " + lineNo + ": '" + line
                            + "' is not two integer ids");
                }
            }
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file + ": missing file");
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes {@code (n, 2)} int32 pairs, row by row. */
    public static void writeNpy(Path file, Interactions x) {
        int[] pairs = new int[Math.toIntExact(2 * x.size())];
        int k = 0;
        for (int u = 0; u < x.numRows(); u++) {
            for (long p = x.offsets()[u]; p < x.offsets()[u + 1]; p++) {
                pairs[k++] = u;
                pairs[k++] = x.columns()[(int) p];
            }
        }
        NpyWriter.writeInts(file, pairs, x.size(), 2);
    }
}
