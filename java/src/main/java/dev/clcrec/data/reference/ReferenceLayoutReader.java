package dev.clcrec.data.reference;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.FeatureChecks;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.InteractionsBuilder;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.npy.NpyArray;
import dev.clcrec.data.npy.NpyDtype;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.data.npy.NpyHeader;
import dev.clcrec.data.pickle.NumpyPickles;
import dev.clcrec.data.torch.TorchTensorFile;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reference's {@code Data/<name>/} folder: global ids (users {@code 0..U-1}, item j is
 * {@code U + j}), warm items numbered before cold ones, pickled held-out lists and dicts, and
 * {@code feat_v/a/t.npy} or {@code feat_v.pt}. Converts everything to dense local item ids.
 */
public final class ReferenceLayoutReader {
    private static final System.Logger LOG = System.getLogger(ReferenceLayoutReader.class.getName());

    private ReferenceLayoutReader() {}

    public static Dataset read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(dir + ": missing dataset directory");
        }
        List<long[]> valFull = NumpyPickles.readIntLists(dir.resolve(ReferenceLayout.heldOutFile(Split.VAL, Setting.ALL)));
        int numUser = valFull.size();
        long[] warm = NpyFile.readLongs(dir.resolve(ReferenceLayout.WARM_SET), -1);
        long[] cold = NpyFile.readLongs(dir.resolve(ReferenceLayout.COLD_SET), -1);
        int numWarm = warm.length;
        int numItem = checkItemSets(dir, numUser, warm, cold);

        Interactions train = readTrain(dir.resolve(ReferenceLayout.TRAIN), numUser, numItem);
        Map<Split, Map<Setting, Interactions>> heldOut = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            Map<Setting, Interactions> bySetting = new EnumMap<>(Setting.class);
            for (Setting setting : Setting.values()) {
                Path f = dir.resolve(ReferenceLayout.heldOutFile(split, setting));
                List<long[]> lists = split == Split.VAL && setting == Setting.ALL ? valFull : NumpyPickles.readIntLists(f);
                bySetting.put(setting, heldOutLists(f, lists, numUser, numItem));
            }
            heldOut.put(split, bySetting);
        }
        checkDicts(dir, train, heldOut, numUser, numItem);

        Arena arena = Arena.ofShared();
        try {
            ContentFeatures content = readFeatures(dir, numItem, arena);
            return Dataset.create(dir.toString(), dir.getFileName().toString(), numUser, numItem, numWarm, train,
                    heldOut, content, null, arena, true);
        } catch (RuntimeException e) {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            throw e;
        }
    }

    /** Checks warm ids are {@code U..U+W-1} and cold ids {@code U+W..U+N-1}; returns N. */
    private static int checkItemSets(Path dir, int numUser, long[] warm, long[] cold) {
        long[] w = warm.clone();
        long[] c = cold.clone();
        Arrays.sort(w);
        Arrays.sort(c);
        for (long x : w) {
            if (Arrays.binarySearch(c, x) >= 0) {
                throw new DatasetFormatException(dir.resolve(ReferenceLayout.COLD_SET) + ": item " + x
                        + " is in both warm_set.npy and cold_set.npy; an item is either warm or cold");
            }
        }
        int numItem = w.length + c.length;
        for (int j = 0; j < w.length; j++) {
            if (w[j] != numUser + j) {
                throw new DatasetFormatException(dir.resolve(ReferenceLayout.WARM_SET) + ": sorted entry " + j + " is "
                        + w[j] + ", expected " + (numUser + j) + " (warm items are the global ids num_user .. num_user+"
                        + (w.length - 1) + ", numbered before cold items; num_user = " + numUser + " from val_full.npy)");
            }
        }
        for (int j = 0; j < c.length; j++) {
            if (c[j] != numUser + w.length + j) {
                throw new DatasetFormatException(dir.resolve(ReferenceLayout.COLD_SET) + ": sorted entry " + j + " is "
                        + c[j] + ", expected " + (numUser + w.length + j) + " (cold items follow the warm ones)");
            }
        }
        return numItem;
    }

    private static Interactions readTrain(Path file, int numUser, int numItem) {
        try (Arena a = Arena.ofConfined()) {
            NpyArray arr = NpyFile.map(file, a).requireInteger().requireShape(-1, 2);
            long n = arr.header().dim(0);
            InteractionsBuilder b = new InteractionsBuilder(file.toString(), numUser, numItem);
            for (long k = 0; k < n; k++) {
                long u = arr.getLong(2 * k);
                long g = arr.getLong(2 * k + 1);
                if (g < numUser) {
                    throw new DatasetFormatException(file + ": row " + k + ": item id " + g
                            + " is below num_user = " + numUser + ", expected a global item id (num_user + j)");
                }
                b.add(u, g - numUser, k);
            }
            InteractionsBuilder.Result r = b.build();
            if (r.duplicates() > 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: dropped {1} duplicate interaction(s)", file, r.duplicates());
            }
            return r.interactions();
        }
    }

    private static Interactions heldOutLists(Path file, List<long[]> lists, int numUser, int numItem) {
        if (lists.size() != numUser) {
            throw new DatasetFormatException(file + ": " + lists.size() + " rows, expected one per user (" + numUser + ")");
        }
        InteractionsBuilder b = new InteractionsBuilder(file.toString(), numUser, numItem);
        for (int u = 0; u < numUser; u++) {
            long[] row = lists.get(u);
            if (row.length == 0 || row[0] != u) {
                throw new DatasetFormatException(file + ": row " + u + " starts with "
                        + (row.length == 0 ? "nothing" : Long.toString(row[0])) + ", expected the user id " + u);
            }
            for (int k = 1; k < row.length; k++) {
                if (row[k] < numUser) {
                    throw new DatasetFormatException(file + ": row " + u + ", element " + k + ": item id " + row[k]
                            + " is below num_user = " + numUser + ", expected a global item id");
                }
                b.add(u, row[k] - numUser, u);
            }
        }
        InteractionsBuilder.Result r = b.build();
        if (r.duplicates() > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped {1} duplicate interaction(s)", file, r.duplicates());
        }
        return r.interactions();
    }

    /** Train dict must equal train.npy; the all dict should equal train plus held-out (warning otherwise). */
    private static void checkDicts(Path dir, Interactions train, Map<Split, Map<Setting, Interactions>> heldOut,
                                   int numUser, int numItem) {
        Path trainDict = dir.resolve(ReferenceLayout.TRAIN_DICT);
        if (Files.exists(trainDict)) {
            Map<Long, long[]> d = NumpyPickles.readDictOfSets(trainDict);
            for (int u = 0; u < numUser; u++) {
                int[] expected = train.row(u);
                long[] got = local(d.get((long) u), numUser);
                if (!sameSet(expected, got)) {
                    throw new DatasetFormatException(trainDict + ": user " + u + " has items " + Arrays.toString(got)
                            + " (local ids), but train.npy gives " + Arrays.toString(expected));
                }
            }
        }
        Path allDict = dir.resolve(ReferenceLayout.ALL_DICT);
        if (Files.exists(allDict)) {
            Map<Long, long[]> d = NumpyPickles.readDictOfSets(allDict);
            int mismatched = 0;
            for (int u = 0; u < numUser; u++) {
                java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
                for (int i : train.row(u)) {
                    all.add(i);
                }
                for (Split s : Split.values()) {
                    for (int i : heldOut.get(s).get(Setting.ALL).row(u)) {
                        all.add(i);
                    }
                }
                int[] expected = all.stream().mapToInt(Integer::intValue).toArray();
                if (!sameSet(expected, local(d.get((long) u), numUser))) {
                    mismatched++;
                }
            }
            if (mismatched > 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "{0}: {1} user(s) whose item set differs from train + val + test", allDict, mismatched);
            }
        }
    }

    private static long[] local(long[] global, int numUser) {
        if (global == null) {
            return new long[0];
        }
        long[] l = new long[global.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = global[i] - numUser;
        }
        Arrays.sort(l);
        return l;
    }

    private static boolean sameSet(int[] sortedA, long[] sortedB) {
        if (sortedA.length != sortedB.length) {
            return false;
        }
        for (int i = 0; i < sortedA.length; i++) {
            if (sortedA[i] != sortedB[i]) {
                return false;
            }
        }
        return true;
    }

    private static ContentFeatures readFeatures(Path dir, int numItem, Arena arena) {
        List<FeatureMatrix> mats = new ArrayList<>();
        WordPairs words = null;
        for (String m : ReferenceLayout.MODALITIES) {
            Path npy = dir.resolve("feat_" + m + ".npy");
            Path pt = dir.resolve("feat_" + m + ".pt");
            if (Files.exists(npy)) {
                NpyHeader h = NpyFile.readHeader(npy);
                if (m.equals("t") && (h.dtype() == NpyDtype.INT64 || h.dtype() == NpyDtype.INT32)) {
                    words = FeatureLoading.wordPairs(npy, arena, -1);
                } else {
                    FeatureMatrix f = FeatureLoading.matrix(npy, m, arena);
                    FeatureChecks.checkShape(npy.toString(), f, numItem);
                    mats.add(f);
                }
            } else if (Files.exists(pt)) {
                FeatureMatrix f = TorchTensorFile.readMatrix(pt, m, arena);
                FeatureChecks.checkShape(pt.toString(), f, numItem);
                mats.add(f);
            }
        }
        if (mats.isEmpty() && words == null) {
            throw new DatasetFormatException(dir + ": missing file: no feat_v.npy, feat_v.pt, feat_a.npy or feat_t.npy");
        }
        return new ContentFeatures(List.copyOf(mats), words);
    }
}
