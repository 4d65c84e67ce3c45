package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A small dataset with planted structure for tests: users and items have latent topics, a user
 * interacts with items of its topic, and the item features reveal the topic. Cold items are the last
 * ones; their interactions only appear in val/test.
 */
public final class SyntheticData {
    private SyntheticData() {}

    public static Dataset create(int numUser, int numItem, int numWarm, int topics, int featureDim, long seed,
                                 boolean withIds) {
        Random r = new Random(seed);
        int[] itemTopic = new int[numItem];
        for (int j = 0; j < numItem; j++) {
            itemTopic[j] = r.nextInt(topics);
        }
        List<TreeSet<Integer>> train = rows(numUser);
        List<TreeSet<Integer>> val = rows(numUser);
        List<TreeSet<Integer>> test = rows(numUser);
        for (int u = 0; u < numUser; u++) {
            int t = u % topics;
            for (int j = 0; j < numItem; j++) {
                double p = itemTopic[j] == t ? 0.35 : 0.02;
                if (r.nextDouble() >= p) {
                    continue;
                }
                if (j >= numWarm) {
                    (r.nextBoolean() ? val : test).get(u).add(j);
                } else {
                    double x = r.nextDouble();
                    (x < 0.8 ? train : x < 0.9 ? val : test).get(u).add(j);
                }
            }
            if (train.get(u).isEmpty()) {
                train.get(u).add(firstOfTopic(itemTopic, t, numWarm));
                val.get(u).remove(train.get(u).first());
                test.get(u).remove(train.get(u).first());
            }
        }
        Arena arena = Arena.ofShared();
        MemorySegment feat = arena.allocate(ValueLayout.JAVA_FLOAT, (long) numItem * featureDim);
        for (int j = 0; j < numItem; j++) {
            for (int d = 0; d < featureDim; d++) {
                float v = (float) (r.nextGaussian() * 0.3 + (d % topics == itemTopic[j] ? 1.0 : 0.0));
                feat.setAtIndex(ValueLayout.JAVA_FLOAT, (long) j * featureDim + d, v);
            }
        }
        ContentFeatures content = new ContentFeatures(List.of(new FeatureMatrix("v", feat, numItem, featureDim)));
        Map<Split, Map<Setting, Interactions>> held = new EnumMap<>(Split.class);
        held.put(Split.VAL, Dataset.bySetting(csr(val), numWarm, numItem));
        held.put(Split.TEST, Dataset.bySetting(csr(test), numWarm, numItem));
        IdMapping ids = null;
        if (withIds) {
            List<String> users = new ArrayList<>();
            List<String> items = new ArrayList<>();
            for (int u = 0; u < numUser; u++) {
                users.add("u" + u);
            }
            for (int j = 0; j < numItem; j++) {
                items.add("item-" + j);
            }
            ids = new IdMapping(users, items);
        }
        return Dataset.create("synthetic", "synthetic", numUser, numItem, numWarm, csr(train), held, content, ids,
                arena, false);
    }

    private static int firstOfTopic(int[] itemTopic, int t, int numWarm) {
        for (int j = 0; j < numWarm; j++) {
            if (itemTopic[j] == t) {
                return j;
            }
        }
        return 0;
    }

    private static List<TreeSet<Integer>> rows(int n) {
        List<TreeSet<Integer>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new TreeSet<>());
        }
        return l;
    }

    private static Interactions csr(List<TreeSet<Integer>> rows) {
        long[] offsets = new long[rows.size() + 1];
        List<Integer> cols = new ArrayList<>();
        for (int u = 0; u < rows.size(); u++) {
            cols.addAll(rows.get(u));
            offsets[u + 1] = cols.size();
        }
        return new Interactions(rows.size(), offsets, cols.stream().mapToInt(Integer::intValue).toArray());
    }
}
