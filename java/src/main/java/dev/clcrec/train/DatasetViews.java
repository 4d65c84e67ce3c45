package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.sampling.ItemSets;
import java.util.EnumMap;
import java.util.Map;

/** Adapts a dataset to what the sampler and the evaluator consume. */
public final class DatasetViews {
    private DatasetViews() {}

    public static ItemSets sets(Interactions i) {
        return new ItemSets(i.offsets(), i.columns());
    }

    /**
     * Items a user may not get as negatives: the training items, plus (reference mode) the
     * validation and test items, which the authors' code also keeps out.
     */
    public static ItemSets negativeExclusions(Dataset d, boolean referenceNegatives) {
        ItemSets train = sets(d.train());
        if (!referenceNegatives) {
            return train;
        }
        return ItemSets.union(train, sets(d.heldOut(Split.VAL, Setting.ALL)), sets(d.heldOut(Split.TEST, Setting.ALL)));
    }

    /** Every split in every setting. */
    public static Map<Split, Map<Setting, ItemSets>> heldOut(Dataset d) {
        Map<Split, Map<Setting, ItemSets>> m = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            Map<Setting, ItemSets> s = new EnumMap<>(Setting.class);
            for (Setting setting : Setting.values()) {
                s.put(setting, sets(d.heldOut(split, setting)));
            }
            m.put(split, s);
        }
        return m;
    }

    public static Evaluator evaluator(Dataset d, int[] ks, int blockSize) {
        return new Evaluator(d.numItem(), d.numWarmItem(), sets(d.train()), heldOut(d), ks, blockSize);
    }

    /** An evaluator of one shard of the users, its sums combined by the shard's reducer. */
    public static Evaluator evaluator(Dataset d, int[] ks, int blockSize, dev.clcrec.eval.EvalShard shard) {
        return new Evaluator(d.numItem(), d.numWarmItem(), sets(d.train()), heldOut(d), ks, blockSize, shard);
    }
}
