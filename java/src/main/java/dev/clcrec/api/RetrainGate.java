package dev.clcrec.api;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.UserFoldIn;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.train.DatasetViews;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The gate of a retrain: the candidate and the serving model ranked by the same evaluator over the
 * same holdout (the newest new interactions), in the candidate's id space, every user's training and
 * trained-on recorded items excluded. The serving model is scored as it serves: its own embedding for
 * its users, an embedding folded in from the user's trained-on recorded items for a new user, the
 * catalog's vector (its representation, or the encoder output of an added item) for every item.
 * Warm and cold are as the candidate sees them: a cold item is one with no interaction before the holdout.
 */
final class RetrainGate {
    private static final int BLOCK = 256;

    private RetrainGate() {}

    /** Both values of the gate's criterion and the holdout's size. */
    record Values(double serving, double candidate, long holdoutPairs, int holdoutUsers) {}

    static Values evaluate(Catalog c, RetrainData data, ClcrecModel candidate, SelectionCriterion criterion) {
        Map<Split, Map<Setting, ItemSets>> held = new EnumMap<>(Split.class);
        data.holdoutSets().forEach((split, bySetting) -> {
            Map<Setting, ItemSets> m = new EnumMap<>(Setting.class);
            bySetting.forEach((setting, x) -> m.put(setting, DatasetViews.sets(x)));
            held.put(split, m);
        });
        int nu = data.dataset.numUser();
        int ni = data.dataset.numItem();
        try (Evaluator ev = new Evaluator(ni, data.dataset.numWarmItem(), DatasetViews.sets(data.dataset.train()),
                held, new int[] {criterion.k()}, BLOCK)) {
            EvalResult cand = ev.evaluate(new ModelRanker(candidate));
            EvalResult serving = ev.evaluate(new DotProductRanker(servingUsers(c, data), servingItems(c, data),
                    c.model.dimE));
            return new Values(criterion.value(serving), criterion.value(cand), data.holdout.size(),
                    ev.usersRanked());
        }
    }

    private static float[] servingUsers(Catalog c, RetrainData data) {
        ServingModel m = c.model;
        int d = m.dimE;
        float[] out = new float[data.dataset.numUser() * d];
        System.arraycopy(m.users, 0, out, 0, m.numUser * d);
        UserFoldIn fold = UserFoldIn.forModel(m.model.config());
        for (Map.Entry<Integer, List<String>> e : data.trainedItemsOfNewUser.entrySet()) {
            String id = data.userIds.get(e.getKey());
            float[] v = FoldIns.fit(c, fold, id, FoldIns.positives(c, UserHistory.empty(id).plus(e.getValue())));
            if (v != null) {
                System.arraycopy(v, 0, out, e.getKey() * d, d);
            }
        }
        return out;
    }

    private static float[] servingItems(Catalog c, RetrainData data) {
        ServingModel m = c.model;
        int d = m.dimE;
        float[] out = new float[data.dataset.numItem() * d];
        for (int i = 0; i < m.numItem; i++) { // the model's own items, removed ones included
            System.arraycopy(m.items, i * d, out, data.newItemOfOld[i] * d, d);
        }
        for (int i = 0; i < data.itemIds.size(); i++) {
            int row = c.rowOf(data.itemIds.get(i));
            if (row >= 0) {
                c.vector(row, out, i * d);
            }
        }
        return out;
    }
}
