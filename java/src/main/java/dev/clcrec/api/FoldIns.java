package dev.clcrec.api;

import dev.clcrec.engine.UserFoldIn;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Folds a new user into a model: their recorded items (the most recent {@value #MAX_POSITIVES}
 * distinct ones still in the catalog) as positives, against {@value #NEGATIVES} of the model's own
 * items drawn with a seed taken from the user id, fitted natively with the model's user-item loss.
 * The result depends only on the model, the user id and their items, so a restarted service fits
 * exactly the embedding it had before.
 */
final class FoldIns {
    static final int MAX_POSITIVES = 256;
    // 1024 rather than 256: on the real dslabs MovieLens (BENCHMARKS.md, "Fold-in") folded-in users'
    // Recall and NDCG@10 over all and warm items rose from 256 to 512 to 1024 shared negatives, and
    // their cold ones were higher at 1024 than at 256 too (a larger sample of the softmax's
    // denominator, drawn once per user), for about 2 ms more CPU a fit.
    static final int NEGATIVES = 1024;

    private FoldIns() {}

    /** The user's items a fit uses now: the most recent distinct ones in the catalog, newest first. */
    static List<String> positives(Catalog c, UserHistory h) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = h.items().size() - 1; i >= 0 && out.size() < MAX_POSITIVES; i--) {
            String id = h.items().get(i);
            if (!out.contains(id) && c.contains(id)) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }

    /** The embedding fitted on {@code positives} (from {@link #positives}), or null when there are none. */
    static float[] fit(Catalog c, UserFoldIn settings, String userId, List<String> positives) {
        ServingModel m = c.model;
        int d = m.dimE;
        LinkedHashSet<Integer> positiveRows = new LinkedHashSet<>();
        for (String id : positives) {
            int row = c.rowOf(id);
            if (row >= 0) {
                positiveRows.add(row);
            }
        }
        if (positiveRows.isEmpty()) {
            return null;
        }
        Set<Integer> positiveDense = new HashSet<>();
        for (int row : positiveRows) {
            positiveDense.add(c.dense(row));
        }
        List<Integer> negatives = new ArrayList<>();
        int available = m.numItem - (int) positiveDense.stream().filter(x -> x < m.numItem).count();
        int wanted = Math.min(NEGATIVES, available);
        SplittableRandom random = new SplittableRandom(seed(userId));
        Set<Integer> drawn = new HashSet<>();
        while (negatives.size() < wanted) {
            int item = random.nextInt(m.numItem);
            if (!positiveDense.contains(item) && drawn.add(item)) {
                negatives.add(item);
            }
        }
        int rows = positiveRows.size() + negatives.size();
        // Gathered straight into native memory: the fit reads them there, with no heap copy in between.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment items = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * d);
            long r = 0;
            for (int row : positiveRows) {
                c.vector(row, items, r++ * d);
            }
            for (int item : negatives) {
                MemorySegment.copy(m.items, item * d, items, ValueLayout.JAVA_FLOAT, r++ * d * Float.BYTES, d);
            }
            return settings.fit(items, rows, d, positiveRows.size());
        }
    }

    private static long seed(String userId) {
        CRC32C crc = new CRC32C();
        crc.update(userId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() * 0x9E3779B97F4A7C15L;
    }
}
