package dev.clcrec.data.prepare;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code prepare --split time-replay} writes beside the dataset, in {@code OUTPUT/after-cut/}, so
 * that the time after the training cut can be replayed into a serving process started on a model
 * trained on the dataset (the dataset itself holds only users and items seen before the cut):
 * <ul>
 *   <li>{@code interactions.csv}: {@code user,item,timestamp,part}, every interaction at or after the
 *       training cut in timestamp order (ties in input order), {@code part} {@code val} or {@code test}
 *       as the time split assigns it; users and items first seen after the cut included;</li>
 *   <li>{@code features-MODALITY.csv}: {@code item,v0,v1,...} per content modality, one row per item
 *       first seen after the cut (in order of first interaction), the values {@code prepare} would
 *       have put in the dataset's feature matrix (floats written to round-trip exactly).</li>
 * </ul>
 * External ids are those of the dataset's {@code user_ids.tsv} / {@code item_ids.tsv}.
 */
public final class AfterCutLog {
    /** The folder under the prepared dataset. */
    public static final String DIR = "after-cut";
    public static final String INTERACTIONS = "interactions.csv";

    private AfterCutLog() {}

    /** The feature file of one modality. */
    public static String featureFile(String modality) {
        return "features-" + modality + ".csv";
    }

    /**
     * @param inDataset whether each input item (an index into {@code itemNames}) is in the dataset
     * @return the number of interactions written
     */
    static long write(Path output, Filtering.Result fr, TimeSplitter.Cuts cuts, boolean[] inDataset,
                      ItemContent content) {
        Path dir = output.resolve(DIR);
        long[] times = fr.times();
        List<Integer> after = new ArrayList<>();
        for (int k = 0; k < times.length; k++) {
            if (cuts.part(times[k]) != TimeSplitter.TRAIN) {
                after.add(k);
            }
        }
        after.sort(Comparator.comparingLong((Integer k) -> times[k]).thenComparingInt(k -> k));
        Set<Integer> newItems = new LinkedHashSet<>();
        try {
            Files.createDirectories(dir);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(INTERACTIONS), StandardCharsets.UTF_8)) {
                w.write("user,item,timestamp,part\n");
                for (int k : after) {
                    int item = fr.items()[k];
                    if (!inDataset[item]) {
                        newItems.add(item);
                    }
                    w.write(fr.userNames()[fr.users()[k]] + "," + fr.itemNames()[item] + "," + times[k] + ","
                            + (cuts.part(times[k]) == TimeSplitter.VAL ? "val" : "test") + "\n");
                }
            }
            try (Arena arena = Arena.ofConfined()) {
                for (int m = 0; m < content.modalityNames().size(); m++) {
                    long dim = content.dim(m);
                    MemorySegment row = arena.allocate(dim * Float.BYTES, 64);
                    Path file = dir.resolve(featureFile(content.modalityNames().get(m)));
                    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                        StringBuilder header = new StringBuilder("item");
                        for (long c = 0; c < dim; c++) {
                            header.append(",v").append(c);
                        }
                        w.write(header.append('\n').toString());
                        for (int item : newItems) {
                            String id = fr.itemNames()[item];
                            content.fill(m, id, row);
                            StringBuilder line = new StringBuilder(id);
                            for (long c = 0; c < dim; c++) {
                                line.append(',').append(row.getAtIndex(ValueLayout.JAVA_FLOAT, c));
                            }
                            w.write(line.append('\n').toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        return after.size();
    }
}
