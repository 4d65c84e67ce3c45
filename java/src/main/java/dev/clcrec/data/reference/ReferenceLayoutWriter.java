package dev.clcrec.data.reference;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.data.pickle.NumpyPickleWriter;
import dev.clcrec.data.torch.TorchSaveWriter;
import dev.clcrec.engine.FeatureMatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a dataset in the reference's {@code Data/<name>/} layout (global ids, pickled lists and
 * dicts), so that the reference code, and our reader, can consume it. Modalities become v, a, t in order.
 */
public final class ReferenceLayoutWriter {
    private ReferenceLayoutWriter() {}

    /** @param visualAsTorch write {@code feat_v.pt} (torch.save) instead of {@code feat_v.npy}, as for Amazon */
    public static void write(Dataset d, Path dir, boolean visualAsTorch) {
        if (d.content().modalities().size() > 3) {
            throw new IllegalArgumentException("the reference layout holds at most 3 modalities (v, a, t), dataset has "
                    + d.content().modalities().size());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        int nu = d.numUser();
        Interactions train = d.train();
        long[] pairs = new long[Math.toIntExact(2 * train.size())];
        int k = 0;
        for (int u = 0; u < nu; u++) {
            for (int i : train.row(u)) {
                pairs[k++] = u;
                pairs[k++] = nu + i;
            }
        }
        NpyWriter.writeLongs(dir.resolve(ReferenceLayout.TRAIN), pairs, train.size(), 2);
        for (Split s : Split.values()) {
            for (Setting t : Setting.values()) {
                Interactions h = d.heldOut(s, t);
                List<long[]> rows = new ArrayList<>(nu);
                for (int u = 0; u < nu; u++) {
                    int[] items = h.row(u);
                    long[] row = new long[items.length + 1];
                    row[0] = u;
                    for (int j = 0; j < items.length; j++) {
                        row[j + 1] = nu + items[j];
                    }
                    rows.add(row);
                }
                NpyWriter.writeObjectArray(dir.resolve(ReferenceLayout.heldOutFile(s, t)),
                        NumpyPickleWriter.intLists(rows), nu);
            }
        }
        Map<Long, long[]> trainDict = new HashMap<>();
        Map<Long, long[]> allDict = new HashMap<>();
        for (int u = 0; u < nu; u++) {
            TreeSet<Long> all = new TreeSet<>();
            long[] tr = train.row(u).length == 0 ? new long[0]
                    : java.util.Arrays.stream(train.row(u)).mapToLong(i -> nu + i).toArray();
            for (long g : tr) {
                all.add(g);
            }
            for (Split s : Split.values()) {
                for (int i : d.heldOut(s, Setting.ALL).row(u)) {
                    all.add((long) nu + i);
                }
            }
            trainDict.put((long) u, tr);
            allDict.put((long) u, all.stream().mapToLong(Long::longValue).toArray());
        }
        NpyWriter.writeObjectArray(dir.resolve(ReferenceLayout.TRAIN_DICT), NumpyPickleWriter.dictOfSets(trainDict));
        NpyWriter.writeObjectArray(dir.resolve(ReferenceLayout.ALL_DICT), NumpyPickleWriter.dictOfSets(allDict));
        long[] warm = new long[d.numWarmItem()];
        long[] cold = new long[d.numColdItem()];
        for (int j = 0; j < warm.length; j++) {
            warm[j] = nu + j;
        }
        for (int j = 0; j < cold.length; j++) {
            cold[j] = nu + warm.length + j;
        }
        NpyWriter.writeLongs(dir.resolve(ReferenceLayout.WARM_SET), warm, warm.length);
        NpyWriter.writeLongs(dir.resolve(ReferenceLayout.COLD_SET), cold, cold.length);
        for (int m = 0; m < d.content().modalities().size(); m++) {
            FeatureMatrix f = d.content().modalities().get(m);
            String name = ReferenceLayout.MODALITIES[m];
            if (m == 0 && visualAsTorch) {
                TorchSaveWriter.writeMatrix(dir.resolve("feat_v.pt"), f.data(), f.rows(), f.cols());
            } else {
                NpyWriter.writeFloats(dir.resolve("feat_" + name + ".npy"), f.data(), f.rows(), f.cols());
            }
        }
    }
}
